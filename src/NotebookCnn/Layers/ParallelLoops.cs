namespace NotebookCnn;

/// <summary>
/// Shared plumbing for elementwise layers: splitting a long loop over both cores, and the
/// vectorised product <c>dout ⊙ factor</c> that is the backward pass of ReLU, Leaky ReLU and Dropout.
/// </summary>
internal static class ParallelLoops
{
    /// <summary>
    /// Below this many values one core is faster than handing chunks to the thread pool
    /// (an order of magnitude, not a tuned constant). Power of two, so chunks stay vector-aligned.
    /// </summary>
    internal const int ChunkLength = 1 << 15;

    /// <summary>Runs <paramref name="body"/>(start, count) over [0, length): in one call when small, in parallel chunks when big.</summary>
    public static void For(int length, Action<int, int> body)
    {
        if (length <= 2 * ChunkLength) { body(0, length); return; }
        int chunks = (length + ChunkLength - 1) / ChunkLength;
        Parallel.For(0, chunks, chunk =>
        {
            int start = chunk * ChunkLength;
            body(start, Math.Min(ChunkLength, length - start));
        });
    }

    /// <summary>Runs <paramref name="body"/>(i) for i in [0, count), in parallel when count · workPerItem is big.</summary>
    public static void ForEachItem(int count, long workPerItem, Action<int> body)
    {
        if (count < 2 || count * workPerItem <= 2 * ChunkLength)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, body);
    }

    /// <summary>result = a ⊙ b, element by element (vectorised by <see cref="Elementwise"/>), in parallel chunks when long.</summary>
    public static void Multiply(float[] a, float[] b, float[] result) =>
        For(result.Length, (start, count) =>
            Elementwise.Multiply(a.AsSpan(start, count), b.AsSpan(start, count), result.AsSpan(start, count)));

    /// <summary>Returns <paramref name="buffer"/> if it has <paramref name="length"/> values, else a new array: caches are reused across minibatches.</summary>
    public static float[] Reuse(float[]? buffer, int length) => buffer is not null && buffer.Length == length ? buffer : new float[length];
}
