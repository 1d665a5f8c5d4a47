namespace NotebookCnn;

/// <summary>
/// Shared plumbing for layers: splitting a long loop over both cores, and the vectorised product
/// <c>dout ⊙ factor</c> that is the backward pass of ReLU, Leaky ReLU and Dropout.
/// </summary>
/// <remarks>
/// The loops take their data as a <c>state</c> (a tuple of arrays and sizes) and a <c>static</c> lambda, which
/// captures nothing: a lambda that captured variables would allocate a closure on every call, and a layer runs
/// its loops for every minibatch (see <see cref="ParallelWork"/>).
/// </remarks>
internal static class ParallelLoops
{
    /// <summary>
    /// Below this many values one core is faster than handing chunks to the thread pool
    /// (an order of magnitude, not a tuned constant). Power of two, so chunks stay vector-aligned.
    /// </summary>
    internal const int ChunkLength = 1 << 15;

    /// <summary>Runs <paramref name="body"/>(state, start, count) over [0, length): in one call when small, in parallel chunks when big.</summary>
    public static void For<TState>(int length, TState state, Action<TState, int, int> body)
    {
        if (length <= 2 * ChunkLength) { body(state, 0, length); return; }
        int chunks = (length + ChunkLength - 1) / ChunkLength;
        ParallelWork.For(chunks, (state, body, length), static (s, chunk) =>
        {
            int start = chunk * ChunkLength;
            s.body(s.state, start, Math.Min(ChunkLength, s.length - start));
        });
    }

    /// <summary>Runs <paramref name="body"/>(state, i) for i in [0, count), in parallel when count · workPerItem is big.</summary>
    public static void ForEachItem<TState>(int count, long workPerItem, TState state, Action<TState, int> body)
    {
        if (count < 2 || count * workPerItem <= 2 * ChunkLength)
        {
            for (int i = 0; i < count; i++) body(state, i);
            return;
        }
        ParallelWork.For(count, state, body);
    }

    /// <summary>
    /// <see cref="For{TState}"/> with a lambda that captures what it needs: simpler to write, but the closure is a
    /// small allocation per call. Fine for layers outside the course's hot paths.
    /// </summary>
    public static void For(int length, Action<int, int> body) =>
        For(length, body, static (b, start, count) => b(start, count));

    /// <summary><see cref="ForEachItem{TState}"/> with a capturing lambda (a small allocation per call, see <see cref="For(int, Action{int, int})"/>).</summary>
    public static void ForEachItem(int count, long workPerItem, Action<int> body) =>
        ForEachItem(count, workPerItem, body, static (b, i) => b(i));

    /// <summary>result = a ⊙ b, element by element (vectorised by <see cref="Elementwise"/>), in parallel chunks when long.</summary>
    public static void Multiply(float[] a, float[] b, float[] result) =>
        For(result.Length, (a, b, result), static (s, start, count) =>
            Elementwise.Multiply(s.a.AsSpan(start, count), s.b.AsSpan(start, count), s.result.AsSpan(start, count)));

    /// <summary>Returns <paramref name="buffer"/> if it has <paramref name="length"/> values, else a new array: caches are reused across minibatches.</summary>
    public static float[] Reuse(float[]? buffer, int length) => buffer is not null && buffer.Length == length ? buffer : new float[length];
}
