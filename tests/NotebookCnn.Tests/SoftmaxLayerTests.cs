namespace NotebookCnn.Tests;

public class SoftmaxLayerTests
{
    [Fact]
    public void Softmax_layer_gives_the_probabilities_of_SoftmaxCrossEntropy()
    {
        var z = Tensor.FromArray(new float[,] { { 2, 1, 0 }, { 0, 0, 5 } });
        var p = new Softmax().Forward(z, training: true);
        Assert.Equal(SoftmaxCrossEntropy.Softmax(z).Data, p.Data);
    }

    [Fact]
    public void Softmax_layer_passes_a_gradient_check()
    {
        var x = LayerTesting.AwayFromZero(seed: 1, 4, 5);
        LayerTesting.AssertPasses(GradientCheck.Run(new Softmax(), x, seed: 2));
    }

    [Fact]
    public void Gradient_check_notices_a_softmax_backward_that_is_off_by_ten_percent()
    {
        var x = LayerTesting.AwayFromZero(seed: 1, 4, 5);
        var report = GradientCheck.Run(new SabotagedLayer(new Softmax(), inputFactor: 1.1f), x, seed: 2);
        Assert.True(report["input"].RelativeError > 0.05, report.ToString());
    }

    [Fact]
    public void Softmax_backward_matches_the_jacobian_written_out()
    {
        // p = softmax(1, 2, 3); ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ); dz = Jᵀ · dout, summed by hand.
        var layer = new Softmax();
        var p = layer.Forward(Tensor.FromArray(new float[,] { { 1, 2, 3 } }), training: true);
        var dout = Tensor.FromArray(new float[,] { { 0.5f, -1f, 2f } });
        var dz = layer.Backward(dout);
        for (int j = 0; j < 3; j++)
        {
            double expected = 0;
            for (int i = 0; i < 3; i++) expected += dout[0, i] * p[0, i] * ((i == j ? 1 : 0) - p[0, j]);
            Assert.Equal(expected, dz[0, j], 6);
        }
        Assert.Equal(0, dz.Sum(), 6); // softmax ignores a constant added to every score
    }

    [Fact]
    public void Saturated_softmax_passes_almost_no_gradient()
    {
        var layer = new Softmax();
        layer.Forward(Tensor.FromArray(new float[,] { { 10, 0, -10 } }), training: true);
        var dz = layer.Backward(Tensor.FromArray(new float[,] { { 1, 0, -1 } }));
        Assert.All(dz.Data, v => Assert.True(Math.Abs(v) < 1e-3, $"|{v}| should be below 1e-3"));
    }

    [Fact]
    public void Softmax_layer_rejects_images_with_a_clear_message()
    {
        var error = Assert.Throws<ArgumentException>(() => new Softmax("out").Forward(new Tensor(2, 1, 3, 3), training: false));
        Assert.Contains("Softmax 'out'", error.Message);
        Assert.Contains("[2, 1, 3, 3]", error.Message);
    }
}
