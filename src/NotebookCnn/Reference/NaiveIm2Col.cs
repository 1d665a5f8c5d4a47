namespace NotebookCnn.Reference;

/// <summary>
/// im2col and col2im as loops. Unfold copies every receptive field of x [N, C, H, W] into one row of
/// cols [N·OH·OW, C·KH·KW]; Fold adds every row back onto the pixels it came from (overlaps add up).
/// The references for <see cref="Im2Col"/> and <see cref="Col2Im"/>.
/// </summary>
/// <remarks>
/// Row (n, oy, ox) holds, channel by channel, the window whose top-left corner is input pixel
/// (oy·S − P, ox·S − P); a position outside the image (the padding) reads 0 and receives nothing.
/// </remarks>
public static class NaiveIm2Col
{
    /// <summary>cols[(n·OH + oy)·OW + ox, (c·KH + ky)·KW + kx] = x[n, c, oy·S + ky − P, ox·S + kx − P] (0 outside the image).</summary>
    /// <exception cref="ArgumentException">x is not [N, C, H, W] or the window does not fit.</exception>
    public static Tensor Unfold(Tensor x, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        Shapes.RequireRank(x, 4, nameof(x), "NaiveIm2Col", "[N, C, H, W]");
        var cols = new Tensor(Rows(x.ShapeArray(), kernelHeight, kernelWidth, stride, padding, out int oh, out int ow),
            x.Dim(1) * kernelHeight * kernelWidth);
        ForEachPair(x.ShapeArray(), kernelHeight, kernelWidth, stride, padding, oh, ow,
            (pixel, column) => cols.Data[column] = x.Data[pixel]);
        return cols;
    }

    /// <summary>The adjoint of <see cref="Unfold"/>: x[n, c, iy, ix] = Σ of every cols value that Unfold copied from that pixel.</summary>
    /// <exception cref="ArgumentException">inputShape is not [N, C, H, W] or cols has the wrong shape.</exception>
    public static Tensor Fold(Tensor cols, int[] inputShape, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 4)
            throw new ArgumentException($"NaiveIm2Col.Fold expects an input shape [N, C, H, W], got {Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        int rows = Rows(inputShape, kernelHeight, kernelWidth, stride, padding, out int oh, out int ow);
        Shapes.Require(cols, nameof(cols), "NaiveIm2Col.Fold", rows, inputShape[1] * kernelHeight * kernelWidth);
        var x = new Tensor(inputShape);
        ForEachPair(inputShape, kernelHeight, kernelWidth, stride, padding, oh, ow,
            (pixel, column) => x.Data[pixel] += cols.Data[column]);
        return x;
    }

    // Calls visit(flat index in x, flat index in cols) for every pair Unfold copies, row by row of cols.
    private static void ForEachPair(int[] shape, int kh, int kw, int stride, int padding, int oh, int ow, Action<int, int> visit)
    {
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3], column = 0;
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                        for (int ky = 0; ky < kh; ky++)
                            for (int kx = 0; kx < kw; kx++, column++)
                            {
                                int iy = oy * stride + ky - padding, ix = ox * stride + kx - padding;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) visit(((b * c + ch) * h + iy) * w + ix, column);
                            }
    }

    private static int Rows(int[] shape, int kh, int kw, int stride, int padding, out int oh, out int ow)
    {
        oh = Im2Col.OutputSize(shape[2], kh, stride, padding);
        ow = Im2Col.OutputSize(shape[3], kw, stride, padding);
        return shape[0] * oh * ow;
    }
}
