namespace NotebookCnn.Reference;

/// <summary>
/// Convolution (cross-correlation) as seven nested loops, with no im2col and no matrix multiply:
/// out[n, f, oy, ox] = b[f] + Σ_c Σ_ky Σ_kx x[n, c, oy·S + ky − P, ox·S + kx − P] · W[f, c, ky, kx],
/// where positions outside the image (the padding P) are 0. The reference for <see cref="Convolution"/>.
/// </summary>
public static class NaiveConvolution
{
    /// <summary>out [N, F, OH, OW] for x [N, C, H, W], W [F, C, KH, KW], b [F]; OH = (H + 2P − KH)/S + 1.</summary>
    /// <exception cref="ArgumentException">The shapes do not fit together or the window does not fit the image.</exception>
    public static Tensor Forward(Tensor x, Tensor w, Tensor b, int stride, int padding)
    {
        var (n, c, f, oh, ow) = Sizes(x, w, stride, padding);
        Shapes.Require(b, nameof(b), "NaiveConvolution", f);
        var y = new Tensor(n, f, oh, ow);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < f; k++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        float sum = b[k];
                        for (int ch = 0; ch < c; ch++)
                            for (int ky = 0; ky < w.Dim(2); ky++)
                                for (int kx = 0; kx < w.Dim(3); kx++)
                                {
                                    int iy = oy * stride + ky - padding, ix = ox * stride + kx - padding;
                                    if (Inside(x, iy, ix)) sum += x[i, ch, iy, ix] * w[k, ch, ky, kx];
                                }
                        y[i, k, oy, ox] = sum;
                    }
        return y;
    }

    /// <summary>
    /// Every output value was a sum of products, so its gradient dout[n, f, oy, ox] flows back to both factors
    /// of each product: ∂L/∂x[…] += dout · W[f, c, ky, kx] and ∂L/∂W[f, c, ky, kx] += dout · x[…]; ∂L/∂b[f] = Σ dout[·, f, ·, ·].
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit together, or dout is not [N, F, OH, OW].</exception>
    public static (Tensor Dx, Tensor Dw, Tensor Db) Backward(Tensor x, Tensor w, Tensor dout, int stride, int padding)
    {
        var (n, c, f, oh, ow) = Sizes(x, w, stride, padding);
        Shapes.Require(dout, nameof(dout), "NaiveConvolution", n, f, oh, ow);
        var (dx, dw, db) = (x.ZerosLike(), w.ZerosLike(), new Tensor(f));
        for (int i = 0; i < n; i++)
            for (int k = 0; k < f; k++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        float d = dout[i, k, oy, ox];
                        db[k] += d;
                        for (int ch = 0; ch < c; ch++)
                            for (int ky = 0; ky < w.Dim(2); ky++)
                                for (int kx = 0; kx < w.Dim(3); kx++)
                                {
                                    int iy = oy * stride + ky - padding, ix = ox * stride + kx - padding;
                                    if (!Inside(x, iy, ix)) continue; // a tap on the padding: a constant 0, no gradient
                                    dx[i, ch, iy, ix] += d * w[k, ch, ky, kx];
                                    dw[k, ch, ky, kx] += d * x[i, ch, iy, ix];
                                }
                    }
        return (dx, dw, db);
    }

    // Whether (iy, ix) is a real pixel of x rather than the zero padding around it.
    private static bool Inside(Tensor x, int iy, int ix) => iy >= 0 && iy < x.Dim(2) && ix >= 0 && ix < x.Dim(3);

    private static (int N, int C, int F, int OH, int OW) Sizes(Tensor x, Tensor w, int stride, int padding)
    {
        Shapes.RequireRank(x, 4, nameof(x), "NaiveConvolution", "[N, C, H, W]");
        Shapes.RequireRank(w, 4, nameof(w), "NaiveConvolution", "[F, C, KH, KW]");
        if (w.Dim(1) != x.Dim(1))
            throw new ArgumentException($"NaiveConvolution: the filters W {Tensor.FormatShape(w.Shape)} expect {w.Dim(1)} input channels, x {Tensor.FormatShape(x.Shape)} has {x.Dim(1)}.", nameof(w));
        return (x.Dim(0), x.Dim(1), w.Dim(0),
            Im2Col.OutputSize(x.Dim(2), w.Dim(2), stride, padding), Im2Col.OutputSize(x.Dim(3), w.Dim(3), stride, padding));
    }
}
