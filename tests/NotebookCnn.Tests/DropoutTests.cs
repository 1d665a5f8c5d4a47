namespace NotebookCnn.Tests;

public class DropoutTests
{
    [Fact]
    public void Gradient_check_passes_with_a_fixed_seed()
    {
        // GradientCheck reseeds the layer before every forward pass, so each sees the same mask.
        var x = Tensor.RandomNormal(1f, Rng.Create(1), 4, 3, 5, 5);
        var report = GradientCheck.Run(new Dropout(0.3f), x, seed: 2);
        LayerTesting.AssertPasses(report);
    }

    [Fact]
    public void Gradient_check_fails_when_backward_is_off_by_ten_percent()
    {
        var x = Tensor.RandomNormal(1f, Rng.Create(1), 4, 3, 5, 5);
        var report = GradientCheck.Run(new SabotagedLayer(new Dropout(0.3f), inputFactor: 1.1f), x, seed: 2);
        Assert.True(report["input"].RelativeError > 0.05, report.ToString());
    }

    [Theory]
    [InlineData(0.2f)]
    [InlineData(0.5f)]
    [InlineData(0.8f)]
    public void The_fraction_of_dropped_units_is_close_to_the_ratio(float ratio)
    {
        var y = new Dropout(ratio, seed: 3).Forward(Tensor.Full(1f, 100, 1000), training: true);
        double dropped = y.Data.Count(v => v == 0f) / (double)y.Length;
        // Binomial with 100 000 trials: standard deviation ≤ 0.0016, so 0.01 is over 6 of them.
        Assert.Equal(ratio, dropped, 0.01);
        Assert.All(y.Data, v => Assert.True(v == 0f || Math.Abs(v - 1f / (1f - ratio)) < 1e-6f));
    }

    [Fact]
    public void Inverted_scaling_preserves_the_expected_value()
    {
        var x = Tensor.RandomUniform(0f, 2f, Rng.Create(4), 100, 1000);
        var y = new Dropout(0.5f, seed: 5).Forward(x, training: true);
        // Each output is x/(1 − p) or 0; its mean over 100 000 values has a standard error of about 0.005.
        Assert.Equal(x.Mean(), y.Mean(), 0.02);
    }

    [Fact]
    public void Inference_keeps_every_unit_without_scaling()
    {
        var layer = new Dropout(0.5f);
        var x = Tensor.RandomNormal(1f, Rng.Create(6), 10, 20);
        var y = layer.Forward(x, training: false);
        Assert.Equal(x.Data, y.Data);
        Assert.NotSame(x.Data, y.Data);
        var dout = Tensor.RandomNormal(1f, Rng.Create(7), 10, 20);
        Assert.Equal(dout.Data, layer.Backward(dout).Data);
    }

    [Fact]
    public void Backward_passes_the_gradient_through_the_kept_units_only()
    {
        var layer = new Dropout(0.5f, seed: 8);
        var y = layer.Forward(Tensor.Full(1f, 4, 50), training: true);
        var dx = layer.Backward(Tensor.Full(3f, 4, 50));
        for (int i = 0; i < y.Length; i++) Assert.Equal(y.Data[i] * 3f, dx.Data[i]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_mask_and_another_seed_a_different_one()
    {
        var x = Tensor.Full(1f, 10, 100);
        var a = new Dropout(0.5f, seed: 9).Forward(x, training: true);
        var b = new Dropout(0.5f, seed: 9).Forward(x, training: true);
        var c = new Dropout(0.5f, seed: 10).Forward(x, training: true);
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, c.Data);
    }

    [Fact]
    public void Each_forward_draws_a_new_mask_until_reseeded()
    {
        var layer = new Dropout(0.5f, seed: 11);
        var x = Tensor.Full(1f, 10, 100);
        var first = layer.Forward(x, training: true);
        var second = layer.Forward(x, training: true);
        Assert.NotEqual(first.Data, second.Data);
        layer.Reseed(11);
        Assert.Equal(first.Data, layer.Forward(x, training: true).Data);
    }

    [Fact]
    public void Backward_does_not_change_dout()
    {
        var layer = new Dropout(0.4f, seed: 12);
        layer.Forward(Tensor.RandomNormal(1f, Rng.Create(13), 5, 6), training: true);
        var dout = Tensor.RandomNormal(1f, Rng.Create(14), 5, 6);
        var before = dout.Clone();
        layer.Backward(dout);
        Assert.Equal(before.Data, dout.Data);
    }

    [Fact]
    public void A_ratio_of_zero_keeps_everything()
    {
        var x = Tensor.RandomNormal(1f, Rng.Create(15), 5, 6);
        Assert.Equal(x.Data, new Dropout(0f).Forward(x, training: true).Data);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void A_ratio_outside_zero_to_one_throws_naming_the_layer_and_value(float ratio)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(ratio, name: "drop1"));
        Assert.Contains("Dropout 'drop1'", e.Message);
        Assert.Contains(ratio.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        Assert.Equal("dropoutRatio", e.ParamName);
    }

    [Fact]
    public void Backward_before_forward_or_with_a_wrong_shape_throws()
    {
        var layer = new Dropout(name: "drop1");
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(2, 3)));
        layer.Forward(new Tensor(2, 3), training: true);
        var e = Assert.Throws<ArgumentException>(() => layer.Backward(new Tensor(3, 3)));
        Assert.Contains("Dropout 'drop1'", e.Message);
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void Name_and_ToString_are_readable()
    {
        Assert.Equal("dropout", new Dropout().Name);
        Assert.Equal("Dropout drop1: ratio 0.2", new Dropout(0.2f, name: "drop1").ToString());
        Assert.Empty(new Dropout().Parameters);
        Assert.Equal(new[] { 7, 3 }, new Dropout().OutputShape([7, 3]));
    }
}
