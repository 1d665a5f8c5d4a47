namespace NotebookCnn;

/// <summary>What <see cref="Trainer"/> reports after each epoch's evaluation.</summary>
/// <param name="Epoch">The epoch number, counting from 1.</param>
/// <param name="TotalEpochs">How many epochs the run will take if it is not stopped.</param>
/// <param name="Iteration">The number of iterations done so far.</param>
/// <param name="TrainLoss">Loss on the training set, in inference mode.</param>
/// <param name="TrainAccuracy">Accuracy on the training set, in [0, 1].</param>
/// <param name="ValidationLoss">Loss on the validation set, or null without one.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set, or null without one.</param>
/// <param name="ElapsedSeconds">Wall time since the run started.</param>
/// <param name="IsBest">True when this epoch is the best so far (see <see cref="TrainingHistory.BestEpoch"/>).</param>
/// <param name="History">The history so far, e.g. to redraw a live plot.</param>
public sealed record EpochInfo(
    int Epoch, int TotalEpochs, int Iteration,
    float TrainLoss, float TrainAccuracy, float? ValidationLoss, float? ValidationAccuracy,
    double ElapsedSeconds, bool IsBest, TrainingHistory History);
