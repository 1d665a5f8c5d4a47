namespace NotebookCnn;

/// <summary>What <see cref="Trainer"/> reports after each iteration (one minibatch update).</summary>
/// <param name="Iteration">The iteration number, counting from 1.</param>
/// <param name="TotalIterations">How many iterations the run will take if it is not stopped.</param>
/// <param name="Epoch">The epoch (pass over the training set) this iteration belongs to, counting from 1.</param>
/// <param name="Loss">The minibatch loss before this update (in training mode).</param>
/// <param name="LearningRate">The learning rate used for this update.</param>
/// <param name="ElapsedSeconds">Wall time since the run started.</param>
public sealed record IterationInfo(int Iteration, int TotalIterations, int Epoch, float Loss, float LearningRate, double ElapsedSeconds);
