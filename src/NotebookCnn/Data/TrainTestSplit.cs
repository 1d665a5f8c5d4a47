namespace NotebookCnn;

/// <summary>
/// A training set and a test set drawn from the same source. Deconstructs, so
/// <c>var (train, test) = Mnist.LoadBundled();</c> works.
/// </summary>
/// <param name="Train">The examples to learn from.</param>
/// <param name="Test">Held-out examples, used only to measure how well the network generalises.</param>
public sealed record TrainTestSplit(Dataset Train, Dataset Test)
{
    /// <inheritdoc />
    public override string ToString() => $"{Train}\n{Test}";
}
