namespace NotebookCnn;

/// <summary>What early stopping (and <see cref="TrainingHistory.BestEpoch"/>) watches after each epoch.</summary>
public enum EarlyStoppingMonitor
{
    /// <summary>The loss on the validation set: lower is better (the usual choice).</summary>
    ValidationLoss,

    /// <summary>The accuracy on the validation set: higher is better.</summary>
    ValidationAccuracy,

    /// <summary>The loss on the training set: lower is better (when there is no validation set).</summary>
    TrainLoss,
}

/// <summary>
/// Stops training when the monitored value has not improved for <see cref="Patience"/> epochs, and
/// (by default) puts back the weights of the best epoch. A form of regularisation: training stops before
/// the network starts to memorise the training set (chapter 08).
/// </summary>
/// <example><code>trainer.Fit(train, epochs: 100, validation: val, earlyStopping: new EarlyStopping(patience: 5));</code></example>
public sealed class EarlyStopping
{
    /// <summary>Creates an early-stopping rule.</summary>
    /// <param name="patience">How many epochs without improvement to wait before stopping.</param>
    /// <param name="monitor">The value to watch.</param>
    /// <param name="restoreBestWeights">Put back the parameters and buffers of the best epoch when training ends.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement.</param>
    public EarlyStopping(int patience = 5, EarlyStoppingMonitor monitor = EarlyStoppingMonitor.ValidationLoss,
        bool restoreBestWeights = true, float minDelta = 0f)
    {
        if (patience < 1)
            throw new ArgumentOutOfRangeException(nameof(patience), $"EarlyStopping: patience must be at least 1 epoch, got {patience}.");
        if (!(minDelta >= 0))
            throw new ArgumentOutOfRangeException(nameof(minDelta), $"EarlyStopping: minDelta must be ≥ 0, got {minDelta}.");
        Patience = patience;
        Monitor = monitor;
        RestoreBestWeights = restoreBestWeights;
        MinDelta = minDelta;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>The watched value.</summary>
    public EarlyStoppingMonitor Monitor { get; }

    /// <summary>Whether the best epoch's weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>True when <paramref name="value"/> beats <paramref name="best"/> by more than <see cref="MinDelta"/> for <paramref name="monitor"/>.</summary>
    internal static bool Improves(EarlyStoppingMonitor monitor, float value, float best, float minDelta) =>
        float.IsNaN(best)
            ? !float.IsNaN(value)
            : monitor == EarlyStoppingMonitor.ValidationAccuracy ? value > best + minDelta : value < best - minDelta;

    /// <inheritdoc />
    public override string ToString() =>
        $"EarlyStopping(patience={Patience}, monitor={Monitor}, restoreBestWeights={RestoreBestWeights})";
}
