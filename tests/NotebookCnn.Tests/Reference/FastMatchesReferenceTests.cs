using NotebookCnn.Reference;

namespace NotebookCnn.Tests.Reference;

/// <summary>
/// Every fast layer held to its loop-level reference in <c>NotebookCnn.Reference</c>, forward and backward,
/// on fixed corner cases (batch 1, non-square, stride, padding, odd sizes) and on seeded random shapes.
/// </summary>
public class FastMatchesReferenceTests
{
    // Float sums in a different order differ in the last bits; 1e-4 relative (plus 1e-4 absolute) is far below any real mistake.
    private const float Tolerance = 1e-4f;

    internal static void AssertClose(Tensor expected, Tensor actual, string what, float tolerance = Tolerance)
    {
        Assert.Equal(expected.ShapeArray(), actual.ShapeArray());
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected.Data[i] - actual.Data[i]) <= tolerance * (1 + Math.Abs(expected.Data[i]))))
                Assert.Fail($"{what}: value {i} is {actual.Data[i]}, the reference gives {expected.Data[i]}.");
    }

    // n, c, f, kh, kw, oh, ow, stride, padding: the input size follows from the output size, so every case fits.
    public static TheoryData<int, int, int, int, int, int, int, int, int> ConvolutionCases()
    {
        var data = new TheoryData<int, int, int, int, int, int, int, int, int>
        {
            { 1, 1, 1, 3, 3, 3, 3, 1, 0 },   // batch 1, one channel
            { 2, 3, 4, 3, 3, 4, 4, 2, 1 },   // stride 2, padding 1
            { 1, 2, 3, 2, 3, 5, 3, 1, 0 },   // non-square kernel and output
            { 3, 1, 2, 5, 5, 3, 5, 1, 2 },   // padding 2
            { 2, 2, 5, 1, 1, 6, 7, 1, 0 },   // 1×1 kernel
            { 1, 3, 2, 3, 2, 2, 3, 3, 1 },   // stride 3
        };
        var random = new Random(18);
        for (int k = 0; k < 10; k++)
        {
            int kh = random.Next(1, 5), kw = random.Next(1, 5), stride = random.Next(1, 4), padding = random.Next(0, Math.Min(kh, kw));
            data.Add(random.Next(1, 4), random.Next(1, 4), random.Next(1, 6), kh, kw,
                OutputSize(random, kh, stride, padding), OutputSize(random, kw, stride, padding), stride, padding);
        }
        return data;
    }

    // H = (OH − 1)·S + K − 2P, so that exactly OH windows fit; the random cases are drawn so that H ≥ 1.
    private static int InputSize(int outputSize, int kernel, int stride, int padding) =>
        (outputSize - 1) * stride + kernel - 2 * padding is var size and >= 1 ? size
            : throw new ArgumentException($"No input gives {outputSize} outputs with kernel {kernel}, stride {stride}, padding {padding}.");

    // An output size drawn from 1…6, raised until the input it needs has at least one pixel.
    private static int OutputSize(Random random, int kernel, int stride, int padding)
    {
        int size = random.Next(1, 7);
        while ((size - 1) * stride + kernel - 2 * padding < 1) size++;
        return size;
    }

    [Theory]
    [MemberData(nameof(ConvolutionCases))]
    public void Convolution_forward_and_backward_match_the_naive_loops(int n, int c, int f, int kh, int kw, int oh, int ow, int stride, int padding)
    {
        int h = InputSize(oh, kh, stride, padding), w = InputSize(ow, kw, stride, padding);
        var conv = new Convolution(c, f, (kh, kw), stride, padding, seed: n + c + f);
        TestData.Random(9, f).Data.CopyTo(conv.Bias.Value.Data, 0);
        var x = TestData.Random(2, n, c, h, w);
        var y = conv.Forward(x, training: true);
        AssertClose(NaiveConvolution.Forward(x, conv.Weight.Value, conv.Bias.Value, stride, padding), y, "out");
        var dout = TestData.Random(3, y.ShapeArray());
        var dx = conv.Backward(dout);
        var expected = NaiveConvolution.Backward(x, conv.Weight.Value, dout, stride, padding);
        AssertClose(expected.Dx, dx, "∂L/∂x");
        AssertClose(expected.Dw, conv.Weight.Gradient, "∂L/∂W");
        AssertClose(expected.Db, conv.Bias.Gradient, "∂L/∂b");
    }

    // n, c, size, oh, ow, stride, padding
    public static TheoryData<int, int, int, int, int, int, int> PoolingCases()
    {
        var data = new TheoryData<int, int, int, int, int, int, int>
        {
            { 1, 1, 2, 2, 2, 2, 0 },   // batch 1, the usual 2×2 window (the vectorised kernel)
            { 3, 4, 2, 6, 5, 2, 0 },   // 2×2 on a non-square plane
            { 2, 3, 3, 4, 4, 2, 1 },   // overlapping windows with padding
            { 2, 2, 3, 5, 3, 1, 1 },   // stride 1, padding 1
            { 1, 3, 2, 3, 4, 1, 0 },   // overlapping 2×2
            { 40, 2, 2, 6, 6, 2, 0 },  // many planes: runs in parallel
        };
        var random = new Random(4);
        for (int k = 0; k < 10; k++)
        {
            int size = random.Next(1, 5), stride = random.Next(1, 4), padding = random.Next(0, size);
            data.Add(random.Next(1, 4), random.Next(1, 4), size,
                OutputSize(random, size, stride, padding), OutputSize(random, size, stride, padding), stride, padding);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PoolingCases))]
    public void Max_pooling_forward_and_backward_match_the_naive_loops(int n, int c, int size, int oh, int ow, int stride, int padding)
    {
        int h = InputSize(oh, size, stride, padding), w = InputSize(ow, size, stride, padding);
        var pool = new MaxPooling(size, stride, padding);
        var x = LayerTesting.DistinctShuffled(5, n, c, h, w); // distinct values: one maximum per window
        var y = pool.Forward(x, training: true);
        AssertClose(NaivePooling.MaxForward(x, size, stride, padding), y, "out", 0f);
        var dout = TestData.Random(6, y.ShapeArray());
        AssertClose(NaivePooling.MaxBackward(x, dout, size, stride, padding), pool.Backward(dout), "∂L/∂x");
    }

    [Theory]
    [MemberData(nameof(PoolingCases))]
    public void Average_pooling_forward_and_backward_match_the_naive_loops(int n, int c, int size, int oh, int ow, int stride, int padding)
    {
        int h = InputSize(oh, size, stride, padding), w = InputSize(ow, size, stride, padding);
        var pool = new AveragePooling(size, stride, padding);
        var x = TestData.Random(7, n, c, h, w);
        var y = pool.Forward(x, training: true);
        AssertClose(NaivePooling.AverageForward(x, size, stride, padding), y, "out");
        var dout = TestData.Random(8, y.ShapeArray());
        AssertClose(NaivePooling.AverageBackward(x, dout, size, stride, padding), pool.Backward(dout), "∂L/∂x");
    }

    [Fact]
    public void Max_pooling_gives_a_tie_to_the_first_maximum_like_the_reference()
    {
        var x = new Tensor(2, 1, 4, 4); // all equal: every window is one big tie
        x.Fill(0.5f);
        var pool = new MaxPooling(3, stride: 1, padding: 1);
        var dout = TestData.Random(1, pool.Forward(x, training: true).ShapeArray());
        AssertClose(NaivePooling.MaxBackward(x, dout, 3, 1, 1), pool.Backward(dout), "∂L/∂x", 0f);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 7, 3)]
    [InlineData(5, 1, 9)]
    [InlineData(13, 17, 11)]
    [InlineData(64, 33, 65)]
    [InlineData(100, 257, 10)]
    public void Affine_forward_and_backward_match_the_naive_loops(int n, int d, int m)
    {
        var affine = new Affine(d, m, seed: n + d);
        TestData.Random(9, m).Data.CopyTo(affine.Bias.Value.Data, 0);
        var x = TestData.Random(1, n, d);
        AssertClose(NaiveAffine.Forward(x, affine.Weight.Value, affine.Bias.Value), affine.Forward(x, training: true), "y");
        var dout = TestData.Random(2, n, m);
        var dx = affine.Backward(dout);
        var expected = NaiveAffine.Backward(x, affine.Weight.Value, dout);
        AssertClose(expected.Dx, dx, "∂L/∂x");
        AssertClose(expected.Dw, affine.Weight.Gradient, "∂L/∂W");
        AssertClose(expected.Db, affine.Bias.Gradient, "∂L/∂b");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(17, 9, 33)]
    [InlineData(64, 64, 64)]
    [InlineData(65, 127, 31)]
    [InlineData(6, 257, 16)]
    public void Matrix_multiply_matches_the_naive_loop_with_and_without_transposes(int m, int k, int n)
    {
        var a = TestData.Random(m + 1, m, k);
        var b = TestData.Random(n + 2, k, n);
        var expected = NaiveMatMul.Multiply(a, b);
        AssertClose(expected, MatMul.Multiply(a, b), "A·B");
        AssertClose(expected, MatMul.Multiply(NaiveMatMul.Transpose(a), b, transposeA: true), "(Aᵀ)ᵀ·B");
        AssertClose(expected, MatMul.Multiply(a, NaiveMatMul.Transpose(b), transposeB: true), "A·(Bᵀ)ᵀ");
    }

    [Theory]
    [InlineData(2, 3, 0, 0)]
    [InlineData(2, 9, 0, 0)]
    [InlineData(7, 1, 0, 0)]
    [InlineData(2, 3, 4, 5)]
    [InlineData(1, 2, 3, 3)]      // batch 1 of images: m = H·W values per channel
    [InlineData(4, 5, 1, 7)]
    public void BatchNorm_forward_and_backward_match_the_step_by_step_reference(int n, int features, int h, int w)
    {
        var bn = new BatchNorm(features);
        TestData.Random(1, features).Data.CopyTo(bn.Gamma.Value.Data, 0);
        TestData.Random(2, features).Data.CopyTo(bn.Beta.Value.Data, 0);
        var x = h == 0 ? TestData.Random(3, n, features) : TestData.Random(3, n, features, h, w);
        var (y, _, _) = NaiveBatchNorm.Forward(x, bn.Gamma.Value, bn.Beta.Value);
        AssertClose(y, bn.Forward(x, training: true), "y");
        var dout = TestData.Random(4, x.ShapeArray());
        var dx = bn.Backward(dout);
        var expected = NaiveBatchNorm.Backward(x, bn.Gamma.Value, dout);
        AssertClose(expected.Dx, dx, "∂L/∂x", 1e-3f); // the layer uses the compact formula: a different order of float sums
        AssertClose(expected.Dgamma, bn.Gamma.Gradient, "∂L/∂γ");
        AssertClose(expected.Dbeta, bn.Beta.Gradient, "∂L/∂β");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 10)]
    [InlineData(7, 3)]
    [InlineData(100, 10)]
    public void Softmax_cross_entropy_matches_the_reference(int n, int classes)
    {
        var scores = TestData.Random(5, n, classes);
        for (int i = 0; i < scores.Length; i++) scores.Data[i] *= 20f; // large scores: the maximum must be subtracted
        int[] labels = Enumerable.Range(0, n).Select(i => (i * 7) % classes).ToArray();
        var loss = new SoftmaxCrossEntropy();
        var (expectedLoss, expectedGradient) = NaiveSoftmaxCrossEntropy.Forward(scores, labels);
        Assert.Equal(expectedLoss, loss.Forward(scores, labels), 4);
        AssertClose(NaiveSoftmaxCrossEntropy.Softmax(scores), loss.Probabilities!, "p");
        AssertClose(expectedGradient, loss.Backward(), "∂L/∂z");
    }
}
