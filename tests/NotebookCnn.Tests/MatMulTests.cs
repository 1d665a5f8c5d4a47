using NotebookCnn.Reference;

namespace NotebookCnn.Tests;

public class MatMulTests
{
    /// <summary>
    /// C ← op(A)·op(B) (+ C when accumulating) through the loop-level reference <see cref="NaiveMatMul"/>:
    /// the result every fast path must match.
    /// </summary>
    private static double[] NaiveGemm(float[] a, float[] b, float[] c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate)
    {
        Tensor opA = transposeA ? NaiveMatMul.Transpose(new Tensor(a, k, m)) : new Tensor(a, m, k);
        Tensor opB = transposeB ? NaiveMatMul.Transpose(new Tensor(b, n, k)) : new Tensor(b, k, n);
        Tensor product = NaiveMatMul.Multiply(opA, opB);
        return product.Data.Select((v, t) => (double)v + (accumulate ? c[t] : 0.0)).ToArray();
    }

    private static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>
    /// Absolute tolerance 8·(k + 2)·2⁻²⁴ for values in [−1, 1]: every one of the k float32 additions rounds
    /// by at most 2⁻²⁴ times a partial sum, in the fast product and in the reference's; with random signs the
    /// partial sums stay of order √k, so the real error is far below this bound; a wrong index or a missed term
    /// gives an error of order 1.
    /// </summary>
    private static double Tolerance(int k) => 8.0 * (k + 2) * Math.Pow(2, -24);

    private static void AssertGemmMatchesNaive(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate,
        MatMul.Kernel kernel, int threads, int seed)
    {
        var random = new Random(seed);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n), c = RandomArray(random, m * n);
        double[] expected = NaiveGemm(a, b, c, m, n, k, transposeA, transposeB, accumulate);

        MatMul.Gemm(a, b, c, m, n, k, transposeA, transposeB, accumulate, threads, kernel);

        double tolerance = Tolerance(k);
        for (int t = 0; t < expected.Length; t++)
        {
            double error = Math.Abs(c[t] - expected[t]);
            if (error > tolerance)
                Assert.Fail($"{kernel} m={m} n={n} k={k} transposeA={transposeA} transposeB={transposeB} accumulate={accumulate}: " +
                            $"C[{t / n}, {t % n}] = {c[t]}, expected {expected[t]} (error {error:E2} > {tolerance:E2}).");
        }
    }

    public static IEnumerable<object[]> Sizes()
    {
        int[] small = [0, 1, 3, 7, 16, 33];
        foreach (int m in small)
            foreach (int n in small)
                foreach (int k in small)
                    yield return [m, n, k];
        // Sizes that cross the register tile (6×16, 6×32), the k-block (KC = 256), the row block (MC = 120)
        // and the column block (NC = 3072), and that are big enough for the parallel path.
        int[][] larger =
        [
            [65, 65, 65], [257, 7, 33], [7, 257, 33], [33, 65, 257], [1, 257, 300], [257, 1, 300],
            [257, 300, 129], [121, 97, 513], [65, 3100, 16], [16, 16, 1000],
            [30, 600, 25], [16, 100, 150], // convolution shapes: the 8×8 transposes of packing plus leftover k
        ];
        foreach (int[] size in larger)
            yield return [size[0], size[1], size[2]];
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Gemm_matches_naive_loop_for_all_transposes(int m, int n, int k)
    {
        int seed = m * 1_000_000 + n * 1000 + k;
        foreach (bool transposeA in new[] { false, true })
            foreach (bool transposeB in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                    AssertGemmMatchesNaive(m, n, k, transposeA, transposeB, accumulate,
                        MatMul.BestKernel, Environment.ProcessorCount, seed);
    }

    public static IEnumerable<object[]> KernelsOnThisMachine()
    {
        // Kernel names as strings: the enum is internal and a public test cannot take it as a parameter.
        yield return [nameof(MatMul.Kernel.Scalar)];
        if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated)
            yield return [nameof(MatMul.Kernel.Vector128)];
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported && System.Runtime.Intrinsics.X86.Avx.IsSupported)
            yield return [nameof(MatMul.Kernel.Avx2)];
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
            yield return [nameof(MatMul.Kernel.Avx512)];
    }

    [Theory]
    [MemberData(nameof(KernelsOnThisMachine))]
    public void Every_micro_kernel_matches_naive_loop(string kernelName)
    {
        var kernel = Enum.Parse<MatMul.Kernel>(kernelName);
        // [16, 100, 150] and [100, 40, 30]: a last row panel of 4 (the 4-row kernels) and a last panel of 4 or 8 columns (the 8-wide kernel).
        int[][] sizes = [[1, 1, 1], [7, 33, 16], [33, 7, 65], [65, 70, 300], [257, 300, 129], [16, 100, 150], [100, 40, 30]];
        foreach (int[] s in sizes)
            foreach (bool transposeA in new[] { false, true })
                foreach (bool transposeB in new[] { false, true })
                    foreach (bool accumulate in new[] { false, true })
                        foreach (int threads in new[] { 1, 2 })
                            AssertGemmMatchesNaive(s[0], s[1], s[2], transposeA, transposeB, accumulate, kernel, threads, seed: 5);
    }

    [Theory]
    [InlineData(257, 300, 129, false, false)]
    [InlineData(1000, 40, 600, true, false)]
    [InlineData(130, 130, 2000, false, true)]
    [InlineData(37, 1030, 300, true, true)]
    [InlineData(30, 25, 5000, true, false)]  // a convolution's weight gradient: k-blocks in parallel
    [InlineData(7, 9, 40000, false, true)]
    [InlineData(100, 100, 100, false, false)] // the MLP's hidden layer: two strips of rows
    [InlineData(100, 84, 120, true, false)]   // LeNet-5's affine2 weight gradient
    public void Gemm_is_bit_identical_with_one_thread_and_with_many(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(11);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n), start = RandomArray(random, m * n);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] serial = (float[])start.Clone(), parallel = (float[])start.Clone(), many = (float[])start.Clone();
            MatMul.Gemm(a, b, serial, m, n, k, transposeA, transposeB, accumulate, 1, MatMul.BestKernel);
            MatMul.Gemm(a, b, parallel, m, n, k, transposeA, transposeB, accumulate, 2, MatMul.BestKernel);
            MatMul.Gemm(a, b, many, m, n, k, transposeA, transposeB, accumulate, 7, MatMul.BestKernel);
            Assert.Equal(serial, parallel);
            Assert.Equal(serial, many);
        }
    }

    [Theory]
    [InlineData(16, 100, 150)] // LeNet-5's conv2: B read in place, 4-row and 8-wide edge kernels
    [InlineData(6, 784, 25)]   // LeNet-5's conv1
    [InlineData(30, 576, 300)] // SimpleConvNet's conv, with two k-blocks
    [InlineData(4, 3000, 40)]  // rows of B too long to read in place
    public void A_row_of_C_has_the_same_bits_whether_few_or_many_rows_are_multiplied(int m, int n, int k)
    {
        // Few rows read B where it lies, many rows pack it first, and a last row panel of 4 runs the 4-row kernel;
        // each value of C is still summed the same way, so stacking 60 more rows under A changes no bit of the first m rows.
        var random = new Random(m * n + k);
        const int extra = 60;
        float[] a = RandomArray(random, (m + extra) * k), b = RandomArray(random, k * n), start = RandomArray(random, (m + extra) * n);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] few = start[..(m * n)], many = (float[])start.Clone();
            MatMul.Gemm(a[..(m * k)], b, few, m, n, k, accumulate: accumulate);
            MatMul.Gemm(a, b, many, m + extra, n, k, accumulate: accumulate);
            Assert.Equal(many[..(m * n)], few);
        }
    }

    [Theory]
    [InlineData(16, 100, 150)] // a last panel of 4 columns
    [InlineData(100, 10, 100)] // 10 classes: a single narrow panel
    [InlineData(33, 48, 70)]   // exactly 16 left over
    [InlineData(7, 97, 300)]   // 1 left over, two k-blocks
    [InlineData(13, 50, 9)]    // 18 left over: a full-width panel
    public void Avx512_gives_the_same_bits_as_avx2_whatever_the_panel_widths(int m, int n, int k)
    {
        // The AVX-512 path runs a narrow last panel with the 16-wide kernel; a fused multiply-add gives the same value in
        // any register width, and every sum runs in the same order, so the two paths must agree bit for bit.
        if (!(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported))
            return; // nothing to compare on this processor
        var random = new Random(m + n + k);
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n), start = RandomArray(random, m * n);
        foreach (bool transposeA in new[] { false, true })
            foreach (bool transposeB in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                {
                    float[] wide = (float[])start.Clone(), narrow = (float[])start.Clone();
                    MatMul.Gemm(a, b, wide, m, n, k, transposeA, transposeB, accumulate, 2, MatMul.Kernel.Avx512);
                    MatMul.Gemm(a, b, narrow, m, n, k, transposeA, transposeB, accumulate, 2, MatMul.Kernel.Avx2);
                    Assert.Equal(narrow, wide);
                }
    }

    [Fact]
    public void Single_threaded_gemm_allocates_nothing_once_warm()
    {
        var random = new Random(4);
        float[] a = RandomArray(random, 70 * 300), b = RandomArray(random, 300 * 50), c = new float[70 * 50];
        for (int warm = 0; warm < 3; warm++)
            MatMul.Gemm(a, b, c, 70, 50, 300, false, true, false, 1, MatMul.BestKernel);
        long before = GC.GetAllocatedBytesForCurrentThread();
        MatMul.Gemm(a, b, c, 70, 50, 300, false, true, false, 1, MatMul.BestKernel);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Gemm_at_offsets_gives_the_same_bits_as_on_copied_matrices_and_leaves_the_rest_untouched(bool transposeA, bool transposeB)
    {
        const int m = 30, n = 70, k = 25, aOffset = 11, bOffset = 3, cOffset = 5;
        var random = new Random(17);
        float[] aBig = RandomArray(random, aOffset + m * k + 4), bBig = RandomArray(random, bOffset + k * n + 4);
        float[] cBig = RandomArray(random, cOffset + m * n + 4), cBefore = (float[])cBig.Clone();
        float[] a = aBig.AsSpan(aOffset, m * k).ToArray(), b = bBig.AsSpan(bOffset, k * n).ToArray();
        float[] expected = cBig.AsSpan(cOffset, m * n).ToArray();
        MatMul.Gemm(a, b, expected, m, n, k, transposeA, transposeB, accumulate: true);

        var aView = transposeA ? new MatrixView(aBig, aOffset, k, m, Transposed: true) : MatrixView.Of(aBig, m, k, aOffset);
        var bView = transposeB ? new MatrixView(bBig, bOffset, n, k, Transposed: true) : MatrixView.Of(bBig, k, n, bOffset);
        MatMul.Gemm(aView, bView, MatrixView.Of(cBig, m, n, cOffset), accumulate: true, maxDegreeOfParallelism: 1);

        Assert.Equal(expected, cBig.AsSpan(cOffset, m * n).ToArray());
        Assert.Equal(cBefore.AsSpan(0, cOffset).ToArray(), cBig.AsSpan(0, cOffset).ToArray());
        Assert.Equal(cBefore.AsSpan(cOffset + m * n).ToArray(), cBig.AsSpan(cOffset + m * n).ToArray());
    }

    [Fact]
    public void Gemm_at_an_offset_throws_when_the_matrix_runs_past_the_array()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            MatMul.Gemm(MatrixView.Of(new float[10], 2, 2), MatrixView.Of(new float[10], 2, 5, offset: 4), MatrixView.Of(new float[10], 2, 5)));
        Assert.Contains("B should be 2×5 = 10 values, but its array has only 6 from index 4", e.Message);
    }

    [Fact]
    public void Gemm_on_views_throws_for_mismatched_shapes_naming_all_three()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            MatMul.Gemm(MatrixView.Of(new float[6], 2, 3), MatrixView.Of(new float[8], 4, 2), MatrixView.Of(new float[4], 2, 2)));
        Assert.Contains("A 2×3, B 4×2, C 2×2", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            MatMul.Gemm(MatrixView.Of(new float[6], 2, 3), MatrixView.Of(new float[6], 2, 3).T, MatrixView.Of(new float[4], 2, 2).T));
        Assert.Contains("C (2×2)ᵀ", e.Message);
    }

    [Fact]
    public void A_transposed_view_swaps_rows_and_columns()
    {
        var view = MatrixView.Of(new float[6], 2, 3);
        Assert.Equal((3, 2), (view.T.Rows, view.T.Columns));
        Assert.Equal(view, view.T.T);
    }

    [Fact]
    public void Gemm_with_k_zero_clears_or_keeps_C()
    {
        float[] c = [1f, 2f, 3f, 4f];
        MatMul.Gemm([], [], c, 2, 2, 0, accumulate: true);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, c);
        MatMul.Gemm([], [], c, 2, 2, 0);
        Assert.Equal(new float[4], c);
    }

    [Fact]
    public void Gemm_leaves_values_beyond_C_untouched()
    {
        var random = new Random(3);
        float[] a = RandomArray(random, 7 * 5), b = RandomArray(random, 5 * 9);
        float[] c = Enumerable.Repeat(42f, 7 * 9 + 10).ToArray();
        MatMul.Gemm(a, b, c, 7, 9, 5);
        Assert.All(c[(7 * 9)..], v => Assert.Equal(42f, v));
    }

    [Fact]
    public void Gemm_throws_when_an_array_is_too_short()
    {
        var e = Assert.Throws<ArgumentException>(() => MatMul.Gemm(new float[5], new float[12], new float[8], 2, 4, 3));
        Assert.Contains("A should be 2×3 = 6 values", e.Message);
        Assert.Contains("only 5", e.Message);
        e = Assert.Throws<ArgumentException>(() => MatMul.Gemm(new float[6], new float[11], new float[8], 2, 4, 3, transposeB: true));
        Assert.Contains("B should be stored 4×3 (used as Bᵀ, 3×4) = 12 values", e.Message);
        e = Assert.Throws<ArgumentException>(() => MatMul.Gemm(new float[6], new float[12], new float[7], 2, 4, 3));
        Assert.Contains("C should be 2×4 = 8 values", e.Message);
    }

    [Fact]
    public void Gemm_throws_when_C_is_the_same_array_as_A_or_B()
    {
        float[] shared = new float[4], other = new float[4];
        var e = Assert.Throws<ArgumentException>(() => MatMul.Gemm(shared, other, shared, 2, 2, 2));
        Assert.Contains("C must be a different array from A", e.Message);
        e = Assert.Throws<ArgumentException>(() => MatMul.Gemm(other, shared, shared, 2, 2, 2));
        Assert.Contains("from B", e.Message);
    }

    [Fact]
    public void Gemm_throws_for_negative_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() => MatMul.Gemm([], [], [], -1, 2, 3));
        Assert.Contains("m = -1", e.Message);
    }

    [Fact]
    public void Multiply_matches_naive_loop_with_transposes()
    {
        var random = new Random(9);
        var a = new Tensor(RandomArray(random, 20 * 30), 30, 20); // used as Aᵀ: 20×30
        var b = new Tensor(RandomArray(random, 30 * 17), 30, 17);
        Tensor c = MatMul.Multiply(a, b, transposeA: true);
        Assert.Equal(new[] { 20, 17 }, c.ShapeArray());
        double[] expected = NaiveGemm(a.Data, b.Data, new float[20 * 17], 20, 17, 30, true, false, false);
        for (int t = 0; t < expected.Length; t++)
            Assert.True(Math.Abs(c.Data[t] - expected[t]) <= Tolerance(30));
    }

    [Fact]
    public void Multiply_throws_for_mismatched_shapes_naming_both()
    {
        var e = Assert.Throws<ArgumentException>(() => MatMul.Multiply(new Tensor(2, 3), new Tensor(4, 5)));
        Assert.Contains("A is 2×3", e.Message);
        Assert.Contains("B is 4×5", e.Message);
        e = Assert.Throws<ArgumentException>(() => MatMul.Multiply(new Tensor(2, 3), new Tensor(5, 4), transposeB: true));
        Assert.Contains("Bᵀ is 4×5", e.Message);
    }

    [Fact]
    public void Multiply_throws_for_tensors_that_are_not_matrices()
    {
        var e = Assert.Throws<ArgumentException>(() => MatMul.Multiply(new Tensor(2, 3, 1), new Tensor(3, 5)));
        Assert.Contains("[2, 3, 1]", e.Message);
    }
}
