using System.Globalization;
using System.Text;

namespace NotebookCnn;

/// <summary>
/// Everything measured during one <see cref="Trainer"/> run, ready to plot: the loss and learning rate of
/// every iteration, and per epoch the loss and accuracy on the training and validation sets.
/// </summary>
/// <remarks>
/// Lists are indexed from 0; epoch and iteration numbers in messages count from 1, so epoch e is at index e − 1.
/// Losses are the data loss, without the weight-decay penalty (the optimizer adds decay to the gradient only).
/// Everything except <see cref="ElapsedSeconds"/> is the same, bit for bit, when the same seed is used again.
/// </remarks>
public sealed class TrainingHistory
{
    private readonly List<float> _iterationLoss = new();
    private readonly List<float> _learningRates = new();
    private readonly List<float> _trainLoss = new();
    private readonly List<float> _trainAccuracy = new();
    private readonly List<float> _validationLoss = new();
    private readonly List<float> _validationAccuracy = new();
    private readonly List<int> _epochIterations = new();
    private readonly List<double> _elapsedSeconds = new();

    /// <summary>The minibatch loss of every iteration (training mode), in order.</summary>
    public IReadOnlyList<float> IterationLoss => _iterationLoss;

    /// <summary>The learning rate used by every iteration.</summary>
    public IReadOnlyList<float> LearningRates => _learningRates;

    /// <summary>Per epoch: the loss on the training set, evaluated in inference mode after the epoch.</summary>
    public IReadOnlyList<float> TrainLoss => _trainLoss;

    /// <summary>Per epoch: the accuracy on the training set, in [0, 1].</summary>
    public IReadOnlyList<float> TrainAccuracy => _trainAccuracy;

    /// <summary>Per epoch: the loss on the validation set (empty when training had no validation set).</summary>
    public IReadOnlyList<float> ValidationLoss => _validationLoss;

    /// <summary>Per epoch: the accuracy on the validation set (empty when training had no validation set).</summary>
    public IReadOnlyList<float> ValidationAccuracy => _validationAccuracy;

    /// <summary>Per epoch: the number of iterations done at its end (to draw epoch values on an iteration axis).</summary>
    public IReadOnlyList<int> EpochIterations => _epochIterations;

    /// <summary>Per epoch: wall time in seconds from the start of the run to the end of the epoch's evaluation.</summary>
    public IReadOnlyList<double> ElapsedSeconds => _elapsedSeconds;

    /// <summary>The number of iterations done.</summary>
    public int Iterations => _iterationLoss.Count;

    /// <summary>The number of epochs evaluated.</summary>
    public int Epochs => _trainLoss.Count;

    /// <summary>The best epoch (counting from 1) by <see cref="Monitor"/>, or null before the first epoch ends.</summary>
    public int? BestEpoch { get; internal set; }

    /// <summary>The value that decides <see cref="BestEpoch"/>.</summary>
    public EarlyStoppingMonitor Monitor { get; internal set; }

    /// <summary>True when early stopping ended the run.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>True when the run was cancelled through its <see cref="CancellationToken"/>.</summary>
    public bool Cancelled { get; internal set; }

    /// <summary>True when early stopping put back the weights of <see cref="BestEpoch"/> at the end of the run
    /// (when the best epoch was the last one, this changes nothing).</summary>
    public bool RestoredBestWeights { get; internal set; }

    internal void AddIteration(float loss, float learningRate)
    {
        _iterationLoss.Add(loss);
        _learningRates.Add(learningRate);
    }

    internal void AddEpoch(float trainLoss, float trainAccuracy, float? validationLoss, float? validationAccuracy, double elapsedSeconds)
    {
        _trainLoss.Add(trainLoss);
        _trainAccuracy.Add(trainAccuracy);
        if (validationLoss is { } vl) _validationLoss.Add(vl);
        if (validationAccuracy is { } va) _validationAccuracy.Add(va);
        _epochIterations.Add(Iterations);
        _elapsedSeconds.Add(elapsedSeconds);
    }

    /// <summary>The monitored value of epoch <paramref name="epoch"/> (counting from 1).</summary>
    internal float MonitoredValue(int epoch) => Monitor switch
    {
        EarlyStoppingMonitor.ValidationLoss => _validationLoss[epoch - 1],
        EarlyStoppingMonitor.ValidationAccuracy => _validationAccuracy[epoch - 1],
        _ => _trainLoss[epoch - 1],
    };

    /// <summary>A summary line and a table with one row per epoch; the best epoch is marked with *.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        double seconds = _elapsedSeconds.Count > 0 ? _elapsedSeconds[^1] : 0;
        sb.Append(c, $"Trained {Epochs} epoch{(Epochs == 1 ? "" : "s")} ({Iterations} iterations) in {seconds:0.0} s");
        if (BestEpoch is { } best) sb.Append(c, $"; best epoch {best} by {Monitor} ({MonitoredValue(best):G4})");
        if (StoppedEarly) sb.Append("; stopped early");
        if (RestoredBestWeights) sb.Append("; best weights restored");
        if (Cancelled) sb.Append("; cancelled");
        sb.AppendLine(".");

        bool validation = _validationLoss.Count > 0;
        sb.Append(" epoch  iteration  train loss  train acc");
        if (validation) sb.Append("  val loss  val acc");
        sb.AppendLine("  seconds");
        for (int e = 0; e < Epochs; e++)
        {
            sb.Append(c, $"{(BestEpoch == e + 1 ? "*" : " ")}{e + 1,5}  {_epochIterations[e],9}  {_trainLoss[e],10:0.0000}  {Percent(_trainAccuracy[e]),9}");
            if (validation) sb.Append(c, $"  {_validationLoss[e],8:0.0000}  {Percent(_validationAccuracy[e]),7}");
            sb.AppendLine(c, $"  {_elapsedSeconds[e],7:0.0}");
        }
        return sb.ToString().TrimEnd();
    }

    private static string Percent(float fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
