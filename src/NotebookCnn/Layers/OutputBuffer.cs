namespace NotebookCnn;

/// <summary>
/// Keeps a layer's output (while training) and its input gradient from one minibatch to the next, so that
/// steady-state training allocates nothing: a batch of the same shape overwrites the same tensor.
/// </summary>
/// <remarks>
/// The price: a tensor returned by <c>Forward(x, training: true)</c> or <c>Backward</c> is overwritten by the
/// layer's next call of the same kind. Clone it to keep it. Inference (<c>training: false</c>) always returns
/// a new tensor, so predictions a student keeps stay as they are.
/// </remarks>
internal static class OutputBuffer
{
    /// <summary>Returns <paramref name="tensor"/> if it has <paramref name="shape"/>, else a new tensor of zeros stored in it.</summary>
    public static Tensor Reuse(ref Tensor? tensor, ReadOnlySpan<int> shape)
    {
        if (tensor is null || !tensor.Shape.SequenceEqual(shape)) tensor = new Tensor(shape.ToArray());
        return tensor;
    }
}
