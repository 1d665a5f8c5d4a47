namespace NotebookCnn;

/// <summary>
/// col2im: the adjoint of <see cref="Im2Col"/>. Adds every row of a [N·OH·OW, C·KH·KW] matrix back onto
/// the image positions it was read from; overlapping windows add up, as gradients must.
/// </summary>
public static class Col2Im
{
    /// <summary>Folds <paramref name="cols"/> back into a tensor of <paramref name="inputShape"/> [N, C, H, W].</summary>
    public static Tensor Fold(Tensor cols, int[] inputShape, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        if (inputShape.Length != 4)
            throw new ArgumentException($"Col2Im expects an input shape [N, C, H, W], got {Tensor.FormatShape(inputShape)}.");
        int n = inputShape[0], c = inputShape[1], h = inputShape[2], w = inputShape[3];
        int oh = Im2Col.OutputSize(h, kernelHeight, stride, padding), ow = Im2Col.OutputSize(w, kernelWidth, stride, padding);
        int[] expected = [n * oh * ow, c * kernelHeight * kernelWidth];
        if (cols.Rank != 2 || cols.Dim(0) != expected[0] || cols.Dim(1) != expected[1])
            throw new ArgumentException(
                $"Col2Im expects columns of shape {Tensor.FormatShape(expected)}, got {Tensor.FormatShape(cols.Shape)}.");
        var x = new Tensor(inputShape);
        Fold(cols.Data, n, c, h, w, kernelHeight, kernelWidth, stride, padding, x.Data);
        return x;
    }

    /// <summary>The same as <see cref="Fold(Tensor, int[], int, int, int, int)"/>, into a caller's buffer (overwritten).</summary>
    public static void Fold(float[] cols, int n, int c, int h, int w, int kernelHeight, int kernelWidth,
        int stride, int padding, float[] x)
    {
        // Placeholder reference implementation; replaced by the fast kernel.
        int oh = Im2Col.OutputSize(h, kernelHeight, stride, padding), ow = Im2Col.OutputSize(w, kernelWidth, stride, padding);
        int rowLength = c * kernelHeight * kernelWidth;
        Array.Clear(x, 0, n * c * h * w);
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
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                                    x[((b * c + ch) * h + iy) * w + ix] += cols[row * rowLength + (ch * kernelHeight + ky) * kernelWidth + kx];
                            }
                }
    }
}
