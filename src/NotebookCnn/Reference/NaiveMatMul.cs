namespace NotebookCnn.Reference;

/// <summary>
/// The matrix product as three loops: C = A · B, C[i, j] = Σₖ A[i, k] · B[k, j].
/// The reference that <see cref="MatMul"/> (blocked, vectorised, on all cores) is tested against.
/// </summary>
public static class NaiveMatMul
{
    /// <summary>C [M, N] = A [M, K] · B [K, N], one dot product per output value.</summary>
    /// <exception cref="ArgumentException">A or B is not a matrix, or A's columns differ from B's rows.</exception>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        Shapes.RequireRank(a, 2, nameof(a), "NaiveMatMul", "[M, K]");
        Shapes.RequireRank(b, 2, nameof(b), "NaiveMatMul", "[K, N]");
        int m = a.Dim(0), k = a.Dim(1), n = b.Dim(1);
        Shapes.Require(b, nameof(b), "NaiveMatMul", k, n);
        var c = new Tensor(m, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++) sum += a[i, p] * b[p, j];
                c[i, j] = sum;
            }
        return c;
    }

    /// <summary>Aᵀ: row i of the result is column i of <paramref name="a"/>.</summary>
    public static Tensor Transpose(Tensor a)
    {
        Shapes.RequireRank(a, 2, nameof(a), "NaiveMatMul.Transpose", "[M, N]");
        var t = new Tensor(a.Dim(1), a.Dim(0));
        for (int i = 0; i < a.Dim(0); i++)
            for (int j = 0; j < a.Dim(1); j++) t[j, i] = a[i, j];
        return t;
    }
}
