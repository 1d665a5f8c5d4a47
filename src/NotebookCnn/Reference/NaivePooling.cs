namespace NotebookCnn.Reference;

/// <summary>
/// Max and average pooling as loops over every window: a size×size window moves with a stride over each
/// channel of x [N, C, H, W], giving [N, C, OH, OW], OH = (H + 2P − size)/S + 1.
/// The references for <see cref="MaxPooling"/> and <see cref="AveragePooling"/>.
/// </summary>
/// <remarks>
/// For max pooling the padding counts as −∞ (it is never the maximum) and a tie goes to the first maximum
/// in row-major order; for average pooling the padding counts as 0 and the divisor is always size·size.
/// </remarks>
public static class NaivePooling
{
    /// <summary>out[n, c, oy, ox] = max of x[n, c, ·, ·] over the window at (oy·S − P, ox·S − P).</summary>
    public static Tensor MaxForward(Tensor x, int size, int stride, int padding) =>
        Pool(x, null, size, stride, padding, average: false);

    /// <summary>Each gradient dout[n, c, oy, ox] goes to the input that was its window's maximum; the others get 0.</summary>
    public static Tensor MaxBackward(Tensor x, Tensor dout, int size, int stride, int padding) =>
        Pool(x, dout, size, stride, padding, average: false);

    /// <summary>out[n, c, oy, ox] = (Σ of the window's values) / (size·size).</summary>
    public static Tensor AverageForward(Tensor x, int size, int stride, int padding) =>
        Pool(x, null, size, stride, padding, average: true);

    /// <summary>Each input receives dout / (size·size) from every window that contains it.</summary>
    public static Tensor AverageBackward(Tensor x, Tensor dout, int size, int stride, int padding) =>
        Pool(x, dout, size, stride, padding, average: true);

    // Forward when dout is null (returns out), otherwise backward (returns ∂L/∂x): both visit the same windows.
    private static Tensor Pool(Tensor x, Tensor? dout, int size, int stride, int padding, bool average)
    {
        Shapes.RequireRank(x, 4, nameof(x), "NaivePooling", "[N, C, H, W]");
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        int oh = Im2Col.OutputSize(h, size, stride, padding), ow = Im2Col.OutputSize(w, size, stride, padding);
        if (dout is not null) Shapes.Require(dout, nameof(dout), "NaivePooling", n, c, oh, ow);
        var result = dout is null ? new Tensor(n, c, oh, ow) : x.ZerosLike();
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        float sum = 0f, max = float.NegativeInfinity;
                        int maxY = -1, maxX = -1;
                        for (int iy = Math.Max(0, oy * stride - padding); iy < Math.Min(h, oy * stride - padding + size); iy++)
                            for (int ix = Math.Max(0, ox * stride - padding); ix < Math.Min(w, ox * stride - padding + size); ix++)
                            {
                                sum += x[i, ch, iy, ix];
                                if (maxY < 0 || x[i, ch, iy, ix] > max) (max, maxY, maxX) = (x[i, ch, iy, ix], iy, ix);
                                if (dout is not null && average) result[i, ch, iy, ix] += dout[i, ch, oy, ox] / (size * size);
                            }
                        if (dout is null) result[i, ch, oy, ox] = average ? sum / (size * size) : max;
                        else if (!average) result[i, ch, maxY, maxX] += dout[i, ch, oy, ox];
                    }
        return result;
    }
}
