namespace NotebookCnn.Tests;

/// <summary>The sanity checks CS231n recommends before any real training.</summary>
public class SanityCheckTests
{
    [Fact]
    public void A_fresh_10_class_net_starts_at_a_loss_of_ln_10()
    {
        // With small weights every class gets probability ≈ 1/10, so the cross-entropy is −ln(1/10) = ln 10 ≈ 2.303.
        var net = new Sequential(
            new Affine(784, 50, Initializer.Normal(0.01f), seed: 1),
            new Affine(50, 10, Initializer.Normal(0.01f), seed: 2));
        var x = Tensor.RandomUniform(0, 1, Rng.Create(3), 100, 784);
        var labels = Enumerable.Range(0, 100).Select(i => i % 10).ToArray();
        float loss = new SoftmaxCrossEntropy().Forward(net.Predict(x), labels);
        Assert.InRange(loss, Math.Log(10) - 0.1, Math.Log(10) + 0.1);
    }

    [Fact]
    public void A_small_ConvNet_overfits_50_random_samples_to_100_percent()
    {
        const int Samples = 50, Classes = 10, MaxSteps = 100;
        const float LearningRate = 0.1f;
        var x = TestData.Random(1, Samples, 1, 10, 10);
        var labels = Enumerable.Range(0, Samples).Select(i => (i * 7) % Classes).ToArray();
        var net = new Sequential(
            new Convolution(1, 8, 3, seed: 2),
            new Flatten(),
            new Affine(8 * 8 * 8, Classes, seed: 3));
        var loss = new SoftmaxCrossEntropy();

        // Plain full-batch SGD: w −= lr · g. Backward overwrites every gradient, so nothing needs zeroing.
        // Overfitting means 100 % training accuracy and a loss near zero (CS231n: "overfit a tiny subset").
        const double NearZeroLoss = 0.05;
        int step = 0;
        double accuracy = 0, value = double.PositiveInfinity, firstLoss = loss.Forward(net.Forward(x, training: true), labels);
        while (step < MaxSteps && (accuracy < 1 || value > NearZeroLoss))
        {
            var scores = net.Forward(x, training: true);
            value = loss.Forward(scores, labels);
            accuracy = scores.ArgMaxRows().Zip(labels).Count(p => p.First == p.Second) / (double)Samples;
            net.Backward(loss.Backward());
            foreach (var p in net.Parameters)
                for (int i = 0; i < p.Value.Length; i++) p.Value.Data[i] -= LearningRate * p.Gradient.Data[i];
            step++;
        }
        Assert.True(accuracy == 1 && value <= NearZeroLoss,
            $"training accuracy {accuracy:P0}, loss {value:0.000} after {step} steps (loss was {firstLoss:0.00} at the start)");
    }
}
