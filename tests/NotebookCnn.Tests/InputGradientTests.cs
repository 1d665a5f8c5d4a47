using NotebookCnn;
using Xunit;

namespace NotebookCnn.Tests;

/// <summary>The first layer may skip ∂loss/∂input, which nobody uses while training.</summary>
public class InputGradientTests
{
    public static TheoryData<string> LayersWithParameters => ["conv", "affine"];

    private static Layer Create(string kind) => kind == "conv"
        ? new Convolution(2, 3, 3, padding: 1, seed: 1)
        : new Affine(2 * 5 * 5, 4, seed: 1);

    private static Tensor Output(string kind) => kind == "conv" ? TestData.Random(8, 3, 3, 5, 5) : TestData.Random(8, 3, 4);

    [Theory]
    [MemberData(nameof(LayersWithParameters))]
    public void A_layer_that_skips_its_input_gradient_returns_the_empty_marker_and_the_same_parameter_gradients(string kind)
    {
        var x = TestData.Random(7, 3, 2, 5, 5);
        var full = Create(kind);
        full.Forward(x, training: true);
        Tensor dx = full.Backward(Output(kind));
        Assert.Equal(x.ShapeArray(), dx.ShapeArray());

        var skipping = Create(kind);
        skipping.InputGradientNeeded = false;
        skipping.Forward(x, training: true);
        Tensor none = skipping.Backward(Output(kind));

        Assert.Same(Layer.NoInputGradient, none);
        Assert.Equal(0, none.Length);
        for (int i = 0; i < full.Parameters.Count; i++)
            Assert.Equal(full.Parameters[i].Gradient.Data, skipping.Parameters[i].Gradient.Data);
    }

    [Fact]
    public void Sequential_passes_the_setting_to_its_first_layer_only()
    {
        var net = new Sequential(new Convolution(1, 2, 3), new Relu(), new Flatten(), new Affine(2 * 3 * 3, 2));
        net.InputGradientNeeded = false;
        Assert.False(net[0].InputGradientNeeded);
        Assert.True(net[3].InputGradientNeeded);

        Tensor dx = net.Backward(Forward(net));
        Assert.Same(Layer.NoInputGradient, dx);

        net.InputGradientNeeded = true;
        Assert.True(net[0].InputGradientNeeded);
        Assert.Equal([2, 1, 5, 5], net.Backward(Forward(net)).ShapeArray());

        static Tensor Forward(Sequential net) => net.Forward(TestData.Random(1, 2, 1, 5, 5), training: true);
    }

    [Fact]
    public void Trainer_skips_the_first_layers_input_gradient_while_training_and_restores_the_setting()
    {
        var first = new Affine(2, 4, seed: 1);
        var net = new Sequential(first, new Relu(), new Affine(4, 2, seed: 2));
        var seen = new List<bool>();
        var train = Training.TestData.TwoClouds(16, seed: 1);
        var trainer = new Trainer(net, new SoftmaxCrossEntropy(), new Sgd(0.1f), batchSize: 8);
        trainer.Fit(train, epochs: 1, showProgress: false, onIteration: _ => seen.Add(first.InputGradientNeeded));

        Assert.Equal([false, false], seen);
        Assert.True(net.InputGradientNeeded);
        Assert.True(first.InputGradientNeeded);
    }

    [Fact]
    public void Gradient_check_computes_the_input_gradient_even_when_it_is_switched_off()
    {
        var net = new Sequential(new Convolution(1, 2, 3, seed: 1), new Relu(), new Flatten(), new Affine(2 * 3 * 3, 3, seed: 2));
        net.InputGradientNeeded = false;
        var report = GradientCheck.Run(net, new SoftmaxCrossEntropy(), LayerTesting.AwayFromZero(3, 2, 1, 5, 5), [0, 2]);

        Assert.Equal(2 * 1 * 5 * 5, report["input"].Count);
        LayerTesting.AssertPasses(report);
        Assert.False(net.InputGradientNeeded);
    }
}
