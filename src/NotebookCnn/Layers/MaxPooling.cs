namespace NotebookCnn;

/// <summary>
/// Max pooling: each output is the largest value in its window. A feature that moves by a pixel but stays
/// inside the window gives the same output, which makes the network a little robust to small shifts.
/// Backward sends each gradient to the one input that was the maximum (the argmax) and 0 to the others.
/// </summary>
/// <remarks>
/// Padding counts as −∞, so it is never the maximum. Ties go to the first maximum in row-major order.
/// The loops are direct (no im2col) and run one task per channel plane when the batch is large.
/// </remarks>
public class MaxPooling : Pooling
{
    private int[]? _argmax; // for each output value, the flat index of its input maximum: all Backward needs

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
        var y = new Tensor(outputShape);
        int h = x.Dim(2), w = x.Dim(3), oh = outputShape[2], ow = outputShape[3];
        int planes = outputShape[0] * outputShape[1];
        var argmax = _argmax = y.Length == _argmax?.Length ? _argmax : new int[y.Length];
        float[] input = x.Data, output = y.Data;
        ParallelLoops.ForEachItem(planes, (long)oh * ow * Size * Size, plane =>
        {
            int inputStart = plane * h * w, o = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++, o++)
                {
                    var (top, bottom, left, right) = Window(oy, ox, h, w);
                    int best = inputStart + top * w + left;
                    for (int iy = top; iy < bottom; iy++)
                        for (int i = inputStart + iy * w + left, end = i + right - left; i < end; i++)
                            if (input[i] > input[best]) best = i; // strict: the first maximum wins a tie
                    output[o] = input[best];
                    argmax[o] = best;
                }
        });
        return y;
    }

    /// <summary>dx is 0 except at each window's argmax, which receives that window's gradient (summed where windows overlap).</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, OutputShapeOfLastForward);
        var dx = new Tensor(InputShape!);
        int[] argmax = _argmax!;
        float[] d = dout.Data, result = dx.Data;
        int planeOutputs = dout.Dim(2) * dout.Dim(3);
        // A window's argmax lies in its own plane, so planes can be processed in parallel safely.
        ParallelLoops.ForEachItem(dout.Dim(0) * dout.Dim(1), planeOutputs, plane =>
        {
            for (int o = plane * planeOutputs; o < (plane + 1) * planeOutputs; o++) result[argmax[o]] += d[o];
        });
        return dx;
    }
}
