namespace NotebookCnn;

/// <summary>
/// Watches a training run of <see cref="Trainer"/>: told after every iteration, after every epoch's evaluation and
/// once at the end. A progress bar, a live plot or a logger implements the methods it needs (the others do nothing).
/// </summary>
/// <example>
/// <code>
/// sealed class PrintEpochs : ITrainingObserver
/// {
///     public void OnEpoch(EpochInfo e) => Console.WriteLine($"epoch {e.Epoch}: train accuracy {e.TrainAccuracy:P1}");
/// }
/// trainer.Fit(train, epochs: 5, observer: new PrintEpochs());
/// </code>
/// </example>
public interface ITrainingObserver
{
    /// <summary>After each minibatch update.</summary>
    void OnIteration(IterationInfo iteration) { }

    /// <summary>After each epoch's evaluation (or each evaluation of <see cref="Trainer.FitIterations"/>).</summary>
    void OnEpoch(EpochInfo epoch) { }

    /// <summary>Once when the run ends: finished, stopped early or cancelled (not when an exception ends it, e.g. a diverged loss).</summary>
    void OnEnd(TrainingHistory history) { }
}

/// <summary>The <c>onIteration</c> and <c>onEpoch</c> callbacks of <see cref="Trainer.Fit"/> as an observer.</summary>
internal sealed class CallbackObserver(Action<IterationInfo>? onIteration, Action<EpochInfo>? onEpoch) : ITrainingObserver
{
    public void OnIteration(IterationInfo iteration) => onIteration?.Invoke(iteration);
    public void OnEpoch(EpochInfo epoch) => onEpoch?.Invoke(epoch);
}
