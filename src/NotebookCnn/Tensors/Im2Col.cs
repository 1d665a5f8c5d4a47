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
    public static void Unfold(float[] x, int n, int c, int h, int w, int kernelHeight, int kernelWidth,
        int stride, int padding, float[] cols)
    {
        // Placeholder reference implementation; replaced by the fast kernel.
        int oh = OutputSize(h, kernelHeight, stride, padding), ow = OutputSize(w, kernelWidth, stride, padding);
        int rowLength = c * kernelHeight * kernelWidth;
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    int row = (b * oh + oy) * ow + ox;
                    for (int ch = 0; ch < c; ch++)
                        for (int ky = 0; ky < kernelHeight; ky++)
                            for (int kx = 0; kx < kernelWidth; kx++)
                            {
                                int iy = oy * stride + ky - padding, ix = ox * stride + kx - padding;
                                float v = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[((b * c + ch) * h + iy) * w + ix] : 0f;
                                cols[row * rowLength + (ch * kernelHeight + ky) * kernelWidth + kx] = v;
                            }
                }
    }
}
