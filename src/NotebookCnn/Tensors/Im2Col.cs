using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NotebookCnn;

/// <summary>
/// im2col: lays every receptive field of a batch of images out as one row of a matrix, so that a
/// convolution becomes a single matrix multiply. <see cref="Col2Im"/> is its adjoint, used by backward.
/// </summary>
public static class Im2Col
{
    /// <summary>
    /// The output size of a sliding window: (inputSize + 2·padding − kernelSize) / stride + 1.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes are not positive or the window does not fit a whole number of times.</exception>
    public static int OutputSize(int inputSize, int kernelSize, int stride, int padding)
    {
        if (inputSize <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentException(
                $"Sizes must be positive (padding ≥ 0): input {inputSize}, kernel {kernelSize}, stride {stride}, padding {padding}.");
        int span = inputSize + 2 * padding - kernelSize;
        if (span < 0)
            throw new ArgumentException(
                $"Kernel {kernelSize} is larger than the padded input {inputSize} + 2·{padding} = {inputSize + 2 * padding}.");
        if (span % stride != 0)
            throw new ArgumentException(
                $"(H + 2P − FH)/S + 1 = ({inputSize} + 2·{padding} − {kernelSize})/{stride} + 1 = {span / (double)stride + 1:0.##} is not a whole number: change padding or stride.");
        return span / stride + 1;
    }

    /// <summary>
    /// Unfolds x [N, C, H, W] into a matrix [N·OH·OW, C·KH·KW]: row (n, oy, ox) holds the
    /// receptive field of output pixel (oy, ox) of image n, channel by channel.
    /// </summary>
    public static Tensor Unfold(Tensor x, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        if (x.Rank != 4)
            throw new ArgumentException($"Im2Col expects [N, C, H, W], got {Tensor.FormatShape(x.Shape)}.");
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        int oh = OutputSize(h, kernelHeight, stride, padding), ow = OutputSize(w, kernelWidth, stride, padding);
        var cols = new Tensor(n * oh * ow, c * kernelHeight * kernelWidth);
        Unfold(x.Data, n, c, h, w, kernelHeight, kernelWidth, stride, padding, cols.Data);
        return cols;
    }

    /// <summary>The same as <see cref="Unfold(Tensor, int, int, int, int)"/>, writing into a caller's buffer of length N·OH·OW·C·KH·KW.</summary>
    /// <remarks>The buffer may be longer (reused across batches); values beyond N·OH·OW·C·KH·KW are not touched.</remarks>
    /// <exception cref="ArgumentException">The sizes do not fit or an array is too short.</exception>
    public static void Unfold(float[] x, int n, int c, int h, int w, int kernelHeight, int kernelWidth,
        int stride, int padding, float[] cols)
    {
        var geometry = new Geometry("Im2Col", n, c, h, w, kernelHeight, kernelWidth, stride, padding);
        geometry.RequireLengths(x, "x", cols, "cols");
        if (geometry.RunInParallel)
            geometry.UnfoldInParallel(x, cols);
        else
            for (int image = 0; image < n; image++)
                geometry.UnfoldImage(x, cols, image);
    }

    /// <summary>
    /// The sizes of one im2col/col2im call, checked once, and the per-image loops both directions share.
    /// </summary>
    /// <remarks>
    /// Row (n, oy, ox) of the columns is C·KH segments of KW values, and segment (ch, ky) is the input
    /// row iy = oy·S + ky − P from column ix0 = ox·S − P on: KW consecutive values of memory whatever the
    /// stride. So both directions copy (or add) short contiguous runs, and only windows that touch the
    /// padding need the per-value bounds test. A run of KW values is moved with whole 8-float vectors and a
    /// masked vector for the last 1–8 values (AVX masked loads and stores touch only the lanes in the mask),
    /// instead of one value at a time. Images never share columns or pixels, so images run in parallel.
    /// </remarks>
    internal readonly struct Geometry
    {
        // Below this many column values (256 KB) starting a second thread costs about as much as the copy
        // itself (a rough estimate: the copy runs at a few GB/s, a parallel loop costs some microseconds).
        private const long ParallelThreshold = 1 << 16;

        public readonly int N, C, H, W, KernelHeight, KernelWidth, Stride, Padding, OutHeight, OutWidth;
        private readonly string _name;
        private readonly Vector256<float> _lastMask; // lanes 0 … (the run's last partial vector length − 1)

        public Geometry(string name, int n, int c, int h, int w, int kernelHeight, int kernelWidth, int stride, int padding)
        {
            if (n < 0 || c <= 0)
                throw new ArgumentException($"{name}: batch size must be ≥ 0 and channels > 0, got N = {n}, C = {c}.");
            _name = name;
            N = n; C = c; H = h; W = w;
            KernelHeight = kernelHeight; KernelWidth = kernelWidth; Stride = stride; Padding = padding;
            OutHeight = OutputSize(h, kernelHeight, stride, padding);
            OutWidth = OutputSize(w, kernelWidth, stride, padding);
            int last = kernelWidth - 8 * ((kernelWidth - 1) / 8);
            _lastMask = Vector256.LessThan(Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f), Vector256.Create((float)last));
        }

        /// <summary>target[0..KW) = source[0..KW).</summary>
        private unsafe void CopyRun(float* source, float* target)
        {
            int count = KernelWidth;
            if (!Avx.IsSupported)
            {
                for (int j = 0; j < count; j++)
                    target[j] = source[j];
                return;
            }
            int i = 0;
            for (; i + 8 < count; i += 8)
                Vector256.Load(source + i).Store(target + i);
            Avx.MaskStore(target + i, _lastMask, Avx.MaskLoad(source + i, _lastMask));
        }

        /// <summary>target[0..KW) += source[0..KW).</summary>
        private unsafe void AddRun(float* source, float* target)
        {
            int count = KernelWidth;
            if (!Avx.IsSupported)
            {
                for (int j = 0; j < count; j++)
                    target[j] += source[j];
                return;
            }
            int i = 0;
            for (; i + 8 < count; i += 8)
                (Vector256.Load(target + i) + Vector256.Load(source + i)).Store(target + i);
            Avx.MaskStore(target + i, _lastMask,
                Avx.Add(Avx.MaskLoad(target + i, _lastMask), Avx.MaskLoad(source + i, _lastMask)));
        }

        public int RowLength => C * KernelHeight * KernelWidth;
        public long ImageLength => (long)C * H * W;
        public long ColumnsPerImage => (long)OutHeight * OutWidth * RowLength;
        public bool RunInParallel => N > 1 && Environment.ProcessorCount > 1 && N * ColumnsPerImage >= ParallelThreshold;

        public void RequireLengths(float[] images, string imagesName, float[] cols, string colsName)
        {
            ArgumentNullException.ThrowIfNull(images, imagesName);
            ArgumentNullException.ThrowIfNull(cols, colsName);
            if (images.Length < N * ImageLength)
                throw new ArgumentException(
                    $"{_name}: {imagesName} should hold [N, C, H, W] = [{N}, {C}, {H}, {W}] = {N * ImageLength} values, but has only {images.Length}.");
            if (cols.Length < N * ColumnsPerImage)
                throw new ArgumentException(
                    $"{_name}: {colsName} should hold [N·OH·OW, C·KH·KW] = [{(long)N * OutHeight * OutWidth}, {RowLength}] = {N * ColumnsPerImage} values, but has only {cols.Length}.");
        }

        // One image per item; static lambdas with the geometry and arrays as state allocate nothing (see ParallelWork).
        public void UnfoldInParallel(float[] x, float[] cols) =>
            ParallelWork.For(N, (geometry: this, x, cols), static (s, image) => s.geometry.UnfoldImage(s.x, s.cols, image));

        public void FoldInParallel(float[] cols, float[] x) =>
            ParallelWork.For(N, (geometry: this, cols, x), static (s, image) => s.geometry.FoldImage(s.cols, s.x, image));

        /// <summary>
        /// The output columns whose window lies wholly inside the input row (no padding):
        /// first ≤ ox &lt; end, where ox·S − P ≥ 0 and ox·S − P + KW ≤ W.
        /// </summary>
        private (int First, int End) InteriorColumns()
        {
            int first = Math.Min(OutWidth, (Padding + Stride - 1) / Stride);
            int last = W + Padding - KernelWidth >= 0 ? (W + Padding - KernelWidth) / Stride : -1;
            return (first, Math.Clamp(last + 1, first, OutWidth));
        }

        /// <summary>
        /// Writes the OH·OW rows of one image. Loop order: for each output row oy, each kernel row (ch, ky)
        /// reads one input row and fills its KW-value segment in the OW column rows of oy, which stay in L1.
        /// </summary>
        public unsafe void UnfoldImage(float[] x, float[] cols, int image)
        {
            int kw = KernelWidth, rowLength = RowLength;
            (int first, int end) = InteriorColumns();
            fixed (float* xBase = x)
            fixed (float* colsBase = cols)
            {
                float* source = xBase + image * ImageLength;
                float* imageCols = colsBase + image * ColumnsPerImage;
                for (int oy = 0; oy < OutHeight; oy++)
                    for (int ch = 0; ch < C; ch++)
                        for (int ky = 0; ky < KernelHeight; ky++)
                        {
                            // Segment (ch, ky) of the rows (oy, 0 … OW−1).
                            float* segment = imageCols + ((long)oy * OutWidth * rowLength) + (ch * KernelHeight + ky) * kw;
                            int iy = oy * Stride + ky - Padding;
                            if ((uint)iy >= (uint)H)
                            {
                                for (int ox = 0; ox < OutWidth; ox++)
                                    new Span<float>(segment + (long)ox * rowLength, kw).Clear();
                                continue;
                            }
                            // input[ox·S + kx] is pixel (iy, ox·S − P + kx).
                            float* input = source + ((long)ch * H + iy) * W - Padding;
                            for (int ox = 0; ox < first; ox++)
                                CopyRunClipped(input + ox * Stride, segment + (long)ox * rowLength, ox * Stride - Padding);
                            for (int ox = first; ox < end; ox++)
                                CopyRun(input + ox * Stride, segment + (long)ox * rowLength);
                            for (int ox = end; ox < OutWidth; ox++)
                                CopyRunClipped(input + ox * Stride, segment + (long)ox * rowLength, ox * Stride - Padding);
                        }
            }
        }

        /// <summary>Clears one image, then adds its OH·OW rows back onto the pixels they were read from.</summary>
        /// <remarks>
        /// The obvious loop order (oy, ox, then the window), so each pixel receives its terms in the same
        /// order as in the naive loop. Unfold's order (ox innermost) would be slower here: with stride 1 the
        /// runs of neighbouring ox overlap, and each masked add would wait for the previous one's store.
        /// </remarks>
        public unsafe void FoldImage(float[] cols, float[] x, int image)
        {
            int kh = KernelHeight, rowLength = RowLength;
            (int first, int end) = InteriorColumns();
            fixed (float* xBase = x)
            fixed (float* colsBase = cols)
            {
                float* target = xBase + image * ImageLength;
                new Span<float>(target, checked((int)ImageLength)).Clear();
                float* row = colsBase + image * ColumnsPerImage;
                for (int oy = 0; oy < OutHeight; oy++)
                    for (int ox = 0; ox < OutWidth; ox++, row += rowLength)
                    {
                        int ix0 = ox * Stride - Padding;
                        bool inside = ox >= first && ox < end;
                        float* segment = row;
                        for (int ch = 0; ch < C; ch++)
                            for (int ky = 0; ky < kh; ky++, segment += KernelWidth)
                            {
                                int iy = oy * Stride + ky - Padding;
                                if ((uint)iy >= (uint)H)
                                    continue;
                                // output[kx] is pixel (ch, iy, ix0 + kx).
                                float* output = target + ((long)ch * H + iy) * W + ix0;
                                if (inside)
                                    AddRun(segment, output);
                                else
                                    AddRunClipped(segment, output, ix0);
                            }
                    }
            }
        }

        /// <summary>A run that starts at input column <paramref name="ix0"/> and may reach into the padding (zeros).</summary>
        private unsafe void CopyRunClipped(float* source, float* target, int ix0)
        {
            for (int kx = 0; kx < KernelWidth; kx++)
                target[kx] = (uint)(ix0 + kx) < (uint)W ? source[kx] : 0f;
        }

        /// <summary>Adds the values of a run that fall inside the image; those on the padding are dropped.</summary>
        private unsafe void AddRunClipped(float* source, float* target, int ix0)
        {
            for (int kx = 0; kx < KernelWidth; kx++)
                if ((uint)(ix0 + kx) < (uint)W)
                    target[kx] += source[kx];
        }
    }
}
