namespace NotebookCnn.Tests;

public class AffineTests
{
    [Fact]
    public void Affine_computes_x_times_W_plus_b()
    {
        var layer = new Affine(2, 3);
        TestData.Set(layer.Weight, 1, 2, 3, 4, 5, 6);        // W = [[1, 2, 3], [4, 5, 6]]
        TestData.Set(layer.Bias, 0.5f, -1, 0);
        var y = layer.Forward(Tensor.FromArray(new float[,] { { 1, 1 }, { 2, -1 } }), training: true);
        // [1, 1]·W + b = [5, 7, 9] + b; [2, −1]·W + b = [−2, −1, 0] + b
        Assert.Equal([5.5f, 6, 9, -1.5f, -2, 0], y.Data);
    }

    [Fact]
    public void Affine_gradient_check_passes()
    {
        var report = GradientCheck.Run(new Affine(5, 4, seed: 1), TestData.Random(2, 2, 5), seed: 3);
        Assert.True(report.MaxRelativeError <= TestData.GradientTolerance, report.ToString());
        Assert.Equal(["input", "affine.weight", "affine.bias"], report.Results.Select(r => r.Name));
    }

    [Fact]
    public void Affine_flattens_image_batches_and_returns_the_gradient_in_their_shape()
    {
        var layer = new Affine(2 * 3 * 3, 4, seed: 1);
        var x = TestData.Random(2, 2, 2, 3, 3);
        Assert.Equal([2, 4], layer.Forward(x, training: true).ShapeArray());
        Assert.Equal([2, 2, 3, 3], layer.Backward(TestData.Random(3, 2, 4)).ShapeArray());
        var report = GradientCheck.Run(layer, x, seed: 3);
        Assert.True(report.MaxRelativeError <= TestData.GradientTolerance, report.ToString());
    }

    /// <summary>An Affine whose Backward doubles the weight gradient: the check must catch it.</summary>
    private sealed class AffineWithWrongGradient(int inputSize, int outputSize) : Affine(inputSize, outputSize, seed: 1)
    {
        public override Tensor Backward(Tensor dout)
        {
            var dx = base.Backward(dout);
            for (int i = 0; i < Weight.Gradient.Length; i++) Weight.Gradient.Data[i] *= 2;
            return dx;
        }
    }

    [Fact]
    public void Gradient_check_catches_a_wrong_Affine_gradient()
    {
        var report = GradientCheck.Run(new AffineWithWrongGradient(5, 4), TestData.Random(2, 2, 5), seed: 3);
        Assert.True(report["affine.weight"].RelativeError > 0.3, report.ToString());
        Assert.True(report["input"].RelativeError <= TestData.GradientTolerance, report.ToString());
    }

    [Fact]
    public void Backward_overwrites_gradients_instead_of_adding_to_them()
    {
        var layer = new Affine(3, 2, seed: 1);
        var x = TestData.Random(2, 4, 3);
        var dout = TestData.Random(3, 4, 2);
        layer.Forward(x, training: true);
        layer.Backward(dout);
        var first = layer.Weight.Gradient.Clone();
        layer.Forward(x, training: true);
        layer.Backward(dout);
        Assert.Equal(first.Data, layer.Weight.Gradient.Data);
    }

    [Fact]
    public void Default_initialisation_is_He_with_zero_bias()
    {
        var layer = new Affine(800, 100, seed: 5);
        double std = Math.Sqrt(layer.Weight.Value.Data.Sum(v => (double)v * v) / layer.Weight.Value.Length);
        Assert.InRange(std, 0.95 * Math.Sqrt(2.0 / 800), 1.05 * Math.Sqrt(2.0 / 800));
        Assert.All(layer.Bias.Value.Data, b => Assert.Equal(0f, b));
        Assert.True(layer.Weight.IsWeight);
        Assert.False(layer.Bias.IsWeight);
        Assert.Equal([800, 100], layer.Weight.Value.ShapeArray());
    }

    [Fact]
    public void Same_seed_gives_the_same_weights()
    {
        Assert.Equal(new Affine(10, 3, seed: 4).Weight.Value.Data, new Affine(10, 3, seed: 4).Weight.Value.Data);
        Assert.NotEqual(new Affine(10, 3, seed: 4).Weight.Value.Data, new Affine(10, 3, seed: 5).Weight.Value.Data);
    }

    [Fact]
    public void Input_size_mismatch_names_the_layer_and_both_sizes()
    {
        var layer = new Affine(784, 50, name: "affine1");
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(100, 30, 12, 12), training: true));
        Assert.Equal("Affine 'affine1' expects 784 input values per example, got 4320: input shape [100, 30, 12, 12].", e.Message);
        Assert.Throws<ArgumentException>(() => layer.OutputShape([100, 783]));
        Assert.Contains("Affine 'affine1'", Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(784), true)).Message);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, -1)]
    public void Non_positive_sizes_are_rejected(int inputSize, int outputSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Affine(inputSize, outputSize, name: "fc"));
        Assert.Contains("Affine 'fc'", e.Message);
        Assert.Contains($"got {Math.Min(inputSize, outputSize)}", e.Message);
    }

    [Fact]
    public void Backward_before_Forward_explains_what_to_do()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new Affine(3, 2).Backward(new Tensor(1, 2)));
        Assert.Contains("before Forward", e.Message);
    }

    [Fact]
    public void Backward_with_the_wrong_dout_shape_names_both_shapes()
    {
        var layer = new Affine(3, 2);
        layer.Forward(new Tensor(4, 3), training: true);
        var e = Assert.Throws<ArgumentException>(() => layer.Backward(new Tensor(4, 3)));
        Assert.Contains("[4, 2]", e.Message);
        Assert.Contains("[4, 3]", e.Message);
    }

    [Fact]
    public void OutputShape_and_ToString_describe_the_layer()
    {
        var layer = new Affine(784, 50, name: "affine1");
        Assert.Equal([100, 50], layer.OutputShape([100, 1, 28, 28]));
        Assert.Equal("Affine affine1: 784→50", layer.ToString());
        Assert.Equal(784 * 50 + 50, layer.ParameterCount);
    }
}
