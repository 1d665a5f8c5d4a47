namespace NotebookCnn.Tests;

/// <summary>SmallResNet, and why depth needs skip connections: gradient norms of a plain net and its residual twin.</summary>
public class DeepNetworkTests
{
    [Fact]
    public void Small_resnet_maps_28x28_digits_to_10_scores_through_the_documented_shapes()
    {
        var net = Models.SmallResNet(channels: 4, seed: 1);
        int[] shape = [2, 1, 28, 28];
        var shapes = net.Layers.Select(l => shape = l.OutputShape(shape)).Select(s => string.Join("×", s[1..])).ToArray();
        Assert.Equal(["4×28×28", "4×28×28", "4×28×28", "4×28×28", "4×14×14", "8×14×14", "8×7×7", "16×4×4", "16", "10"], shapes);
        Assert.IsType<Residual>(net["residual3"]);
        Assert.NotNull(((Residual)net["residual2"]).Shortcut);
        Assert.Null(((Residual)net["residual1"]).Shortcut);

        var y = net.Forward(Tensor.RandomNormal(1f, Rng.Create(2), 2, 1, 28, 28), training: true);
        Assert.Equal(new[] { 2, 10 }, y.ShapeArray());
        string summary = net.Summary([1, 28, 28]);
        Assert.Contains("residual3", summary);
        Assert.Contains("[N, 16, 4, 4]", summary);
    }

    [Fact]
    public void A_small_residual_network_with_global_average_pooling_passes_the_gradient_check_with_its_loss()
    {
        // SmallResNet's pieces in miniature (the full one on 28×28 has too many kinks and values for a quick check):
        // stem, a stride-2 projection block, global average pooling, a classifier.
        var net = new Sequential(
            new Convolution(1, 2, 3, padding: 1, seed: 3), new Tanh(),
            Residual.Basic(2, 3, stride: 2, batchNorm: false, seed: 4),
            new GlobalAveragePooling(), new Affine(3, 4, seed: 5));
        var x = Tensor.RandomNormal(1f, Rng.Create(6), 2, 1, 5, 5);
        // Step 1e-3 keeps perturbations on one side of the block's ReLU kinks; float32 round-off stays near 1e-3.
        var report = GradientCheck.Run(net, new SoftmaxCrossEntropy(), x, [3, 1], seed: 7, step: 1e-3f);
        Assert.Contains(report.Results, r => r.Name == "residual1.shortcut.weight");
        LayerTesting.AssertPasses(report);
    }

    [Fact]
    public void Plain_and_residual_twins_have_the_same_weights()
    {
        var plain = Models.PlainNet(6, seed: 7);
        var residual = Models.ResidualNet(6, seed: 7);
        Assert.Equal(plain.ParameterCount, residual.ParameterCount);
        var a = plain.Parameters;
        var b = residual.Parameters;
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i].Value.Data, b[i].Value.Data);
        Assert.Equal("residual1.body.conv1.weight", b[2].Name);
    }

    [Fact]
    public void Gradient_norms_are_listed_per_weight_first_layer_first()
    {
        var net = Models.PlainNet(4, seed: 1);
        var norms = GradientNorms.Compute(net, new SoftmaxCrossEntropy(), Tensor.RandomNormal(1f, Rng.Create(2), 3, 1, 6, 6), [0, 1, 2]);
        Assert.Equal(["conv1", "conv2", "conv3", "conv4", "affine1"], norms.Select(n => n.Layer));
        var last = (Affine)net["affine1"];
        double expected = Math.Sqrt(last.Weight.Gradient.Data.Sum(g => (double)g * g));
        Assert.Equal(expected, norms[^1].Norm, 1e-9);
        Assert.All(norms, n => Assert.True(n.Norm > 0));
    }

    [Fact]
    public void Skip_connections_keep_the_first_layer_gradient_of_a_20_layer_sigmoid_net_over_ten_times_larger()
    {
        const int depth = 20;
        var x = Tensor.RandomNormal(1f, Rng.Create(11), 8, 1, 8, 8);
        int[] labels = [0, 1, 2, 3, 4, 5, 6, 7];
        var plain = GradientNorms.Compute(Models.PlainNet(depth, activation: () => new Sigmoid(), initializer: Initializer.Xavier, seed: 12),
            new SoftmaxCrossEntropy(), x, labels);
        var residual = GradientNorms.Compute(Models.ResidualNet(depth, activation: () => new Sigmoid(), initializer: Initializer.Xavier, seed: 12),
            new SoftmaxCrossEntropy(), x, labels);

        // Plain: each sigmoid layer multiplies the gradient by σ′ ≤ 1/4 times the weights, so it shrinks layer by layer.
        Assert.True(plain[0].Norm < plain[depth - 1].Norm / 100,
            $"plain net: first {plain[0].Norm:e2}, last conv {plain[depth - 1].Norm:e2}");
        double ratio = residual[0].Norm / plain[0].Norm;
        Assert.True(ratio > 10, $"first-layer gradient norm: residual {residual[0].Norm:e2}, plain {plain[0].Norm:e2}, ratio {ratio:0.0}");
    }
}
