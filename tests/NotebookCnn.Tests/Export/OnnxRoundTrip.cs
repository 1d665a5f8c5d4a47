using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace NotebookCnn.Tests.Export;

/// <summary>
/// Exports a network, runs the file in ONNX Runtime and compares its output with the library's own inference
/// (<c>Forward(x, training: false)</c>) on real MNIST digits.
/// </summary>
internal static class OnnxRoundTrip
{
    /// <summary>
    /// The largest relative difference allowed between ONNX Runtime and the library (see <see cref="RelativeDifference"/>).
    /// Both compute in float32 (about 7 significant digits) but sum in different orders and ONNX Runtime may fuse
    /// operations (e.g. fold BatchNorm into the convolution before it), which moves the last digits; the networks here
    /// measure 0…2e-6. A wrong export (a transposed weight, a missing bias, the wrong padding) gives 1e-3 or more.
    /// </summary>
    public const double Tolerance = 1e-5;

    private static readonly Lazy<TrainTestSplit> Digits = new(() => Mnist.LoadBundled());

    /// <summary>The bundled MNIST training digits (to train a network a few steps).</summary>
    public static Dataset TrainingDigits => Digits.Value.Train;

    /// <summary>The first <paramref name="count"/> bundled MNIST test digits, [count, 1, 28, 28] with values in [0, 1].</summary>
    public static Tensor TestDigits(int count) => Digits.Value.Test.Take(count).Inputs;

    /// <summary>Test digits moved to [−1, 1] (2x − 1): real images that are also negative, for activations and pooling.</summary>
    public static Tensor CenteredTestDigits(int count)
    {
        var x = TestDigits(count).Clone();
        for (int i = 0; i < x.Length; i++) x.Data[i] = 2f * x.Data[i] - 1f;
        return x;
    }

    /// <summary>Trains <paramref name="net"/> for a few Adam steps on MNIST, so biases and BatchNorm statistics move from their start.</summary>
    public static void TrainBriefly(Sequential net, int iterations = 8, int seed = 1)
    {
        var trainer = new Trainer(net, new SoftmaxCrossEntropy(), new Adam(1e-3f), batchSize: 32, seed: seed);
        trainer.FitIterations(TrainingDigits.Take(512), iterations, evaluateEvery: iterations, showProgress: false, evaluationLimit: 32);
    }

    /// <summary>Runs the ONNX file at <paramref name="path"/> on <paramref name="x"/> in ONNX Runtime; returns the output and its shape.</summary>
    public static (float[] Values, long[] Shape) Run(string path, Tensor x)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        long[] shape = x.ShapeArray().Select(d => (long)d).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(x.Data, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxFile.InputName], [input], [OnnxFile.OutputName]);
        var output = outputs[0];
        return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }

    /// <summary>
    /// The largest, over the examples of the batch, of max |actual − expected| / max |expected| taken over that example's
    /// outputs (its logits): the worst difference measured against the size of the example's largest output, so that a
    /// logit near 0 does not turn a rounding difference into a huge relative one. 1e-6 stands in for max |expected| = 0.
    /// </summary>
    public static double RelativeDifference(Tensor expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int examples = expected.Dim(0), size = expected.Length / examples;
        double worst = 0;
        for (int n = 0; n < examples; n++)
        {
            double largest = 0, difference = 0;
            for (int i = n * size; i < (n + 1) * size; i++)
            {
                largest = Math.Max(largest, Math.Abs(expected.Data[i]));
                difference = Math.Max(difference, Math.Abs((double)actual[i] - expected.Data[i]));
            }
            worst = Math.Max(worst, difference / Math.Max(largest, 1e-6));
        }
        return worst;
    }

    /// <summary>
    /// Exports <paramref name="net"/> for examples of <paramref name="inputShape"/>, runs the file on <paramref name="x"/>
    /// and asserts that ONNX Runtime's output has the library's shape and values within <see cref="Tolerance"/>.
    /// </summary>
    /// <returns>The measured relative difference, also written to <paramref name="output"/> under <paramref name="label"/>.</returns>
    public static double AssertSameOutputs(Sequential net, Tensor x, ITestOutputHelper output, string label)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.onnx");
        OnnxFile.Save(net, x.ShapeArray()[1..], path);

        var expected = net.Forward(x, training: false);
        var (actual, shape) = Run(path, x);

        Assert.Equal(expected.ShapeArray().Select(d => (long)d), shape);
        double relative = RelativeDifference(expected, actual);
        output.WriteLine($"{label}: output {Tensor.FormatShape(expected.Shape)}, max relative difference {relative:e2}");
        Assert.True(relative <= Tolerance,
            $"{label}: ONNX Runtime differs from the library by {relative:e2} (relative), more than {Tolerance:e0}.");
        return relative;
    }
}

/// <summary>A folder of its own under the temporary folder, deleted with everything in it on Dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    /// <summary>The folder's full path.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("notebookcnn-onnx-").FullName;

    /// <summary>The full path of <paramref name="name"/> inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
