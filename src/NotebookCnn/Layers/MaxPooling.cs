namespace NotebookCnn;

/// <summary>
/// Max pooling: each output is the largest value in its window. A feature that moves by a pixel but stays
/// inside the window gives the same output, which makes the network a little robust to small shifts.
/// Backward sends each gradient to the one input that was the maximum (the argmax) and 0 to the others.
/// </summary>
/// <remarks>
/// Padding counts as −∞, so it is never the maximum. Ties go to the first maximum in row-major order.
/// The loops are in <see cref="PoolingKernels"/>; the loop-level version is <see cref="Reference.NaivePooling"/>.
/// </remarks>
public class MaxPooling : Pooling
{
    private int[]? _argmax; // for each output value, the flat index of its input maximum: all Backward needs
    private Tensor? _output;        // reused by the next training batch of the same shape (see OutputBuffer)
    private Tensor? _inputGradient; // reused by the next Backward of the same shape

    /// <summary>Creates a max-pooling layer, e.g. <c>new MaxPooling(2)</c> halves height and width.</summary>
    /// <param name="size">The window's height and width.</param>
    /// <param name="stride">The step between windows; -1 (the default) means equal to <paramref name="size"/>.</param>
    /// <param name="padding">Rows and columns of −∞ added on every side (less than <paramref name="size"/>).</param>
    /// <param name="name">The layer's name; "maxpooling" unless given.</param>
    public MaxPooling(int size, int stride = -1, int padding = 0, string? name = null)
        : base(size, stride, padding, name ?? "maxpooling") { }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, bool training)
    {
        var outputShape = BeginForward(x);
        var y = OutputBuffer.ForForward(training, ref _output, outputShape);
        var argmax = _argmax = y.Length == _argmax?.Length ? _argmax : new int[y.Length];
        PoolingKernels.MaxForward(Geometry(x.Shape, outputShape), x.Data, y.Data, argmax);
        return y;
    }

    /// <summary>dx is 0 except at each window's argmax, which receives that window's gradient (summed where windows overlap).</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, OutputShapeOfLastForward);
        var dx = OutputBuffer.Reuse(ref _inputGradient, InputShape!);
        PoolingKernels.MaxBackward(Geometry(InputShape, dout.Shape), dout.Data, _argmax!, dx.Data);
        return dx;
    }
}
