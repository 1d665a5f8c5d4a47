namespace NotebookCnn;

/// <summary>
/// Keeps a layer's output (while training) and its input gradient from one minibatch to the next, so that
/// steady-state training allocates nothing: a batch of the same shape overwrites the same tensor.
/// </summary>
/// <remarks>
/// The price: a tensor returned by <c>Forward(x, training: true)</c> or <c>Backward</c> is overwritten by the
/// layer's next call of the same kind. Clone it to keep it. Inference (<c>training: false</c>) on a layer returns
/// a new tensor, so predictions a student keeps stay as they are — except inside <see cref="ReuseInInference"/>.
/// <see cref="Sequential"/> opens that scope around its layers in inference (the outputs in between are seen by no
/// one) and returns a copy of the last; <see cref="Evaluation"/> opens it while it runs batch after batch and copies
/// what it needs from each output. So predicting a batch of 1000 images allocates only the scores, not megabytes
/// of intermediate maps on the large-object heap, which would cost a full (gen-2) collection on every call.
/// </remarks>
internal static class OutputBuffer
{
    [ThreadStatic] private static int t_reuseInInference; // open ReuseInInference scopes on this thread

    /// <summary>
    /// The tensor a Forward writes its output into: the layer's kept tensor while training (or inside
    /// <see cref="ReuseInInference"/>), else a new one.
    /// </summary>
    public static Tensor ForForward(bool training, ref Tensor? kept, ReadOnlySpan<int> shape) =>
        training || t_reuseInInference > 0 ? Reuse(ref kept, shape) : new Tensor(shape.ToArray());

    /// <summary>
    /// The output tensor of a layer that makes a new one in training: a new tensor there, and in inference the
    /// layer's kept one inside <see cref="ReuseInInference"/> (else a new one).
    /// </summary>
    public static Tensor ForOutput(bool training, ref Tensor? keptForInference, Tensor x) =>
        training ? x.ZerosLike() : ForForward(training: false, ref keptForInference, x.Shape);

    /// <summary>
    /// Until the returned scope is disposed, inference on this thread also reuses the layers' output tensors. For
    /// <see cref="Evaluation"/>, which reads every batch's output before the next: without it, evaluating 10,000
    /// images would allocate (and collect) megabytes per batch.
    /// </summary>
    public static InferenceScope ReuseInInference()
    {
        t_reuseInInference++;
        return new InferenceScope();
    }

    /// <summary>True inside a <see cref="ReuseInInference"/> scope on this thread: inference outputs are the layers' own tensors.</summary>
    public static bool ReusingInInference => t_reuseInInference > 0;

    /// <summary>Ends a <see cref="ReuseInInference"/> scope.</summary>
    public readonly struct InferenceScope : IDisposable
    {
        public void Dispose() => t_reuseInInference--;
    }

    /// <summary>Returns <paramref name="tensor"/> if it has <paramref name="shape"/>, else a new tensor of zeros stored in it.</summary>
    public static Tensor Reuse(ref Tensor? tensor, ReadOnlySpan<int> shape)
    {
        if (tensor is null || !tensor.Shape.SequenceEqual(shape)) tensor = new Tensor(shape.ToArray());
        return tensor;
    }

    /// <summary>Stores <paramref name="shape"/> in <paramref name="stored"/>, keeping the same array while the shape does not change.</summary>
    public static int[] Remember(ref int[]? stored, ReadOnlySpan<int> shape)
    {
        if (stored is null || !shape.SequenceEqual(stored)) stored = shape.ToArray();
        return stored;
    }

    /// <summary>
    /// <paramref name="source"/> reshaped to <paramref name="shape"/> (a view, no copy), kept in <paramref name="view"/>
    /// and returned again while the source's memory and the shape stay the same.
    /// </summary>
    public static Tensor View(ref Tensor? view, Tensor source, ReadOnlySpan<int> shape)
    {
        if (view is null || view.Data != source.Data || !view.Shape.SequenceEqual(shape)) view = source.Reshape(shape.ToArray());
        return view;
    }
}
