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
        int h = x.Dim(2), w = x.Dim(3), oh = outputShape[2], ow = outputShape[3];
        int planes = outputShape[0] * outputShape[1];
        var argmax = _argmax = y.Length == _argmax?.Length ? _argmax : new int[y.Length];
        float[] input = x.Data, output = y.Data;
        // Tasks of PlanesPerTask planes: a single 12×12 plane is too little work to hand to another thread.
        int tasks = (planes + PlanesPerTask - 1) / PlanesPerTask;
        ParallelLoops.ForEachItem(tasks, (long)PlanesPerTask * oh * ow * Size * Size,
            (layer: this, input, output, argmax, planes, h, w, oh, ow), static (s, task) =>
        {
            // The usual 2×2, stride 2 pooling has a vectorised kernel; any other window takes the general loop.
            bool twoByTwo = s.layer is { Size: 2, Stride: 2, Padding: 0 };
            for (int plane = task * PlanesPerTask; plane < Math.Min(s.planes, (task + 1) * PlanesPerTask); plane++)
                if (twoByTwo)
                    MaxPool2x2.Plane(s.input, plane * s.h * s.w, s.w, s.output, s.argmax, plane * s.oh * s.ow, s.oh, s.ow);
                else
                    s.layer.PoolPlane(s.input, plane * s.h * s.w, s.h, s.w, s.output, s.argmax, plane * s.oh * s.ow, s.oh, s.ow);
        });
        return y;
    }

    private const int PlanesPerTask = 16;

    // One channel plane: for each window, the first (row-major) position of its largest value.
    private void PoolPlane(float[] input, int inputStart, int h, int w, float[] output, int[] argmax, int o, int oh, int ow)
    {
        int size = Size, stride = Stride, padding = Padding;
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++, o++)
            {
                int y0 = oy * stride - padding, x0 = ox * stride - padding;
                int best;
                if (y0 >= 0 && x0 >= 0 && y0 + size <= h && x0 + size <= w)
                    best = ArgMax(input, inputStart + y0 * w + x0, size, size, w);
                else
                {
                    // A window over the padding: only its real pixels take part (padding counts as −∞).
                    var (top, bottom, left, right) = Window(oy, ox, h, w);
                    best = ArgMax(input, inputStart + top * w + left, bottom - top, right - left, w);
                }
                output[o] = input[best];
                argmax[o] = best;
            }
    }

    // The flat index of the largest value in a rows × columns window starting at `start`, rows `w` apart.
    // Strict: the first maximum wins a tie. Written with selects rather than an if, so the processor need
    // not guess the outcome of each comparison (on noisy data it would guess wrong half the time).
    private static int ArgMax(float[] input, int start, int rows, int columns, int w)
    {
        int best = start;
        float bestValue = input[start];
        for (int r = 0; r < rows; r++)
            for (int i = start + r * w, end = i + columns; i < end; i++)
            {
                float v = input[i];
                bool greater = v > bestValue;
                best = greater ? i : best;
                bestValue = greater ? v : bestValue;
            }
        return best;
    }

    /// <summary>dx is 0 except at each window's argmax, which receives that window's gradient (summed where windows overlap).</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, OutputShapeOfLastForward);
        var dx = OutputBuffer.Reuse(ref _inputGradient, InputShape!);
        int[] argmax = _argmax!;
        float[] d = dout.Data, result = dx.Data;
        int planeOutputs = dout.Dim(2) * dout.Dim(3), planeInputs = InputShape![2] * InputShape[3];
        // A window's argmax lies in its own plane, so planes can be processed in parallel safely.
        int planes = dout.Dim(0) * dout.Dim(1), tasks = (planes + PlanesPerTask - 1) / PlanesPerTask;
        ParallelLoops.ForEachItem(tasks, (long)PlanesPerTask * planeInputs,
            (layer: this, argmax, d, result, planes, planeOutputs, planeInputs, oh: dout.Dim(2), ow: dout.Dim(3), w: InputShape[3]), static (s, task) =>
        {
            bool twoByTwo = s.layer is { Size: 2, Stride: 2, Padding: 0 };
            for (int plane = task * PlanesPerTask; plane < Math.Min(s.planes, (task + 1) * PlanesPerTask); plane++)
            {
                if (twoByTwo)
                {
                    MaxPool2x2.BackwardPlane(s.d, s.argmax, plane * s.planeOutputs, s.oh, s.ow, s.result, plane * s.planeInputs, s.w);
                    continue;
                }
                s.result.AsSpan(plane * s.planeInputs, s.planeInputs).Clear(); // gradients are added below, where windows overlap
                for (int o = plane * s.planeOutputs; o < (plane + 1) * s.planeOutputs; o++) s.result[s.argmax[o]] += s.d[o];
            }
        });
        return dx;
    }
}
