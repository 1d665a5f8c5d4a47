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
        geometry.ForEachPair((x, cols), static (s, pixel, column) => s.cols[column] = pixel < 0 ? 0f : s.x[pixel]);
    }

    /// <summary>The sizes of one im2col/col2im call, checked once, and the loop both directions share.</summary>
    /// <remarks>
    /// These plain loops serve notebooks and tests, which look at the whole column matrix. The convolution layer
    /// never builds it: it unfolds one image at a time, transposed and vectorised (<see cref="Im2ColTransposed"/>).
    /// </remarks>
    internal readonly struct Geometry
    {
        public readonly int N, C, H, W, KernelHeight, KernelWidth, Stride, Padding, OutHeight, OutWidth;
        private readonly string _name;

        public Geometry(string name, int n, int c, int h, int w, int kernelHeight, int kernelWidth, int stride, int padding)
        {
            if (n < 0 || c <= 0)
                throw new ArgumentException($"{name}: batch size must be ≥ 0 and channels > 0, got N = {n}, C = {c}.");
            _name = name;
            N = n; C = c; H = h; W = w;
            KernelHeight = kernelHeight; KernelWidth = kernelWidth; Stride = stride; Padding = padding;
            OutHeight = OutputSize(h, kernelHeight, stride, padding);
            OutWidth = OutputSize(w, kernelWidth, stride, padding);
        }

        public int RowLength => C * KernelHeight * KernelWidth;
        public long ImageLength => (long)C * H * W;
        public long ColumnsPerImage => (long)OutHeight * OutWidth * RowLength;

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

        /// <summary>
        /// Calls visit(state, pixel, column) for every value of the column matrix, row (n, oy, ox) by row and, within a row,
        /// channel by channel, kernel row by kernel row: pixel is the flat index in x [N, C, H, W] the value comes from,
        /// or −1 where the window reads padding; column is the flat index in cols [N·OH·OW, C·KH·KW]. With a static
        /// lambda and its arrays in <paramref name="state"/>, a call allocates nothing.
        /// </summary>
        public void ForEachPair<TState>(TState state, Action<TState, int, int> visit)
        {
            int column = 0;
            for (int n = 0; n < N; n++)
                for (int oy = 0; oy < OutHeight; oy++)
                    for (int ox = 0; ox < OutWidth; ox++)
                        for (int ch = 0; ch < C; ch++)
                            for (int ky = 0; ky < KernelHeight; ky++)
                                for (int kx = 0; kx < KernelWidth; kx++, column++)
                                {
                                    int iy = oy * Stride + ky - Padding, ix = ox * Stride + kx - Padding;
                                    bool inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
                                    visit(state, inside ? ((n * C + ch) * H + iy) * W + ix : -1, column);
                                }
        }
    }
}
