namespace NotebookCnn;

/// <summary>
/// Average pooling: each output is the mean of its size×size window. Backward spreads each gradient
/// evenly: every input of the window receives gradient / (size·size).
/// </summary>
/// <remarks>
/// Padded zeros count in the mean: the divisor is always size·size, also for windows that overlap the
/// padding (PyTorch's <c>count_include_pad=True</c>). Direct loops, one task per channel plane when large.
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
        int h = x.Dim(2), w = x.Dim(3), oh = outputShape[2], ow = outputShape[3];
        float scale = 1f / (Size * Size);
        float[] input = x.Data, output = y.Data;
        ParallelLoops.ForEachItem(outputShape[0] * outputShape[1], (long)oh * ow * Size * Size, plane =>
        {
            int inputStart = plane * h * w, o = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++, o++)
                {
                    var (top, bottom, left, right) = Window(oy, ox, h, w);
                    float sum = 0f; // padded zeros add nothing to the sum but still count in the divisor
                    for (int iy = top; iy < bottom; iy++)
                        for (int i = inputStart + iy * w + left, end = i + right - left; i < end; i++) sum += input[i];
                    output[o] = sum * scale;
                }
        });
        return y;
    }

    /// <summary>Each input receives the sum over the windows containing it of gradient / (size·size).</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, OutputShapeOfLastForward);
        var dx = new Tensor(InputShape!);
        int h = dx.Dim(2), w = dx.Dim(3), oh = dout.Dim(2), ow = dout.Dim(3);
        float scale = 1f / (Size * Size);
        float[] d = dout.Data, result = dx.Data;
        ParallelLoops.ForEachItem(dout.Dim(0) * dout.Dim(1), (long)oh * ow * Size * Size, plane =>
        {
            int inputStart = plane * h * w, o = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++, o++)
                {
                    var (top, bottom, left, right) = Window(oy, ox, h, w);
                    float share = d[o] * scale;
                    for (int iy = top; iy < bottom; iy++)
                        for (int i = inputStart + iy * w + left, end = i + right - left; i < end; i++) result[i] += share;
                }
        });
        return dx;
    }
}
