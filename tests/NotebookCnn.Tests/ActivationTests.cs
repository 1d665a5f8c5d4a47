namespace NotebookCnn.Tests;

public class ActivationTests
{
    public static TheoryData<string> ActivationNames => new() { "relu", "sigmoid", "tanh", "leakyrelu", "prelu" };

    private static Layer Create(string name) => name switch
    {
        "relu" => new Relu(),
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "leakyrelu" => new LeakyRelu(0.1f),
        "prelu" => new PRelu(channels: 3),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Gradient_check_passes_on_images(string name)
    {
        var x = LayerTesting.AwayFromZero(seed: 1, 2, 3, 4, 5);
        LayerTesting.AssertPasses(GradientCheck.Run(Create(name), x, seed: 2));
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Gradient_check_passes_on_feature_rows(string name)
    {
        var x = LayerTesting.AwayFromZero(seed: 3, 5, 3);
        LayerTesting.AssertPasses(GradientCheck.Run(Create(name), x, seed: 4));
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Gradient_check_fails_when_backward_is_off_by_ten_percent(string name)
    {
        var x = LayerTesting.AwayFromZero(seed: 1, 2, 3, 4, 5);
        var report = GradientCheck.Run(new SabotagedLayer(Create(name), inputFactor: 1.1f), x, seed: 2);
        Assert.True(report["input"].RelativeError > 0.05, report.ToString());
    }

    [Fact]
    public void Gradient_check_fails_when_the_prelu_slope_gradient_is_wrong()
    {
        var x = LayerTesting.AwayFromZero(seed: 1, 2, 3, 4, 5);
        var report = GradientCheck.Run(new SabotagedLayer(new PRelu(3), parameterFactor: 1.1f), x, seed: 2);
        Assert.True(report["prelu.slope"].RelativeError > 0.05, report.ToString());
        Assert.True(report["input"].RelativeError <= LayerTesting.MaxRelativeError, report.ToString());
    }

    /// <summary>A realistic mistake: a ReLU whose Backward forgets the mask and passes every gradient through.</summary>
    private sealed class ReluWithoutMask : Relu
    {
        public override Tensor Backward(Tensor dout) => dout.Clone();
    }

    [Fact]
    public void Gradient_check_catches_a_relu_that_forgets_its_mask()
    {
        var x = LayerTesting.AwayFromZero(seed: 1, 2, 3, 4, 5);
        var report = GradientCheck.Run(new ReluWithoutMask(), x, seed: 2);
        // About half the inputs are negative, so about half the gradient is wrong: an error near 0.7.
        Assert.True(report["input"].RelativeError > 0.3, report.ToString());
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Backward_does_not_change_dout(string name)
    {
        var layer = Create(name);
        var x = LayerTesting.AwayFromZero(seed: 5, 2, 3, 4, 4);
        layer.Forward(x, training: true);
        var dout = Tensor.RandomNormal(1f, Rng.Create(6), 2, 3, 4, 4);
        var before = dout.Clone();
        layer.Backward(dout);
        Assert.Equal(before.Data, dout.Data);
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Forward_does_not_change_its_input_and_keeps_the_shape(string name)
    {
        var layer = Create(name);
        var x = LayerTesting.AwayFromZero(seed: 5, 2, 3, 4, 4);
        var before = x.Clone();
        var y = layer.Forward(x, training: true);
        Assert.Equal(before.Data, x.Data);
        Assert.Equal(x.ShapeArray(), y.ShapeArray());
        Assert.Equal(x.ShapeArray(), layer.OutputShape(x.ShapeArray()));
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Backward_before_forward_says_to_call_forward(string name)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Create(name).Backward(new Tensor(2, 3)));
        Assert.Contains("Forward", e.Message);
    }

    [Theory]
    [MemberData(nameof(ActivationNames))]
    public void Backward_with_a_wrong_shape_names_both_shapes(string name)
    {
        var layer = Create(name);
        layer.Forward(new Tensor(2, 3), training: true);
        var e = Assert.Throws<ArgumentException>(() => layer.Backward(new Tensor(3, 2)));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 2]", e.Message);
        Assert.Contains($"'{name}'", e.Message);
    }

    [Fact]
    public void Sigmoid_of_zero_is_one_half_with_derivative_one_quarter()
    {
        Assert.Equal(0.5f, Sigmoid.Function(0f));
        Assert.Equal(0.25f, Sigmoid.Derivative(0f));
        Assert.Equal(0.5f, new Sigmoid().Forward(new Tensor(1, 1), training: false).Data[0]);
    }

    [Fact]
    public void Sigmoid_saturates_without_producing_nan()
    {
        Assert.Equal(0f, Sigmoid.Function(-200f));
        Assert.Equal(1f, Sigmoid.Function(200f));
        Assert.Equal(0f, Sigmoid.Derivative(-200f));
        Assert.InRange(Sigmoid.Derivative(10f), 0f, 1e-4f);
    }

    [Fact]
    public void Tanh_derivative_at_zero_is_one()
    {
        Assert.Equal(0f, Tanh.Function(0f));
        Assert.Equal(1f, Tanh.Derivative(0f));
        Assert.Equal(1f - MathF.Tanh(1f) * MathF.Tanh(1f), Tanh.Derivative(1f), 6);
    }

    [Fact]
    public void Relu_zeroes_negatives_and_blocks_their_gradient()
    {
        var relu = new Relu();
        var y = relu.Forward(new Tensor([-2f, -0.5f, 0f, 0.5f, 3f], 1, 5), training: true);
        Assert.Equal(new[] { 0f, 0f, 0f, 0.5f, 3f }, y.Data);
        var dx = relu.Backward(new Tensor([1f, 2f, 3f, 4f, 5f], 1, 5));
        Assert.Equal(new[] { 0f, 0f, 0f, 4f, 5f }, dx.Data);
        Assert.Equal(0f, Relu.Derivative(0f));
        Assert.Equal(1f, Relu.Derivative(0.1f));
    }

    [Fact]
    public void Relu_backward_passes_the_gradient_exactly_where_the_input_was_positive_in_long_arrays()
    {
        // 37 values: the vector loops and the scalar tail; every fourth input exactly 0, which blocks the gradient.
        var random = new Random(3);
        var x = new Tensor(Enumerable.Range(0, 37).Select(i => i % 4 == 0 ? 0f : (float)(random.NextDouble() * 2 - 1)).ToArray(), 1, 37);
        var dout = new Tensor(Enumerable.Range(0, 37).Select(i => i + 1f).ToArray(), 1, 37);
        var relu = new Relu();
        relu.Forward(x, training: true);
        var dx = relu.Backward(dout);
        for (int i = 0; i < 37; i++)
            Assert.Equal(Relu.Derivative(x.Data[i]) * dout.Data[i], dx.Data[i]);
    }

    [Fact]
    public void Leaky_relu_scales_negatives_by_its_slope()
    {
        var layer = new LeakyRelu(slope: 0.1f);
        var y = layer.Forward(new Tensor([-2f, -0.5f, 3f], 1, 3), training: true);
        Assert.Equal(new[] { -0.2f, -0.05f, 3f }, y.Data);
        Assert.Equal(new[] { 0.1f, 0.1f, 1f }, layer.Backward(Tensor.Full(1f, 1, 3)).Data);
        Assert.Equal(-0.01f, LeakyRelu.Function(-1f));
        Assert.Equal(0.01f, LeakyRelu.Derivative(-1f));
    }

    [Fact]
    public void Prelu_uses_one_slope_per_channel_on_negatives()
    {
        var layer = new PRelu(channels: 2, initialSlope: 0.25f);
        layer.Slope.Value.Data[1] = 0.5f;
        // [1, 2, 1, 2]: channel 0 holds (−4, 2), channel 1 holds (−4, 2).
        var x = new Tensor([-4f, 2f, -4f, 2f], 1, 2, 1, 2);
        Assert.Equal(new[] { -1f, 2f, -2f, 2f }, layer.Forward(x, training: true).Data);
        layer.Backward(new Tensor([1f, 1f, 3f, 1f], 1, 2, 1, 2));
        // ∂L/∂a_c = Σ dout · x over negative inputs: channel 0: 1·(−4); channel 1: 3·(−4).
        Assert.Equal(new[] { -4f, -12f }, layer.Slope.Gradient.Data);
        Assert.Equal(-0.75f, PRelu.Function(-3f, 0.25f));
    }

    [Fact]
    public void Prelu_slope_is_named_after_the_layer_and_not_weight_decayed()
    {
        var layer = new PRelu(4, name: "act1");
        var slope = Assert.Single(layer.Parameters);
        Assert.Equal("act1.slope", slope.Name);
        Assert.False(slope.IsWeight);
        Assert.Equal(new[] { 0.25f, 0.25f, 0.25f, 0.25f }, slope.Value.Data);
        layer.Name = "prelu3";
        Assert.Equal("prelu3.slope", layer.Parameters[0].Name);
        Assert.Equal(4, layer.ParameterCount);
    }

    [Fact]
    public void Prelu_with_the_wrong_channel_count_names_layer_and_shapes()
    {
        var layer = new PRelu(3, name: "act1");
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(2, 4, 5, 5), training: true));
        Assert.Contains("PRelu 'act1'", e.Message);
        Assert.Contains("expects 3 channels", e.Message);
        Assert.Contains("[2, 4, 5, 5]", e.Message);
        var rank = Assert.Throws<ArgumentException>(() => layer.OutputShape([2, 3, 5]));
        Assert.Contains("[2, 3, 5]", rank.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PRelu(0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(200_003)] // long enough for the parallel path, odd for the scalar tail
    public void Vectorised_activations_match_the_scalar_functions(int length)
    {
        var x = Tensor.RandomNormal(2f, Rng.Create(length), 1, length);
        var dout = Tensor.RandomNormal(1f, Rng.Create(length + 1), 1, length);
        var cases = new (Layer Layer, Func<float, float> F, Func<float, float> D)[]
        {
            (new Relu(), Relu.Function, Relu.Derivative),
            (new Sigmoid(), Sigmoid.Function, Sigmoid.Derivative),
            (new Tanh(), Tanh.Function, Tanh.Derivative),
            (new LeakyRelu(0.2f), v => LeakyRelu.Function(v, 0.2f), v => LeakyRelu.Derivative(v, 0.2f)),
        };
        foreach (var (layer, f, d) in cases)
        {
            var y = layer.Forward(x, training: true);
            var dx = layer.Backward(dout);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(f(x.Data[i]), y.Data[i], 1e-6f);
                Assert.Equal(dout.Data[i] * d(x.Data[i]), dx.Data[i], 1e-5f);
            }
        }
    }

    [Fact]
    public void Layers_without_a_name_are_named_after_their_type()
    {
        Assert.Equal("relu", new Relu().Name);
        Assert.Equal("sigmoid", new Sigmoid().Name);
        Assert.Equal("tanh", new Tanh().Name);
        Assert.Equal("leakyrelu", new LeakyRelu().Name);
        Assert.Equal("prelu", new PRelu(2).Name);
        Assert.Equal("act", new Relu("act").Name);
    }

    [Fact]
    public void ToString_shows_type_name_and_settings()
    {
        Assert.Equal("Relu relu", new Relu().ToString());
        Assert.Equal("LeakyRelu leakyrelu: slope 0.01", new LeakyRelu().ToString());
        Assert.Equal("PRelu act1: 16 slopes", new PRelu(16, name: "act1").ToString());
    }
}
