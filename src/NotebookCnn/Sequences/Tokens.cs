namespace NotebookCnn;

/// <summary>
/// Token sequences (lists of int ids) to and from the tensors that layers and losses take.
/// </summary>
public static class Tokens
{
    /// <summary>
    /// Id sequences, all of length T, as a float tensor [N, T] for <see cref="Embedding"/> or <see cref="OneHot"/>
    /// (layers take tensors of floats, so id 3 travels as 3f).
    /// </summary>
    /// <exception cref="ArgumentException">There are no sequences, or they differ in length.</exception>
    public static Tensor ToTensor(int[][] sequences)
    {
        int steps = CheckRectangular(sequences);
        var x = new Tensor(sequences.Length, steps);
        for (int i = 0; i < sequences.Length; i++)
            for (int t = 0; t < steps; t++)
                x.Data[i * steps + t] = sequences[i][t];
        return x;
    }

    /// <summary>
    /// All ids in one array, sequence after sequence: the labels for <see cref="SequenceSoftmaxCrossEntropy"/>,
    /// in the order of the rows of scores [N, T, V] seen as [N·T, V].
    /// </summary>
    public static int[] Flatten(int[][] sequences)
    {
        CheckRectangular(sequences);
        return sequences.SelectMany(s => s).ToArray();
    }

    /// <summary>The id with the highest score at every position of scores [N, T, V], as sequences.</summary>
    public static int[][] ArgMax(Tensor scores)
    {
        if (scores.Rank != 3)
            throw new ArgumentException($"Tokens.ArgMax expects scores [N, T, V], got shape {Tensor.FormatShape(scores.Shape)}.");
        int n = scores.Dim(0), steps = scores.Dim(1);
        int[] best = scores.Reshape(n * steps, scores.Dim(2)).ArgMaxRows();
        return Enumerable.Range(0, n).Select(i => best.AsSpan(i * steps, steps).ToArray()).ToArray();
    }

    private static int CheckRectangular(int[][] sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Length == 0) throw new ArgumentException("Tokens: expected at least one sequence, got none.");
        int steps = sequences[0].Length;
        for (int i = 1; i < sequences.Length; i++)
            if (sequences[i].Length != steps)
                throw new ArgumentException($"Tokens: all sequences must have the same length; sequence 0 has {steps} ids, sequence {i} has {sequences[i].Length}.");
        return steps;
    }
}
