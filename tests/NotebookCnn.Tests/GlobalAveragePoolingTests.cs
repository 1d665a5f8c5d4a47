namespace NotebookCnn.Tests;

public class GlobalAveragePoolingTests
{
    [Fact]
    public void Global_average_pooling_averages_each_channel_map_to_one_number()
    {
        // Channel 0 holds 1…4 (mean 2.5), channel 1 holds 10, 20, 30, 40 (mean 25).
        var x = new Tensor([1, 2, 3, 4, 10, 20, 30, 40], 1, 2, 2, 2);
        var y = new GlobalAveragePooling().Forward(x, training: false);
        Assert.Equal(new[] { 1, 2 }, y.ShapeArray());
        Assert.Equal(new[] { 2.5f, 25f }, y.Data);
    }

    [Fact]
    public void Global_average_pooling_backward_spreads_each_gradient_over_the_map()
    {
        var pool = new GlobalAveragePooling();
        pool.Forward(new Tensor(2, 1, 2, 3), training: true);
        var dx = pool.Backward(new Tensor([6f, 12f], 2, 1));
        Assert.Equal(new[] { 2, 1, 2, 3 }, dx.ShapeArray());
        Assert.Equal(Enumerable.Repeat(1f, 6).Concat(Enumerable.Repeat(2f, 6)), dx.Data);
    }

    [Fact]
    public void Global_average_pooling_gradients_match_central_differences()
    {
        var x = Tensor.RandomNormal(1f, Rng.Create(1), 2, 3, 4, 5);
        LayerTesting.AssertPasses(GradientCheck.Run(new GlobalAveragePooling(), x, seed: 2));
    }

    [Fact]
    public void Global_average_pooling_gradient_check_fails_when_the_gradient_is_off_by_ten_percent()
    {
        var x = Tensor.RandomNormal(1f, Rng.Create(1), 2, 3, 4, 5);
        var report = GradientCheck.Run(new SabotagedLayer(new GlobalAveragePooling(), inputFactor: 1.1f), x, seed: 2);
        Assert.True(report["input"].RelativeError > LayerTesting.MaxRelativeError, report.ToString());
    }

    [Fact]
    public void Global_average_pooling_rejects_a_flat_input_naming_the_layer()
    {
        var e = Assert.Throws<ArgumentException>(() => new GlobalAveragePooling(name: "gap").Forward(new Tensor(2, 8), training: false));
        Assert.Contains("GlobalAveragePooling 'gap'", e.Message);
        Assert.Contains("[2, 8]", e.Message);
    }
}
