namespace NotebookCnn.Tests;

/// <summary>The whole SimpleConvNet shape, checked end to end: conv → ReLU → pool → affine → ReLU → affine → softmax-CE.</summary>
public class SimpleConvNetTests
{
    private static Sequential SmallSimpleConvNet() => new(
        new Convolution(inChannels: 2, filters: 3, kernelSize: 3, padding: 1, seed: 1),
        new Relu(),
        new MaxPooling(size: 2, stride: 2),
        new Flatten(),
        new Affine(3 * 3 * 3, 6, seed: 2),
        new Relu(),
        new Affine(6, 4, seed: 3));

    [Fact]
    public void SimpleConvNet_gradients_match_central_differences()
    {
        var net = SmallSimpleConvNet();
        var x = Tensor.RandomNormal(1f, Rng.Create(5), 3, 2, 6, 6);
        int[] labels = [0, 3, 1];

        var report = GradientCheck.Run(net, new SoftmaxCrossEntropy(), x, labels, seed: 7);

        // float32 storage with step 1e-2 gives relative errors of ~1e-5…1e-3 here; a ReLU kink or a max-pool tie
        // crossed by the step could add ~1e-3. A wrong backward gives errors of order 0.1…1, far above 1e-2.
        Assert.Equal(["input", "conv1.weight", "conv1.bias", "affine1.weight", "affine1.bias", "affine2.weight", "affine2.bias"],
            report.Results.Select(r => r.Name));
        Assert.All(report.Results, r => Assert.True(r.RelativeError <= 1e-2, $"{r.Name}: relative error {r.RelativeError:e2}\n{report}"));
    }

    [Fact]
    public void SimpleConvNet_summary_lists_the_course_shapes_and_parameter_counts()
    {
        var net = new Sequential(
            new Convolution(1, 30, 5), new Relu(), new MaxPooling(2, 2), new Flatten(),
            new Affine(30 * 12 * 12, 100), new Relu(), new Affine(100, 10));
        string summary = net.Summary([1, 28, 28]);
        Assert.Contains("[N, 30, 24, 24]", summary);
        Assert.Contains("[N, 30, 12, 12]", summary);
        Assert.Contains("[N, 4320]", summary);
        Assert.Contains("432,100", summary);
        Assert.Equal(780 + 432_100 + 1_010, net.ParameterCount);
    }
}
