using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using Proto = global::Onnx;

namespace NotebookCnn.Tests.Export;

/// <summary>
/// The course's networks, trained a few steps, exported to ONNX and run in ONNX Runtime on real MNIST test digits:
/// the logits must match the library's own inference. Also the file itself: opset, initialisers, the symbolic batch
/// dimension, errors for layers that cannot be exported, and the atomic write.
/// </summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    private const int Examples = 64;
    private static readonly int[] DigitShape = [1, 28, 28];

    // The network of chapter 09.
    private static Sequential SimpleConvNet(int seed = 0) => new(
        new Convolution(1, 30, 5, seed: seed), new Relu(), new MaxPooling(2, 2), new Flatten(),
        new Affine(30 * 12 * 12, 100, seed: seed + 1), new Relu(), new Affine(100, 10, seed: seed + 2));

    private static Sequential Mlp() => new(
        new Flatten(), new Affine(784, 100, seed: 1), new Relu(), new Dropout(0.2f), new Affine(100, 50, seed: 2), new Sigmoid(),
        new Affine(50, 10, seed: 3));

    private static Sequential BatchNormNet() => new(
        new Convolution(1, 8, 3, padding: 1, seed: 1), new BatchNorm(8), new Relu(), new MaxPooling(2), new Flatten(),
        new Affine(8 * 14 * 14, 32, seed: 2), new BatchNorm(32), new Relu(), new Affine(32, 10, seed: 3));

    [Fact]
    public void SimpleConvNet_in_onnx_runtime_gives_the_library_logits()
    {
        var net = SimpleConvNet();
        OnnxRoundTrip.TrainBriefly(net);
        OnnxRoundTrip.AssertSameOutputs(net, OnnxRoundTrip.TestDigits(Examples), output, "SimpleConvNet");
    }

    [Fact]
    public void LeNet5_in_onnx_runtime_gives_the_library_logits()
    {
        var net = Models.LeNet5();
        OnnxRoundTrip.TrainBriefly(net);
        OnnxRoundTrip.AssertSameOutputs(net, OnnxRoundTrip.TestDigits(Examples), output, "LeNet-5");
    }

    [Fact]
    public void LeNet5_with_tanh_and_average_pooling_in_onnx_runtime_gives_the_library_logits()
    {
        var net = Models.LeNet5(activation: () => new Tanh(), pooling: () => new AveragePooling(2), initializer: Initializer.Xavier);
        OnnxRoundTrip.TrainBriefly(net);
        OnnxRoundTrip.AssertSameOutputs(net, OnnxRoundTrip.TestDigits(Examples), output, "LeNet-5 (tanh, average pooling)");
    }

    [Fact]
    public void Mlp_in_onnx_runtime_gives_the_library_logits()
    {
        var net = Mlp();
        OnnxRoundTrip.TrainBriefly(net);
        OnnxRoundTrip.AssertSameOutputs(net, OnnxRoundTrip.TestDigits(Examples), output, "MLP 784-100-50-10");
    }

    [Fact]
    public void Network_with_batchnorm_in_onnx_runtime_gives_the_library_logits_from_the_running_statistics()
    {
        var net = BatchNormNet();
        OnnxRoundTrip.TrainBriefly(net, iterations: 12);
        foreach (var (name, value) in net.Buffers) // the running statistics moved away from their start (mean 0, variance 1)
            Assert.True(value.Data.Count(v => Math.Abs(v - (name.EndsWith("Mean", StringComparison.Ordinal) ? 0f : 1f)) > 1e-3f) > value.Length / 2,
                $"{name} barely moved: {value}");
        OnnxRoundTrip.AssertSameOutputs(net, OnnxRoundTrip.TestDigits(Examples), output, "conv-BN net");
    }

    [Fact]
    public void SmallResNet_in_onnx_runtime_gives_the_library_logits()
    {
        var net = Models.SmallResNet(channels: 8);
        OnnxRoundTrip.TrainBriefly(net, iterations: 6);
        OnnxRoundTrip.AssertSameOutputs(net, OnnxRoundTrip.TestDigits(Examples), output, "SmallResNet (8 channels)");
    }

    [Fact]
    public void The_comparison_notices_a_weight_that_differs_by_a_thousandth()
    {
        // A check that cannot fail proves nothing: export, then change one bias of the library's network slightly.
        var net = SimpleConvNet();
        OnnxRoundTrip.TrainBriefly(net, iterations: 2);
        var x = OnnxRoundTrip.TestDigits(8);
        using var folder = new TemporaryFolder();
        string path = folder.File("model.onnx");
        OnnxFile.Save(net, DigitShape, path);
        ((Affine)net["affine2"]).Bias.Value.Data[3] += 1e-3f;

        double relative = OnnxRoundTrip.RelativeDifference(net.Forward(x, training: false), OnnxRoundTrip.Run(path, x).Values);

        output.WriteLine($"one bias changed by 1e-3: relative difference {relative:e2}");
        Assert.True(relative > 10 * OnnxRoundTrip.Tolerance, $"a bias changed by 1e-3 gives only {relative:e2}");
    }

    [Fact]
    public void The_file_uses_opset_17_float32_initialisers_with_real_dimensions_and_a_symbolic_batch()
    {
        var net = BatchNormNet();
        using var folder = new TemporaryFolder();
        string path = folder.File("net.onnx");
        OnnxFile.Save(net, DigitShape, path);

        var model = Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal(("", 17L), (opset.Domain, opset.Version));

        // One initialiser per parameter and buffer, named and shaped like them, holding their values as float32.
        var expected = net.Parameters.Select(p => (p.Name, p.Value)).Concat(net.Buffers).ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(expected.Keys.Order(), model.Graph.Initializer.Select(t => t.Name).Order());
        foreach (var tensor in model.Graph.Initializer)
        {
            Assert.Equal((int)Proto.TensorProto.Types.DataType.Float, tensor.DataType);
            Assert.Equal(expected[tensor.Name].ShapeArray().Select(d => (long)d), tensor.Dims);
            Assert.Equal(expected[tensor.Name].Data, tensor.FloatData);
        }

        var input = Assert.Single(model.Graph.Input);
        var result = Assert.Single(model.Graph.Output);
        Assert.Equal((OnnxFile.InputName, OnnxFile.OutputName), (input.Name, result.Name));
        Assert.Equal(["batch", "1", "28", "28"], Dimensions(input));
        Assert.Equal(["batch", "10"], Dimensions(result));

        static IEnumerable<string> Dimensions(Proto.ValueInfoProto value) =>
            value.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_exported_model_takes_any_batch_size()
    {
        var net = SimpleConvNet();
        OnnxRoundTrip.TrainBriefly(net, iterations: 2);
        using var folder = new TemporaryFolder();
        string path = folder.File("model.onnx");
        OnnxFile.Save(net, DigitShape, path);

        using (var session = new InferenceSession(path))
        {
            Assert.Equal(new[] { -1, 1, 28, 28 }, session.InputMetadata[OnnxFile.InputName].Dimensions);
            Assert.Equal("batch", session.InputMetadata[OnnxFile.InputName].SymbolicDimensions[0]);
        }
        foreach (int batch in new[] { 1, 7 })
        {
            var x = OnnxRoundTrip.TestDigits(batch);
            var (values, shape) = OnnxRoundTrip.Run(path, x);
            Assert.Equal(new long[] { batch, 10 }, shape);
            double relative = OnnxRoundTrip.RelativeDifference(net.Forward(x, training: false), values);
            output.WriteLine($"batch {batch}: max relative difference {relative:e2}");
            Assert.True(relative <= OnnxRoundTrip.Tolerance, $"batch {batch}: relative difference {relative:e2}");
        }
    }

    [Fact]
    public void A_layer_onnx_export_does_not_know_gives_an_error_naming_it_and_writes_nothing()
    {
        var net = new Sequential(new Flatten(), new Affine(784, 8), new Relu(), new Embedding(10, 4), new Affine(32, 10));
        using var folder = new TemporaryFolder();
        string path = folder.File("model.onnx");

        var error = Assert.Throws<NotSupportedException>(() => OnnxFile.Save(net, DigitShape, path));

        Assert.Contains("'embedding1' (Embedding)", error.Message);
        Assert.Contains("Convolution", error.Message); // it says what it can export
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void A_layer_that_cannot_be_exported_inside_a_residual_block_is_named_by_its_path()
    {
        var body = new Sequential(new Convolution(1, 1, 3, padding: 1), new Squared());
        var net = new Sequential(new Residual(body));
        var error = Assert.Throws<NotSupportedException>(() => OnnxFile.ToModel(net, DigitShape));
        Assert.Contains("'residual1.body.squared1' (Squared)", error.Message);
    }

    [Fact]
    public void A_class_derived_from_an_exportable_layer_is_refused_rather_than_exported_as_its_base()
    {
        var net = new Sequential(new Flatten(), new Affine(784, 10), new DoubledRelu());
        var error = Assert.Throws<NotSupportedException>(() => OnnxFile.ToModel(net, DigitShape));
        Assert.Contains("(DoubledRelu)", error.Message);
    }

    [Fact]
    public void An_input_shape_the_network_cannot_take_gives_the_library_error_naming_the_layer()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxFile.ToModel(SimpleConvNet(), [3, 28, 28]));
        Assert.Contains("conv1", error.Message);
        Assert.Contains("3", error.Message);
        Assert.Throws<ArgumentException>(() => OnnxFile.ToModel(SimpleConvNet(), [1, 0, 28]));
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_leaves_no_temporary_file_behind()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.onnx");
        File.WriteAllText(path, "an older file");

        OnnxFile.Save(new Sequential(new Flatten(), new Affine(784, 10)), DigitShape, path);

        Assert.Equal(["model.onnx"], Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName));
        Assert.Equal(OnnxFile.OutputName, Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Output[0].Name);

        // A failed save leaves the existing file as it was.
        byte[] before = File.ReadAllBytes(path);
        Assert.Throws<NotSupportedException>(() => OnnxFile.Save(new Sequential(new Squared()), DigitShape, path));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Every_layer_type_in_one_network_passes_the_onnx_checker_and_runs_in_onnx_runtime()
    {
        var net = new Sequential(
            new Convolution(1, 6, (4, 2), stride: 2, padding: 1, seed: 1), new BatchNorm(6), new LeakyRelu(0.05f), // [6, 14, 15]
            new MaxPooling(3, stride: 1, padding: 1), new PRelu(6),
            Residual.Basic(6, 8, batchNorm: true, seed: 2), new Dropout(0.3f),
            new AveragePooling(2, stride: 1), new Sigmoid(),                                                           // [8, 13, 14]
            new Sequential(new Convolution(8, 8, 3, padding: 1, seed: 3), new Tanh()),
            new GlobalAveragePooling(), new Affine(8, 16, seed: 4), new BatchNorm(16), new Relu(),
            new Flatten(), new Affine(16, 10, seed: 5), new Softmax());
        OnnxRoundTrip.TrainBriefly(net, iterations: 4);
        OnnxRoundTrip.AssertSameOutputs(net, OnnxRoundTrip.TestDigits(Examples), output, "every layer type");

        // The reference checker of the ONNX project (Debian's python3-onnx), with full shape inference.
        using var folder = new TemporaryFolder();
        string path = folder.File("every-layer.onnx");
        OnnxFile.Save(net, DigitShape, path);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[]
                 {
                     "-c",
                     "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
                     + "print(m.opset_import[0].version, len(m.graph.node))",
                     path,
                 })
            start.ArgumentList.Add(argument);
        using var python = Process.Start(start)!;
        string stdout = python.StandardOutput.ReadToEnd(), stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, "onnx.checker rejected the model (needs Debian's python3-onnx):\n" + stderr);
        output.WriteLine($"onnx.checker: opset and nodes {stdout.Trim()}");
        Assert.StartsWith("17 ", stdout);
    }

    // Layers ONNX export does not know: one made here, one derived from Relu whose Forward does something else.
    private sealed class Squared() : Layer("squared")
    {
        public override Tensor Forward(Tensor x, bool training)
        {
            var y = x.Clone();
            for (int i = 0; i < y.Length; i++) y.Data[i] *= y.Data[i];
            return y;
        }

        public override Tensor Backward(Tensor dout) => throw new NotSupportedException();
        public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();
    }

    private sealed class DoubledRelu : Relu
    {
        public override Tensor Forward(Tensor x, bool training)
        {
            var y = base.Forward(x, training).Clone();
            for (int i = 0; i < y.Length; i++) y.Data[i] *= 2f;
            return y;
        }
    }
}
