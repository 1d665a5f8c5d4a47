using NotebookCnn.Reference;

namespace NotebookCnn.Tests;

public class Im2ColTests
{
    private static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    // n, c, h, w, kernelHeight, kernelWidth, stride, padding: every combination fits a whole number of windows.
    public static TheoryData<int, int, int, int, int, int, int, int> Geometries => new()
    {
        { 1, 1, 4, 4, 2, 2, 1, 0 },
        { 2, 3, 5, 7, 3, 3, 1, 1 },
        { 2, 3, 5, 7, 2, 3, 1, 0 },
        { 3, 2, 5, 7, 3, 3, 2, 0 },
        { 3, 2, 5, 7, 3, 3, 2, 2 },
        { 2, 4, 7, 5, 3, 1, 2, 1 },
        { 2, 1, 6, 8, 2, 2, 2, 0 },
        { 4, 2, 5, 7, 2, 3, 1, 2 },
        { 1, 3, 3, 3, 5, 5, 1, 2 },
        { 5, 3, 9, 9, 3, 3, 2, 1 },
        { 1, 2, 4, 6, 4, 6, 1, 0 },
        // Kernel rows of 8, 9 and 17 values: whole vectors plus a partial one, with and without padding.
        { 1, 2, 5, 20, 1, 8, 2, 0 },
        { 2, 2, 6, 12, 2, 9, 1, 0 },
        { 2, 1, 4, 18, 3, 17, 1, 1 },
        // Large enough to run in parallel over the batch.
        { 40, 3, 28, 28, 5, 5, 1, 0 },
        { 20, 8, 12, 12, 3, 3, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Unfold_matches_naive_loop(int n, int c, int h, int w, int kh, int kw, int stride, int padding)
    {
        var x = new Tensor(RandomArray(new Random(n + 10 * c + 100 * h), n * c * h * w), n, c, h, w);
        Tensor cols = Im2Col.Unfold(x, kh, kw, stride, padding);
        float[] expected = NaiveIm2Col.Unfold(x, kh, kw, stride, padding).Data;
        int oh = Im2Col.OutputSize(h, kh, stride, padding), ow = Im2Col.OutputSize(w, kw, stride, padding);
        Assert.Equal(new[] { n * oh * ow, c * kh * kw }, cols.ShapeArray());
        Assert.Equal(expected, cols.Data);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Fold_matches_naive_loop(int n, int c, int h, int w, int kh, int kw, int stride, int padding)
    {
        int oh = Im2Col.OutputSize(h, kh, stride, padding), ow = Im2Col.OutputSize(w, kw, stride, padding);
        var cols = new Tensor(RandomArray(new Random(7 + n), n * oh * ow * c * kh * kw), n * oh * ow, c * kh * kw);
        Tensor x = Col2Im.Fold(cols, [n, c, h, w], kh, kw, stride, padding);
        float[] expected = NaiveIm2Col.Fold(cols, [n, c, h, w], kh, kw, stride, padding).Data;
        Assert.Equal(new[] { n, c, h, w }, x.ShapeArray());
        // Same additions in the same order per pixel: identical, not just close.
        Assert.Equal(expected, x.Data);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Fold_is_the_adjoint_of_unfold(int n, int c, int h, int w, int kh, int kw, int stride, int padding)
    {
        // <Im2Col(x), Y> = <x, Col2Im(Y)> for all x, Y: the defining property of the backward of a linear map.
        var random = new Random(n * 31 + c * 7 + stride);
        int oh = Im2Col.OutputSize(h, kh, stride, padding), ow = Im2Col.OutputSize(w, kw, stride, padding);
        var x = new Tensor(RandomArray(random, n * c * h * w), n, c, h, w);
        var y = new Tensor(RandomArray(random, n * oh * ow * c * kh * kw), n * oh * ow, c * kh * kw);
        Tensor unfolded = Im2Col.Unfold(x, kh, kw, stride, padding);
        Tensor folded = Col2Im.Fold(y, [n, c, h, w], kh, kw, stride, padding);
        double left = 0, right = 0;
        for (int i = 0; i < unfolded.Length; i++) left += (double)unfolded.Data[i] * y.Data[i];
        for (int i = 0; i < x.Length; i++) right += (double)x.Data[i] * folded.Data[i];
        Assert.True(Math.Abs(left - right) <= 1e-4 * (1 + Math.Abs(left)), $"<Im2Col(x), Y> = {left}, <x, Col2Im(Y)> = {right}");
    }

    [Theory]
    [InlineData(2, 3, 7, 5, 4, 3, 3, 1, 1)]
    [InlineData(3, 2, 5, 7, 5, 3, 1, 2, 2)]
    [InlineData(4, 1, 9, 9, 6, 5, 5, 1, 0)]
    public void Convolution_as_unfold_times_weights_matches_naive_loop(
        int n, int c, int h, int w, int filters, int kh, int kw, int stride, int padding)
    {
        var random = new Random(42);
        float[] x = RandomArray(random, n * c * h * w), weights = RandomArray(random, filters * c * kh * kw);
        int oh = Im2Col.OutputSize(h, kh, stride, padding), ow = Im2Col.OutputSize(w, kw, stride, padding);

        // Fast path: cols [N·OH·OW, C·KH·KW] · Wᵀ [C·KH·KW, F] = [N·OH·OW, F], then rows (n, oy, ox) → [N, F, OH, OW].
        Tensor cols = Im2Col.Unfold(new Tensor(x, n, c, h, w), kh, kw, stride, padding);
        Tensor product = MatMul.Multiply(cols, new Tensor(weights, filters, c * kh * kw), transposeB: true);

        // Reference: the seven loops of the definition, without bias.
        Tensor naive = NaiveConvolution.Forward(new Tensor(x, n, c, h, w), new Tensor(weights, filters, c, kh, kw), new Tensor(filters), stride, padding);
        for (int b = 0; b < n; b++)
            for (int f = 0; f < filters; f++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        float fast = product[(b * oh + oy) * ow + ox, f], expected = naive[b, f, oy, ox];
                        Assert.True(Math.Abs(fast - expected) <= 1e-5 * c * kh * kw, $"out[{b}, {f}, {oy}, {ox}] = {fast}, naive {expected}");
                    }
    }

    [Fact]
    public void Unfold_into_a_longer_buffer_leaves_the_rest_untouched()
    {
        var x = RandomArray(new Random(1), 2 * 1 * 4 * 4);
        var cols = Enumerable.Repeat(9f, 2 * 3 * 3 * 4 + 5).ToArray();
        Im2Col.Unfold(x, 2, 1, 4, 4, 2, 2, 1, 0, cols);
        Assert.Equal(NaiveIm2Col.Unfold(new Tensor(x, 2, 1, 4, 4), 2, 2, 1, 0).Data, cols[..^5]);
        Assert.All(cols[^5..], v => Assert.Equal(9f, v));
    }

    [Fact]
    public void Unfold_and_fold_of_a_small_batch_allocate_nothing()
    {
        // Small enough to stay on one thread: then reusing buffers means no garbage per minibatch.
        float[] x = RandomArray(new Random(3), 2 * 3 * 6 * 6), cols = new float[2 * 6 * 6 * 27];
        Im2Col.Unfold(x, 2, 3, 6, 6, 3, 3, 1, 1, cols);
        Col2Im.Fold(cols, 2, 3, 6, 6, 3, 3, 1, 1, x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Im2Col.Unfold(x, 2, 3, 6, 6, 3, 3, 1, 1, cols);
        Col2Im.Fold(cols, 2, 3, 6, 6, 3, 3, 1, 1, x);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Fold_overwrites_what_was_in_the_buffer()
    {
        var cols = RandomArray(new Random(2), 2 * 3 * 3 * 4);
        var x = Enumerable.Repeat(9f, 2 * 16).ToArray();
        Col2Im.Fold(cols, 2, 1, 4, 4, 2, 2, 1, 0, x);
        Assert.Equal(NaiveIm2Col.Fold(new Tensor(cols, 2 * 3 * 3, 4), [2, 1, 4, 4], 2, 2, 1, 0).Data, x);
    }

    [Fact]
    public void OutputSize_explains_a_window_that_does_not_fit()
    {
        var e = Assert.Throws<ArgumentException>(() => Im2Col.OutputSize(28, 5, 2, 0));
        Assert.Contains("(28 + 2·0 − 5)/2 + 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => Im2Col.OutputSize(3, 7, 1, 1));
        Assert.Contains("Kernel 7 is larger than the padded input", e.Message);
        Assert.Equal(24, Im2Col.OutputSize(28, 5, 1, 0));
        Assert.Equal(14, Im2Col.OutputSize(28, 2, 2, 0));
        Assert.Equal(14, Im2Col.OutputSize(27, 3, 2, 1));
    }

    [Fact]
    public void Unfold_throws_when_a_buffer_is_too_short()
    {
        var e = Assert.Throws<ArgumentException>(() => Im2Col.Unfold(new float[31], 2, 1, 4, 4, 2, 2, 1, 0, new float[72]));
        Assert.Contains("x should hold [N, C, H, W] = [2, 1, 4, 4] = 32 values, but has only 31", e.Message);
        e = Assert.Throws<ArgumentException>(() => Im2Col.Unfold(new float[32], 2, 1, 4, 4, 2, 2, 1, 0, new float[71]));
        Assert.Contains("cols should hold [N·OH·OW, C·KH·KW] = [18, 4] = 72 values", e.Message);
    }

    [Fact]
    public void Fold_throws_for_columns_of_the_wrong_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => Col2Im.Fold(new Tensor(18, 5), [2, 1, 4, 4], 2, 2, 1, 0));
        Assert.Contains("[18, 4]", e.Message);
        Assert.Contains("[18, 5]", e.Message);
    }

    [Fact]
    public void Unfold_throws_for_a_tensor_that_is_not_4D()
    {
        var e = Assert.Throws<ArgumentException>(() => Im2Col.Unfold(new Tensor(3, 4, 4), 2, 2, 1, 0));
        Assert.Contains("[3, 4, 4]", e.Message);
    }
}
