namespace NotebookCnn.Reference;

/// <summary>
/// The fully connected layer as loops: y = x · W + b, with x [N, D] (or [N, …], read as N rows of D values),
/// W [D, M], b [M]. The reference for <see cref="Affine"/>.
/// </summary>
public static class NaiveAffine
{
    /// <summary>y[n, j] = Σᵢ x[n, i] · W[i, j] + b[j].</summary>
    /// <exception cref="ArgumentException">The shapes do not fit together.</exception>
    public static Tensor Forward(Tensor x, Tensor w, Tensor b)
    {
        var (n, d, m) = Sizes(x, w, b);
        var y = new Tensor(n, m);
        for (int row = 0; row < n; row++)
            for (int j = 0; j < m; j++)
            {
                float sum = b[j];
                for (int i = 0; i < d; i++) sum += x.Data[row * d + i] * w[i, j];
                y[row, j] = sum;
            }
        return y;
    }

    /// <summary>
    /// ∂L/∂x = dout · Wᵀ (in x's shape), ∂L/∂W = xᵀ · dout, ∂L/∂b = Σₙ dout[n, ·].
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit together, or dout is not [N, M].</exception>
    public static (Tensor Dx, Tensor Dw, Tensor Db) Backward(Tensor x, Tensor w, Tensor dout)
    {
        var (n, d, m) = Sizes(x, w, new Tensor(w.Dim(-1)));
        Shapes.Require(dout, nameof(dout), "NaiveAffine", n, m);
        var (dx, dw, db) = (x.ZerosLike(), w.ZerosLike(), new Tensor(m));
        for (int row = 0; row < n; row++)
            for (int j = 0; j < m; j++)
            {
                db[j] += dout[row, j];
                for (int i = 0; i < d; i++)
                {
                    dx.Data[row * d + i] += dout[row, j] * w[i, j];
                    dw[i, j] += x.Data[row * d + i] * dout[row, j];
                }
            }
        return (dx, dw, db);
    }

    private static (int N, int D, int M) Sizes(Tensor x, Tensor w, Tensor b)
    {
        Shapes.RequireRank(w, 2, nameof(w), "NaiveAffine", "[D, M]");
        int d = w.Dim(0), m = w.Dim(1);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2 || x.Length != x.Dim(0) * d)
            throw new ArgumentException($"NaiveAffine expects x [N, {d}] (or [N, …] with {d} values per example), got shape {Tensor.FormatShape(x.Shape)}.", nameof(x));
        Shapes.Require(b, nameof(b), "NaiveAffine", m);
        return (x.Dim(0), d, m);
    }
}
