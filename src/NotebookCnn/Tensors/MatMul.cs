namespace NotebookCnn;

/// <summary>
/// Matrix multiplication C = op(A) · op(B), the kernel under Affine and Convolution.
/// </summary>
public static class MatMul
{
    /// <summary>
    /// C = op(A) · op(B), or C += op(A) · op(B) when <paramref name="accumulate"/> is true.
    /// op(A) is m×k and op(B) is k×n; C is m×n, all row-major.
    /// </summary>
    /// <param name="a">A, stored m×k (or k×m when <paramref name="transposeA"/>).</param>
    /// <param name="b">B, stored k×n (or n×k when <paramref name="transposeB"/>).</param>
    /// <param name="c">C, m×n; overwritten unless <paramref name="accumulate"/>.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The shared (summed) dimension.</param>
    /// <param name="transposeA">Use Aᵀ.</param>
    /// <param name="transposeB">Use Bᵀ.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Gemm(float[] a, float[] b, float[] c, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false)
    {
        // Placeholder reference implementation; replaced by the blocked, vectorised kernel.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = accumulate ? c[i * n + j] : 0f;
                for (int p = 0; p < k; p++)
                    sum += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = sum;
            }
    }

    /// <summary>Returns op(A) · op(B) for 2-D tensors, checking that the inner dimensions agree.</summary>
    public static Tensor Multiply(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException(
                $"MatMul expects two 2-D tensors, got {Tensor.FormatShape(a.Shape)} and {Tensor.FormatShape(b.Shape)}.");
        int m = transposeA ? a.Dim(1) : a.Dim(0), ka = transposeA ? a.Dim(0) : a.Dim(1);
        int kb = transposeB ? b.Dim(1) : b.Dim(0), n = transposeB ? b.Dim(0) : b.Dim(1);
        if (ka != kb)
            throw new ArgumentException(
                $"MatMul inner dimensions differ: {(transposeA ? "Aᵀ" : "A")} is {m}×{ka}, {(transposeB ? "Bᵀ" : "B")} is {kb}×{n}.");
        var c = new Tensor(m, n);
        Gemm(a.Data, b.Data, c.Data, m, n, ka, transposeA, transposeB);
        return c;
    }
}
