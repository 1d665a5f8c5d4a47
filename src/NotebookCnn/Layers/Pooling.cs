namespace NotebookCnn;

/// <summary>
/// What max and average pooling share: a size×size window slides over each channel of [N, C, H, W]
/// with a stride, giving [N, C, OH, OW] with OH = (H + 2·padding − size) / stride + 1. Pooling has no
/// parameters and leaves the number of channels unchanged (chapter 04).
/// </summary>
public abstract class Pooling : Layer
{
    private protected int[]? InputShape;   // [N, C, H, W] of the last Forward
    private protected int[]? OutputShapeOfLastForward;

    /// <summary>Checks and stores the window geometry.</summary>
    /// <param name="size">The window's height and width.</param>
    /// <param name="stride">The step between windows; -1 means <paramref name="size"/> (windows that touch, do not overlap).</param>
    /// <param name="padding">Rows and columns added on every side; must be smaller than <paramref name="size"/> so every window sees at least one real pixel.</param>
    /// <param name="name">The layer's name.</param>
    private protected Pooling(int size, int stride, int padding, string name) : base(name)
    {
        string type = GetType().Name;
        LayerInput.RequirePositive(type, nameof(size), size);
        if (stride == -1) stride = size;
        LayerInput.RequirePositive(type, nameof(stride), stride);
        if (padding < 0 || padding >= size)
            throw new ArgumentOutOfRangeException(nameof(padding), padding,
                $"{type} '{name}': padding must be in 0…{size - 1} (less than the window size {size}, or a window could hold only padding), got {padding}.");
        Size = size;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>The window's height and width.</summary>
    public int Size { get; }

    /// <summary>The step between neighbouring windows.</summary>
    public int Stride { get; }

    /// <summary>Rows and columns of padding on every side.</summary>
    public int Padding { get; }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        LayerInput.RequireRank(this, inputShape, "[N, C, H, W]", 4);
        try
        {
            return [inputShape[0], inputShape[1],
                Im2Col.OutputSize(inputShape[2], Size, Stride, Padding),
                Im2Col.OutputSize(inputShape[3], Size, Stride, Padding)];
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{LayerInput.Describe(this)} cannot pool input {Tensor.FormatShape(inputShape)}: {e.Message}", e);
        }
    }

    /// <summary>Checks the input, remembers its shape for Backward and returns the output shape.</summary>
    private protected int[] BeginForward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        // The same shape as last time (every minibatch of a training run): keep the arrays, allocate nothing.
        if (InputShape is null || OutputShapeOfLastForward is null || !x.Shape.SequenceEqual(InputShape))
            (OutputShapeOfLastForward, InputShape) = (OutputShape(x.ShapeArray()), x.ShapeArray());
        return OutputShapeOfLastForward;
    }

    /// <summary>The sizes the pooling loops need: planes N·C of H×W pooled to OH×OW.</summary>
    private protected PoolingGeometry Geometry(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> outputShape) =>
        new(inputShape[0] * inputShape[1], inputShape[2], inputShape[3], outputShape[2], outputShape[3], Size, Stride, Padding);

    /// <inheritdoc />
    public override string ToString() =>
        $"{GetType().Name} {Name}: {Size}×{Size}, stride {Stride}" + (Padding > 0 ? $", padding {Padding}" : "");
}
