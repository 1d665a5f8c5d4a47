namespace NotebookCnn.Tests;

public class MlpTests
{
    private static string Types(Sequential net) => string.Join(" ", net.Layers.Select(l => l.GetType().Name));

    [Fact]
    public void Mlp_stacks_affine_and_relu_blocks_then_an_affine_output()
    {
        var net = Models.Mlp(784, 100, hiddenLayers: 2);
        Assert.Equal("Affine Relu Affine Relu Affine", Types(net));
        Assert.Equal([5, 10], net.OutputShape([5, 1, 28, 28]));
        Assert.Equal(784 * 100 + 100 + 100 * 100 + 100 + 100 * 10 + 10, net.Parameters.Sum(p => p.Value.Length));
    }

    [Fact]
    public void Mlp_puts_batch_norm_before_and_dropout_after_each_activation()
    {
        var net = Models.Mlp(20, 8, hiddenLayers: 2, classes: 3, activation: () => new Tanh(), batchNorm: true, dropout: 0.5f);
        Assert.Equal("Affine BatchNorm Tanh Dropout Affine BatchNorm Tanh Dropout Affine", Types(net));
    }

    [Fact]
    public void Mlp_draws_the_same_weights_as_the_layers_built_by_hand()
    {
        // Affine layer l uses seed + l: the numbering the chapters used when they built the net by hand.
        var net = Models.Mlp(784, 100, hiddenLayers: 3, initializer: Initializer.Normal(0.05f), seed: 7);
        var byHand = new Sequential(
            new Affine(784, 100, Initializer.Normal(0.05f), seed: 7), new Relu(),
            new Affine(100, 100, Initializer.Normal(0.05f), seed: 8), new Relu(),
            new Affine(100, 100, Initializer.Normal(0.05f), seed: 9), new Relu(),
            new Affine(100, 10, Initializer.Normal(0.05f), seed: 10));
        Assert.Equal(byHand.Parameters.Select(p => p.Name), net.Parameters.Select(p => p.Name));
        for (int i = 0; i < byHand.Parameters.Count; i++) Assert.Equal(byHand.Parameters[i].Value.Data, net.Parameters[i].Value.Data);
    }

    [Fact]
    public void Mlp_without_hidden_layers_is_one_affine_layer()
    {
        Assert.Equal("Affine", Types(Models.Mlp(784, 100, hiddenLayers: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Models.Mlp(784, 100, hiddenLayers: -1));
    }
}
