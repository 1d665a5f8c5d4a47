namespace NotebookCnn.Tests;

public class FlattenTests
{
    [Fact]
    public void Flatten_keeps_the_batch_and_joins_the_rest()
    {
        var layer = new Flatten();
        var x = TestData.Random(1, 2, 3, 4, 5);
        var y = layer.Forward(x, training: true);
        Assert.Equal([2, 60], y.ShapeArray());
        Assert.Equal(x.Data, y.Data);
        Assert.Equal([2, 3, 4, 5], layer.Backward(TestData.Random(2, 2, 60)).ShapeArray());
        Assert.Equal([7, 60], layer.OutputShape([7, 3, 4, 5]));
    }

    [Fact]
    public void Flatten_gradient_check_passes()
    {
        var report = GradientCheck.Run(new Flatten(), TestData.Random(1, 2, 3, 2, 2), seed: 4);
        Assert.True(report.MaxRelativeError <= TestData.GradientTolerance, report.ToString());
    }

    [Fact]
    public void Flatten_errors_name_the_layer()
    {
        var layer = new Flatten("flat");
        Assert.Contains("Flatten 'flat'", Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(5), true)).Message);
        Assert.Contains("before Forward", Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(1, 1))).Message);
        Assert.Equal("Flatten flat", layer.ToString());
    }
}
