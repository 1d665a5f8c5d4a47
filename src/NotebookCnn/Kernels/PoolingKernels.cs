namespace NotebookCnn;

/// <summary>The sizes of one pooling call: <see cref="Planes"/> channel planes of H×W pooled to OH×OW by size×size windows.</summary>
internal readonly record struct PoolingGeometry(int Planes, int H, int W, int OutHeight, int OutWidth, int Size, int Stride, int Padding)
{
    /// <summary>The usual 2×2 window with stride 2 and no padding, which has a vectorised kernel.</summary>
    public bool IsTwoByTwo => Size == 2 && Stride == 2 && Padding == 0;

    /// <summary>The window of output (oy, ox), clipped to the real pixels [0, H) × [0, W).</summary>
    public (int Top, int Bottom, int Left, int Right) Window(int oy, int ox)
    {
        int y0 = oy * Stride - Padding, x0 = ox * Stride - Padding;
        return (Math.Max(y0, 0), Math.Min(y0 + Size, H), Math.Max(x0, 0), Math.Min(x0 + Size, W));
    }
}

/// <summary>
/// The loops under <see cref="MaxPooling"/> and <see cref="AveragePooling"/>: direct loops over each channel plane
/// (no im2col), planes spread over the cores, the usual 2×2 max pooling vectorised (<see cref="MaxPool2x2"/>).
/// The loop-level versions are in <see cref="Reference.NaivePooling"/>.
/// </summary>
internal static class PoolingKernels
{
    // Tasks of this many planes: a single 12×12 plane is too little work to hand to another thread.
    private const int PlanesPerTask = 16;

    /// <summary>output = the largest value of each window; argmax = its flat index in input (the first, in row-major order, on a tie).</summary>
    public static void MaxForward(PoolingGeometry p, float[] input, float[] output, int[] argmax)
    {
        int tasks = (p.Planes + PlanesPerTask - 1) / PlanesPerTask;
        ParallelLoops.ForEachItem(tasks, (long)PlanesPerTask * p.OutHeight * p.OutWidth * p.Size * p.Size, (p, input, output, argmax), static (s, task) =>
        {
            var (p, input, output, argmax) = s;
            for (int plane = task * PlanesPerTask; plane < Math.Min(p.Planes, (task + 1) * PlanesPerTask); plane++)
                if (p.IsTwoByTwo)
                    MaxPool2x2.Plane(input, plane * p.H * p.W, p.W, output, argmax, plane * p.OutHeight * p.OutWidth, p.OutHeight, p.OutWidth);
                else
                    MaxPlane(p, input, plane * p.H * p.W, output, argmax, plane * p.OutHeight * p.OutWidth);
        });
    }

    // One channel plane: for each window, the first (row-major) position of its largest value.
    private static void MaxPlane(in PoolingGeometry p, float[] input, int inputStart, float[] output, int[] argmax, int o)
    {
        for (int oy = 0; oy < p.OutHeight; oy++)
            for (int ox = 0; ox < p.OutWidth; ox++, o++)
            {
                int y0 = oy * p.Stride - p.Padding, x0 = ox * p.Stride - p.Padding;
                int best;
                if (y0 >= 0 && x0 >= 0 && y0 + p.Size <= p.H && x0 + p.Size <= p.W)
                    best = ArgMax(input, inputStart + y0 * p.W + x0, p.Size, p.Size, p.W);
                else
                {
                    // A window over the padding: only its real pixels take part (padding counts as −∞).
                    var (top, bottom, left, right) = p.Window(oy, ox);
                    best = ArgMax(input, inputStart + top * p.W + left, bottom - top, right - left, p.W);
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

    /// <summary>dx = 0 except at each window's argmax, which receives that window's gradient (summed where windows overlap).</summary>
    public static void MaxBackward(PoolingGeometry p, float[] dout, int[] argmax, float[] dx)
    {
        // A window's argmax lies in its own plane, so planes can be processed in parallel safely.
        int tasks = (p.Planes + PlanesPerTask - 1) / PlanesPerTask;
        ParallelLoops.ForEachItem(tasks, (long)PlanesPerTask * p.H * p.W, (p, dout, argmax, dx), static (s, task) =>
        {
            var (p, dout, argmax, dx) = s;
            int planeOutputs = p.OutHeight * p.OutWidth, planeInputs = p.H * p.W;
            for (int plane = task * PlanesPerTask; plane < Math.Min(p.Planes, (task + 1) * PlanesPerTask); plane++)
            {
                if (p.IsTwoByTwo)
                {
                    MaxPool2x2.BackwardPlane(dout, argmax, plane * planeOutputs, p.OutHeight, p.OutWidth, dx, plane * planeInputs, p.W);
                    continue;
                }
                dx.AsSpan(plane * planeInputs, planeInputs).Clear(); // gradients are added below, where windows overlap
                for (int o = plane * planeOutputs; o < (plane + 1) * planeOutputs; o++) dx[argmax[o]] += dout[o];
            }
        });
    }

    /// <summary>output = the mean of each window; padded zeros add nothing to the sum but count in the divisor size·size.</summary>
    public static void AverageForward(PoolingGeometry p, float[] input, float[] output) =>
        ParallelLoops.ForEachItem(p.Planes, (long)p.OutHeight * p.OutWidth * p.Size * p.Size, (p, input, output), static (s, plane) =>
        {
            var (p, input, output) = s;
            float scale = 1f / (p.Size * p.Size);
            int inputStart = plane * p.H * p.W, o = plane * p.OutHeight * p.OutWidth;
            for (int oy = 0; oy < p.OutHeight; oy++)
                for (int ox = 0; ox < p.OutWidth; ox++, o++)
                {
                    var (top, bottom, left, right) = p.Window(oy, ox);
                    float sum = 0f;
                    for (int iy = top; iy < bottom; iy++)
                        for (int i = inputStart + iy * p.W + left, end = i + right - left; i < end; i++) sum += input[i];
                    output[o] = sum * scale;
                }
        });

    /// <summary>dx (all zeros on entry) += dout / (size·size) for every input of every window.</summary>
    public static void AverageBackward(PoolingGeometry p, float[] dout, float[] dx) =>
        ParallelLoops.ForEachItem(p.Planes, (long)p.OutHeight * p.OutWidth * p.Size * p.Size, (p, dout, dx), static (s, plane) =>
        {
            var (p, dout, dx) = s;
            float scale = 1f / (p.Size * p.Size);
            int inputStart = plane * p.H * p.W, o = plane * p.OutHeight * p.OutWidth;
            for (int oy = 0; oy < p.OutHeight; oy++)
                for (int ox = 0; ox < p.OutWidth; ox++, o++)
                {
                    var (top, bottom, left, right) = p.Window(oy, ox);
                    float share = dout[o] * scale;
                    for (int iy = top; iy < bottom; iy++)
                        for (int i = inputStart + iy * p.W + left, end = i + right - left; i < end; i++) dx[i] += share;
                }
        });
}
