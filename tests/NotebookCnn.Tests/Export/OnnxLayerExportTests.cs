using Xunit.Abstractions;

namespace NotebookCnn.Tests.Export;

/// <summary>
/// Every layer type ONNX export knows, alone (or behind a layer that gives it the input it needs), exported and run
/// in ONNX Runtime on real MNIST digits: its output must match the library's inference.
/// </summary>
public class OnnxLayerExportTests(ITestOutputHelper output)
{
    private const int Examples = 16;

    /// <summary>A network to export and the digits it reads.</summary>
    /// <param name="Build">Makes the network.</param>
    /// <param name="Centered">True: digits moved to [−1, 1], so activations and pooling see negative values too.</param>
    public sealed record Case(Func<Sequential> Build, bool Centered = false);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["Convolution 5×5, padding 2"] = new(() => new(new Convolution(1, 6, 5, padding: 2, seed: 1))),
        ["Convolution 4×2 kernel, stride 2, padding 1"] = new(() => new(new Convolution(1, 5, (4, 2), stride: 2, padding: 1, seed: 2))),
        ["Convolution 1×4 kernel, stride 3"] = new(() => new(new Convolution(1, 3, (1, 4), stride: 3, seed: 3))),
        ["Convolution 3×5 kernel, padding 1, 2 → 4 channels"] = new(() => new(
            new Convolution(1, 2, 3, padding: 1, seed: 4), new Convolution(2, 4, (3, 5), padding: 1, seed: 5))),
        ["Affine on images (flattened in the graph)"] = new(() => new(new Affine(784, 10, seed: 6))),
        ["Flatten then Affine"] = new(() => new(new Flatten(), new Affine(784, 10, seed: 7))),
        ["Flatten"] = new(() => new(new Flatten())),
        ["Relu"] = new(() => new(new Relu()), Centered: true),
        ["LeakyRelu, slope 0.1"] = new(() => new(new LeakyRelu(0.1f)), Centered: true),
        ["PRelu, one slope per channel"] = new(() => new(new Convolution(1, 4, 3, seed: 8), WithSlopes(new PRelu(4), 0.1f, -0.3f, 0.6f, 1.5f)),
            Centered: true),
        ["PRelu, one slope per feature"] = new(() => new(new Affine(784, 5, seed: 9), WithSlopes(new PRelu(5), 0.1f, -0.3f, 0.6f, 1.5f, 0.02f)),
            Centered: true),
        ["Sigmoid"] = new(() => new(new Convolution(1, 3, 3, seed: 10), new Sigmoid()), Centered: true),
        ["Tanh"] = new(() => new(new Convolution(1, 3, 3, seed: 11), new Tanh()), Centered: true),
        ["MaxPooling 2×2"] = new(() => new(new MaxPooling(2)), Centered: true),
        ["MaxPooling 3×3, stride 1, padding 1"] = new(() => new(new MaxPooling(3, stride: 1, padding: 1)), Centered: true),
        ["MaxPooling 4×4, stride 2, padding 1"] = new(() => new(new MaxPooling(4, stride: 2, padding: 1)), Centered: true),
        ["AveragePooling 2×2"] = new(() => new(new AveragePooling(2)), Centered: true),
        ["AveragePooling 4×4, stride 2, padding 1 (padded zeros count)"] = new(() => new(new AveragePooling(4, stride: 2, padding: 1)),
            Centered: true),
        ["GlobalAveragePooling"] = new(() => new(new Convolution(1, 4, 3, seed: 12), new GlobalAveragePooling()), Centered: true),
        ["BatchNorm on channels"] = new(() => new(new Convolution(1, 3, 3, seed: 13), new BatchNorm(3))),
        ["BatchNorm on features"] = new(() => new(new Affine(784, 6, seed: 14), new BatchNorm(6))),
        ["Dropout (left out of the graph)"] = new(() => new(new Affine(784, 10, seed: 15), new Dropout(0.5f))),
        ["Dropout alone"] = new(() => new(new Dropout(0.3f))),
        ["Softmax"] = new(() => new(new Affine(784, 10, seed: 16), new Softmax())),
        ["Residual, identity shortcut, no ReLU after the sum"] = new(() => new(
            new Residual(new Sequential(new Convolution(1, 2, 3, padding: 1, seed: 17), new Tanh(), new Convolution(2, 1, 3, padding: 1, seed: 18)),
                reluAfterSum: false)), Centered: true),
        ["Residual, projection shortcut without BatchNorm"] = new(() => new(Residual.Basic(1, 4, batchNorm: false, seed: 19)), Centered: true),
        ["Residual, basic block with BatchNorm"] = new(() => new(Residual.Basic(1, 4, batchNorm: true, seed: 20))),
        ["Sequential inside Sequential"] = new(() => new(
            new Sequential(new Convolution(1, 2, 3, seed: 21), new Relu()), new Sequential(new Flatten(), new Affine(2 * 26 * 26, 4, seed: 22)))),
    };

    /// <summary>The names of the cases, for the theory below.</summary>
    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Layer_exported_to_onnx_gives_the_library_output_in_onnx_runtime(string name)
    {
        var (build, centered) = Cases[name];
        var net = build();
        var x = centered ? OnnxRoundTrip.CenteredTestDigits(Examples) : OnnxRoundTrip.TestDigits(Examples);
        GiveParametersValues(net, x, seed: name.Length);

        OnnxRoundTrip.AssertSameOutputs(net, x, output, name);
    }

    [Fact]
    public void Dropout_is_left_out_of_the_graph()
    {
        var net = new Sequential(new Flatten(), new Affine(784, 10), new Dropout(0.5f), new Relu(), new Dropout(0.2f));
        var graph = OnnxFile.ToModel(net, [1, 28, 28]).Graph;
        Assert.Equal(["Flatten", "Gemm", "Relu"], graph.Node.Select(n => n.OpType));
        Assert.Equal("relu1", graph.Node[^1].Name);
        Assert.Equal(OnnxFile.OutputName, graph.Node[^1].Output.Single());
    }

    [Fact]
    public void A_network_of_only_dropout_becomes_an_identity()
    {
        var graph = OnnxFile.ToModel(new Sequential(new Dropout(0.5f)), [3]).Graph;
        var node = Assert.Single(graph.Node);
        Assert.Equal("Identity", node.OpType);
        Assert.Equal([OnnxFile.InputName], node.Input);
        Assert.Equal([OnnxFile.OutputName], node.Output);
    }

    // A PReLU whose channels have different slopes, so a slope applied to the wrong channel changes the output.
    private static PRelu WithSlopes(PRelu prelu, params float[] slopes)
    {
        slopes.CopyTo(prelu.Slope.Value.Data, 0);
        return prelu;
    }

    /// <summary>
    /// Gives biases, β and γ values other than their 0 and 1 starts (a missing bias would otherwise go unseen) and
    /// moves BatchNorm's running statistics away from mean 0, variance 1 with a few training-mode passes over <paramref name="x"/>.
    /// </summary>
    private static void GiveParametersValues(Sequential net, Tensor x, int seed)
    {
        var random = Rng.Create(seed);
        foreach (var p in net.Parameters)
        {
            if (p.Name.EndsWith(".bias", StringComparison.Ordinal) || p.Name.EndsWith(".beta", StringComparison.Ordinal))
                for (int i = 0; i < p.Value.Length; i++) p.Value.Data[i] = 0.2f * (random.NextSingle() - 0.5f);
            else if (p.Name.EndsWith(".gamma", StringComparison.Ordinal))
                for (int i = 0; i < p.Value.Length; i++) p.Value.Data[i] = 0.5f + random.NextSingle();
        }
        if (net.Buffers.Count == 0) return;
        for (int pass = 0; pass < 5; pass++) net.Forward(x, training: true);
        foreach (var (name, value) in net.Buffers)
            Assert.True(value.Data.Any(v => v != 0f && v != 1f), $"{name} did not move: {value}");
    }
}
