namespace NotebookCnn.Tests;

public class SequentialTests
{
    /// <summary>A parameterless layer that only knows its output shape: halves H and W like 2×2 pooling.</summary>
    private sealed class HalvingStandIn() : Layer("")
    {
        public override Tensor Forward(Tensor x, bool training) => throw new NotSupportedException();
        public override Tensor Backward(Tensor dout) => throw new NotSupportedException();
        public override int[] OutputShape(int[] s) => [s[0], s[1], s[2] / 2, s[3] / 2];
    }

    /// <summary>An identity layer that records the seeds it is given and owns one buffer.</summary>
    private sealed class RecordingLayer(string name = "") : Layer(name), IStochasticLayer
    {
        public List<int> Seeds { get; } = [];
        public Tensor Counter { get; } = new(1);
        public void Reseed(int seed) => Seeds.Add(seed);
        public override Tensor Forward(Tensor x, bool training) => x;
        public override Tensor Backward(Tensor dout) => dout;
        public override IReadOnlyList<(string Name, Tensor Value)> Buffers => [("counter", Counter)];
        public override int[] OutputShape(int[] inputShape) => inputShape;
    }

    private static Sequential SmallConvNet() => new(
        new Convolution(1, 3, 3, seed: 1),
        new Flatten(),
        new Affine(3 * 4 * 4, 8, seed: 2),
        new Affine(8, 4, seed: 3));

    [Fact]
    public void Unnamed_layers_are_named_by_type_and_counted_per_type()
    {
        var net = SmallConvNet();
        Assert.Equal(["conv1", "flatten1", "affine1", "affine2"], net.Layers.Select(l => l.Name));
        Assert.Equal(
            ["conv1.weight", "conv1.bias", "affine1.weight", "affine1.bias", "affine2.weight", "affine2.bias"],
            net.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Given_names_are_kept_and_duplicates_rejected()
    {
        var net = new Sequential(new Affine(4, 4, name: "hidden"), new Affine(4, 4));
        Assert.Equal(["hidden", "affine1"], net.Layers.Select(l => l.Name));
        Assert.Equal("hidden.weight", net.Parameters[0].Name);
        var e = Assert.Throws<ArgumentException>(() => net.Add(new Affine(2, 2, name: "hidden")));
        Assert.Contains("already has a layer named 'hidden'", e.Message);
        Assert.Throws<ArgumentException>(() => net.Add(net[0]));
    }

    [Fact]
    public void An_auto_name_skips_names_already_taken()
    {
        var net = new Sequential(new Affine(4, 4, name: "affine1"), new Affine(4, 2));
        Assert.Equal(["affine1", "affine2"], net.Layers.Select(l => l.Name));
        Assert.Equal("affine2.bias", net.Parameters[3].Name);
    }

    [Fact]
    public void Layers_can_be_found_by_index_and_by_name()
    {
        var net = SmallConvNet();
        Assert.IsType<Flatten>(net[1]);
        Assert.Same(net[2], net["affine1"]);
        var e = Assert.Throws<KeyNotFoundException>(() => net["conv9"]);
        Assert.Contains("conv1, flatten1, affine1, affine2", e.Message);
    }

    [Fact]
    public void Forward_chains_the_layers_and_Predict_is_inference_mode()
    {
        var net = SmallConvNet();
        var x = TestData.Random(5, 2, 1, 6, 6);
        var expected = x;
        foreach (var layer in net.Layers) expected = layer.Forward(expected, training: true);
        Assert.Equal(expected.Data, net.Forward(x, training: true).Data);
        Assert.Equal(expected.Data, net.Predict(x).Data);
        Assert.Equal([2, 4], net.OutputShape([2, 1, 6, 6]));
    }

    [Fact]
    public void Sequential_gradient_check_passes()
    {
        var report = GradientCheck.Run(SmallConvNet(), TestData.Random(5, 2, 1, 6, 6), seed: 6);
        Assert.True(report.MaxRelativeError <= TestData.GradientTolerance, report.ToString());
        Assert.Equal(7, report.Results.Count);
    }

    [Fact]
    public void Conv_flatten_affine_affine_with_cross_entropy_passes_the_gradient_check()
    {
        var report = GradientCheck.Run(SmallConvNet(), new SoftmaxCrossEntropy(), TestData.Random(5, 2, 1, 6, 6), [1, 3]);
        Assert.True(report.MaxRelativeError <= TestData.GradientTolerance, report.ToString());
    }

    [Fact]
    public void Reseed_gives_each_random_layer_its_own_seed()
    {
        var a = new RecordingLayer();
        var b = new RecordingLayer();
        var net = new Sequential(a, new Flatten(), b);
        net.Reseed(10);
        Assert.Equal([10], a.Seeds);
        Assert.Equal([12], b.Seeds);
        Assert.IsAssignableFrom<IStochasticLayer>(net);
    }

    [Fact]
    public void Buffers_are_prefixed_with_the_layer_name()
    {
        var net = new Sequential(new RecordingLayer("first"), new Affine(2, 2), new RecordingLayer());
        Assert.Equal(["first.counter", "recordinglayer1.counter"], net.Buffers.Select(b => b.Name));
    }

    [Fact]
    public void Summary_of_a_SimpleConvNet_shows_output_shapes_and_parameter_counts()
    {
        // MaxPooling and Relu have no parameters and keep (pooling: halve) the shape; stand-ins suffice for a summary.
        var net = new Sequential(
            new Convolution(1, 30, 5),
            new HalvingStandIn(),
            new Flatten(),
            new Affine(30 * 12 * 12, 100),
            new Affine(100, 10));
        string summary = net.Summary([1, 28, 28]);
        var lines = summary.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches(@"^input\s+\[N, 1, 28, 28\]$", lines.Single(l => l.StartsWith("input")));
        Assert.Matches(@"^conv1\s+Convolution\s+\[N, 30, 24, 24\]\s+780$", lines.Single(l => l.StartsWith("conv1")));
        Assert.Matches(@"^halvingstandin1\s+HalvingStandIn\s+\[N, 30, 12, 12\]\s+0$", lines.Single(l => l.StartsWith("halving")));
        Assert.Matches(@"^flatten1\s+Flatten\s+\[N, 4320\]\s+0$", lines.Single(l => l.StartsWith("flatten1")));
        Assert.Matches(@"^affine1\s+Affine\s+\[N, 100\]\s+432,100$", lines.Single(l => l.StartsWith("affine1")));
        Assert.Matches(@"^affine2\s+Affine\s+\[N, 10\]\s+1,010$", lines.Single(l => l.StartsWith("affine2")));
        Assert.Contains("Total parameters: 433,890", summary);
        Assert.Equal(433_890, net.ParameterCount);
    }

    [Fact]
    public void Summary_reports_a_shape_mismatch_by_layer_name()
    {
        var net = new Sequential(new Convolution(1, 30, 5), new Flatten(), new Affine(100, 10));
        var e = Assert.Throws<ArgumentException>(() => net.Summary([1, 28, 28]));
        Assert.Contains("Affine 'affine1' expects 100 input values per example, got 17280", e.Message);
    }

    [Fact]
    public void ToString_lists_the_layers()
    {
        var net = new Sequential(new Convolution(1, 30, 5), new Flatten(), new Affine(4320, 10));
        Assert.Equal(
            "Sequential sequential: 3 layers\n" +
            "  Convolution conv1: 1→30, kernel 5×5, stride 1, padding 0\n" +
            "  Flatten flatten1\n" +
            "  Affine affine1: 4320→10",
            net.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public void Nested_stacks_prefix_their_parameters()
    {
        var inner = new Sequential(new Affine(3, 3));
        var net = new Sequential(inner, new Affine(3, 2));
        Assert.Equal("sequential1", inner.Name);
        Assert.Equal(["sequential1.affine1.weight", "sequential1.affine1.bias", "affine1.weight", "affine1.bias"],
            net.Parameters.Select(p => p.Name));
    }
}
