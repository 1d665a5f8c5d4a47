namespace NotebookCnn.Tests;

public class LossTests
{
    [Fact]
    public void Softmax_rows_sum_to_one_and_survive_large_scores()
    {
        var p = SoftmaxCrossEntropy.Softmax(Tensor.FromArray(new float[,] { { 1000, 1001, 1002 }, { -1000, 0, 1000 } }));
        // exp(0)/(e⁻² + e⁻¹ + 1) etc.; without subtracting the maximum, exp(1000) would be infinite.
        Assert.Equal(0.0900306f, p[0, 0], 5);
        Assert.Equal(0.2447285f, p[0, 1], 5);
        Assert.Equal(0.6652410f, p[0, 2], 5);
        Assert.Equal(1f, p[1, 2], 6);
        Assert.All(p.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Softmax_accepts_a_single_row()
    {
        var p = SoftmaxCrossEntropy.Softmax(Tensor.FromArray([0f, 0f, 0f, 0f]));
        Assert.Equal([0.25f, 0.25f, 0.25f, 0.25f], p.Data);
    }

    [Fact]
    public void Cross_entropy_of_equal_scores_is_ln_C()
    {
        var loss = new SoftmaxCrossEntropy();
        Assert.Equal(Math.Log(10), loss.Forward(new Tensor(4, 10), [0, 3, 9, 5]), 5);
    }

    [Fact]
    public void Cross_entropy_is_the_batch_mean_of_minus_log_p_label()
    {
        var scores = Tensor.FromArray(new float[,] { { 2, 1, 0 }, { 0, 0, 5 } });
        var loss = new SoftmaxCrossEntropy();
        float value = loss.Forward(scores, [0, 1]);
        double p0 = Math.Exp(2) / (Math.Exp(2) + Math.Exp(1) + 1), p1 = 1 / (2 + Math.Exp(5));
        Assert.Equal(-(Math.Log(p0) + Math.Log(p1)) / 2, value, 5);
        Assert.NotNull(loss.Probabilities);
        Assert.Equal(p0, loss.Probabilities![0, 0], 5);
    }

    [Fact]
    public void Cross_entropy_stays_finite_for_a_confidently_wrong_score()
    {
        var loss = new SoftmaxCrossEntropy();
        float value = loss.Forward(Tensor.FromArray(new float[,] { { 0, 200 } }), [0]);
        Assert.Equal(200f, value, 3);
    }

    [Fact]
    public void Labels_and_one_hot_targets_give_the_same_loss_and_gradient()
    {
        var scores = TestData.Random(1, 3, 4);
        int[] labels = [2, 0, 3];
        var a = new SoftmaxCrossEntropy();
        var b = new SoftmaxCrossEntropy();
        Assert.Equal(a.Forward(scores, labels), b.Forward(scores, Loss.OneHot(labels, 4)), 6);
        var ga = a.Backward();
        var gb = b.Backward();
        for (int i = 0; i < ga.Length; i++) Assert.Equal(ga.Data[i], gb.Data[i], 6);
    }

    [Fact]
    public void Cross_entropy_backward_is_softmax_minus_target_over_N()
    {
        var scores = TestData.Random(1, 2, 3);
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(scores, [1, 2]);
        var p = SoftmaxCrossEntropy.Softmax(scores);
        var g = loss.Backward();
        Assert.Equal((p[0, 1] - 1) / 2, g[0, 1], 6);
        Assert.Equal(p[0, 0] / 2, g[0, 0], 6);
        Assert.Equal((p[1, 2] - 1) / 2, g[1, 2], 6);
    }

    [Fact]
    public void Cross_entropy_gradient_check_passes()
    {
        var report = GradientCheck.Run(new Affine(5, 4, seed: 1), new SoftmaxCrossEntropy(), TestData.Random(2, 3, 5), [3, 0, 1]);
        Assert.True(report.MaxRelativeError <= TestData.GradientTolerance, report.ToString());
    }

    [Fact]
    public void Cross_entropy_with_soft_targets_matches_finite_differences()
    {
        var scores = TestData.Random(4, 2, 3);
        var target = new Tensor([0.2f, 0.5f, 0.3f, 0.9f, 0.05f, 0.05f], 2, 3);
        var loss = new SoftmaxCrossEntropy();
        loss.Forward(scores, target);
        var analytic = loss.Backward();
        const float H = 1e-2f;
        for (int i = 0; i < scores.Length; i++)
        {
            float original = scores.Data[i];
            scores.Data[i] = original + H;
            double plus = loss.Forward(scores, target);
            scores.Data[i] = original - H;
            double minus = loss.Forward(scores, target);
            scores.Data[i] = original;
            Assert.Equal((plus - minus) / (2 * H), analytic.Data[i], tolerance: 1e-3);
        }
    }

    [Fact]
    public void Mean_squared_error_is_half_the_sum_of_squares_over_the_batch()
    {
        var loss = new MeanSquaredError();
        var y = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        var t = Tensor.FromArray(new float[,] { { 0, 2 }, { 1, 4 } });
        Assert.Equal(0.5 * (1 + 4) / 2, loss.Forward(y, t), 6);
        Assert.Equal([0.5f, 0, 1, 0], loss.Backward().Data);
    }

    [Fact]
    public void Mean_squared_error_gradient_check_passes()
    {
        var report = GradientCheck.Run(new Affine(5, 4, seed: 1), new MeanSquaredError(), TestData.Random(2, 3, 5), [3, 0, 1]);
        Assert.True(report.MaxRelativeError <= TestData.GradientTolerance, report.ToString());
    }

    [Fact]
    public void Labels_out_of_range_are_rejected_with_position_and_range()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(2, 10), [3, 10]));
        Assert.Contains("label 10 at position 1 is outside 0..9", e.Message);
        Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(2, 10), [-1, 0]));
        Assert.Contains("outside 0..9", Assert.Throws<ArgumentException>(() => new MeanSquaredError().Forward(new Tensor(2, 10), [3, 10])).Message);
    }

    [Fact]
    public void Label_count_must_match_the_batch()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(4, 10), [1, 2, 3]));
        Assert.Contains("3 labels for a batch of 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MeanSquaredError().Forward(new Tensor(4, 10), [1, 2, 3]));
        Assert.Contains("3 labels for a batch of 4", e.Message);
    }

    [Fact]
    public void Targets_must_have_the_output_shape()
    {
        Assert.Contains("[2, 3]", Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(2, 3), new Tensor(3, 2))).Message);
        Assert.Contains("[3, 2]", Assert.Throws<ArgumentException>(() => new MeanSquaredError().Forward(new Tensor(2, 3), new Tensor(3, 2))).Message);
        Assert.Contains("sums to", Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(2, 3), new Tensor(2, 3))).Message);
        Assert.Contains("scores [N, C]", Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(2, 3, 4), [0, 1])).Message);
    }

    [Fact]
    public void Backward_before_Forward_explains_what_to_do()
    {
        Assert.Contains("before Forward", Assert.Throws<InvalidOperationException>(() => new SoftmaxCrossEntropy().Backward()).Message);
        Assert.Contains("before Forward", Assert.Throws<InvalidOperationException>(() => new MeanSquaredError().Backward()).Message);
    }
}
