namespace NotebookCnn;

/// <summary>
/// Average pooling: each output is the mean of its size×size window. Backward spreads each gradient
/// evenly: every input of the window receives gradient / (size·size).
/// </summary>
/// <remarks>
/// Padded zeros count in the mean: the divisor is always size·size, also for windows that overlap the
/// padding (PyTorch's <c>count_include_pad=True</c>). The loops are in <see cref="PoolingKernels"/>; the loop-level
/// version is <see cref="Reference.NaivePooling"/>.
/// </remarks>
public class AveragePooling : Pooling
{
    /// <summary>Creates an average-pooling layer.</summary>
    /// <param name="size">The window's height and width.</param>
    /// <param name="stride">The step between windows; -1 (the default) means equal to <paramref name="size"/>.</param>
    /// <param name="padding">Rows and columns of zeros added on every side (less than <paramref name="size"/>).</param>
    /// <param name="name">The layer's name; "averagepooling" unless given.</param>
    public AveragePooling(int size, int stride = -1, int padding = 0, string? name = null)
        : base(size, stride, padding, name ?? "averagepooling") { }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, bool training)
    {
        var outputShape = BeginForward(x);
        var y = new Tensor(outputShape);
        PoolingKernels.AverageForward(Geometry(x.Shape, outputShape), x.Data, y.Data);
        return y;
    }

    /// <summary>Each input receives the sum over the windows containing it of gradient / (size·size).</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, OutputShapeOfLastForward);
        var dx = new Tensor(InputShape!);
        PoolingKernels.AverageBackward(Geometry(InputShape, dout.Shape), dout.Data, dx.Data);
        return dx;
    }
}
