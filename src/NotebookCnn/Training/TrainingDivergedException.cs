using System.Globalization;

namespace NotebookCnn;

/// <summary>
/// Thrown when the training loss becomes NaN or infinite. Training cannot recover from that (every later
/// gradient is NaN too), so it stops at once and says where, instead of continuing silently.
/// The history up to that point is in <see cref="History"/>, to plot what happened.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception; the message names the iteration, the last finite loss and a hint.</summary>
    public TrainingDivergedException(int iteration, int epoch, float loss, float? lastFiniteLoss, float learningRate, TrainingHistory history)
        : base(Describe(iteration, epoch, loss, lastFiniteLoss, learningRate))
    {
        Iteration = iteration;
        Epoch = epoch;
        Loss = loss;
        LastFiniteLoss = lastFiniteLoss;
        LearningRate = learningRate;
        History = history;
    }

    /// <summary>The iteration (counting from 1) whose loss was not finite.</summary>
    public int Iteration { get; }

    /// <summary>The epoch (counting from 1) of that iteration.</summary>
    public int Epoch { get; }

    /// <summary>The loss value: NaN, +∞ or −∞.</summary>
    public float Loss { get; }

    /// <summary>The loss of the iteration before, or null if the very first loss was not finite.</summary>
    public float? LastFiniteLoss { get; }

    /// <summary>The learning rate in use.</summary>
    public float LearningRate { get; }

    /// <summary>The history up to the iteration before the divergence.</summary>
    public TrainingHistory History { get; }

    private static string Describe(int iteration, int epoch, float loss, float? lastFiniteLoss, float learningRate)
    {
        var c = CultureInfo.InvariantCulture;
        string what = float.IsNaN(loss) ? "NaN" : loss > 0 ? "+infinity" : "-infinity";
        string before = lastFiniteLoss is { } last
            ? string.Format(c, "the last finite loss was {0:G5} at iteration {1}", last, iteration - 1)
            : "no iteration had a finite loss yet (check the inputs and the initial weights for NaN or huge values)";
        return string.Format(c,
            "Training diverged at iteration {0} (epoch {1}): the loss became {2}; {3}. " +
            "Learning rate too high? It was {4:G5}; try a smaller one, or gradient clipping (Optimizer.MaxGradientNorm).",
            iteration, epoch, what, before, learningRate);
    }
}
