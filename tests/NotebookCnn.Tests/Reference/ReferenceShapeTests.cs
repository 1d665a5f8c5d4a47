using NotebookCnn.Reference;

namespace NotebookCnn.Tests.Reference;

/// <summary>The reference loops refuse shapes that do not fit, naming what they expected and what came.</summary>
public class ReferenceShapeTests
{
    private static void AssertThrowsNaming(Action call, params string[] parts)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        foreach (string part in parts) Assert.Contains(part, e.Message);
    }

    [Fact]
    public void NaiveMatMul_throws_for_mismatched_shapes() =>
        AssertThrowsNaming(() => NaiveMatMul.Multiply(new Tensor(2, 3), new Tensor(4, 5)), "[3, 5]", "[4, 5]");

    [Fact]
    public void NaiveAffine_throws_for_mismatched_shapes()
    {
        AssertThrowsNaming(() => NaiveAffine.Forward(new Tensor(2, 3), new Tensor(4, 5), new Tensor(5)), "[N, 4]", "[2, 3]");
        AssertThrowsNaming(() => NaiveAffine.Forward(new Tensor(2, 4), new Tensor(4, 5), new Tensor(3)), "[5]", "[3]");
        AssertThrowsNaming(() => NaiveAffine.Backward(new Tensor(2, 4), new Tensor(4, 5), new Tensor(2, 4)), "[2, 5]", "[2, 4]");
    }

    [Fact]
    public void NaiveIm2Col_throws_for_mismatched_shapes()
    {
        AssertThrowsNaming(() => NaiveIm2Col.Unfold(new Tensor(3, 4), 2, 2, 1, 0), "[N, C, H, W]", "[3, 4]");
        AssertThrowsNaming(() => NaiveIm2Col.Fold(new Tensor(9, 5), [1, 1, 4, 4], 2, 2, 1, 0), "[9, 4]", "[9, 5]");
        AssertThrowsNaming(() => NaiveIm2Col.Unfold(new Tensor(1, 1, 5, 5), 2, 2, 2, 0), "not a whole number");
    }

    [Fact]
    public void NaiveConvolution_throws_for_mismatched_shapes()
    {
        var x = new Tensor(2, 3, 5, 5);
        AssertThrowsNaming(() => NaiveConvolution.Forward(x, new Tensor(4, 2, 3, 3), new Tensor(4), 1, 0), "2 input channels", "has 3");
        AssertThrowsNaming(() => NaiveConvolution.Forward(x, new Tensor(4, 3, 3, 3), new Tensor(5), 1, 0), "[4]", "[5]");
        AssertThrowsNaming(() => NaiveConvolution.Backward(x, new Tensor(4, 3, 3, 3), new Tensor(2, 4, 5, 5), 1, 0), "[2, 4, 3, 3]", "[2, 4, 5, 5]");
    }

    [Fact]
    public void NaivePooling_throws_for_mismatched_shapes()
    {
        AssertThrowsNaming(() => NaivePooling.MaxForward(new Tensor(4, 4), 2, 2, 0), "[N, C, H, W]", "[4, 4]");
        AssertThrowsNaming(() => NaivePooling.AverageBackward(new Tensor(1, 1, 4, 4), new Tensor(1, 1, 3, 3), 2, 2, 0), "[1, 1, 2, 2]", "[1, 1, 3, 3]");
    }

    [Fact]
    public void NaiveBatchNorm_throws_for_mismatched_shapes()
    {
        AssertThrowsNaming(() => NaiveBatchNorm.Forward(new Tensor(4, 3), new Tensor(2), new Tensor(3)), "gamma", "[3]", "[2]");
        AssertThrowsNaming(() => NaiveBatchNorm.Forward(new Tensor(4, 3, 2), new Tensor(3), new Tensor(3)), "[N, C, H, W]", "[4, 3, 2]");
        AssertThrowsNaming(() => NaiveBatchNorm.Backward(new Tensor(4, 3), new Tensor(3), new Tensor(3, 4)), "[4, 3]", "[3, 4]");
    }

    [Fact]
    public void NaiveSoftmaxCrossEntropy_throws_for_mismatched_shapes()
    {
        AssertThrowsNaming(() => NaiveSoftmaxCrossEntropy.Forward(new Tensor(2, 3), [0]), "2 labels", "got 1");
        AssertThrowsNaming(() => NaiveSoftmaxCrossEntropy.Forward(new Tensor(2, 3), [0, 3]), "label 3", "0…2");
        AssertThrowsNaming(() => NaiveSoftmaxCrossEntropy.Softmax(new Tensor(6)), "[N, C]", "[6]");
    }

    [Fact]
    public void TextbookOptimizers_throw_for_mismatched_shapes()
    {
        float[] w = new float[3];
        AssertThrowsNaming(() => TextbookOptimizers.SgdStep(w, new float[2], 0.1f), "3", "got 2");
        AssertThrowsNaming(() => TextbookOptimizers.MomentumStep(w, new float[3], new float[4], 0.1f), "v", "got 4");
        AssertThrowsNaming(() => TextbookOptimizers.AdamStep(w, new float[3], new float[3], new float[2], 1, 0.1f), "v", "got 2");
        Assert.Throws<ArgumentOutOfRangeException>(() => TextbookOptimizers.AdamStep(w, new float[3], new float[3], new float[3], 0, 0.1f));
    }

    [Fact]
    public void Adam_reference_first_step_moves_each_weight_by_the_learning_rate()
    {
        // m̂ = g and v̂ = g² after the first step, so w moves by η·g / (|g| + ε) ≈ η against the sign of g.
        float[] w = [1f, 1f], g = [0.006f, -600f], m = new float[2], v = new float[2];
        TextbookOptimizers.AdamStep(w, g, m, v, t: 1, learningRate: 0.1f);
        Assert.Equal(0.9f, w[0], 1e-5f);
        Assert.Equal(1.1f, w[1], 1e-5f);
    }
}
