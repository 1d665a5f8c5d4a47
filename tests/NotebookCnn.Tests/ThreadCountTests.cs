using NotebookCnn;
using Xunit;

namespace NotebookCnn.Tests;

/// <summary>
/// A class sees the same numbers on every machine: training and inference give the same bits on one thread as on
/// two or on three (more threads than this machine's cores still cut the work differently).
/// </summary>
[Collection(ProcessWideThreadCount.Name)]
public class ThreadCountTests
{
    public static TheoryData<string> Networks() => ["LeNet-5", "SimpleConvNet", "MLP", "MLP with BatchNorm and Dropout"];

    private static Sequential Create(string name) => name switch
    {
        "LeNet-5" => Models.LeNet5(),
        "SimpleConvNet" => new Sequential(new Convolution(1, 30, 5, seed: 1), new Relu(), new MaxPooling(2), new Flatten(),
            new Affine(30 * 12 * 12, 100, seed: 2), new Relu(), new Affine(100, 10, seed: 3)),
        "MLP" => Models.Mlp(inputSize: 784, hiddenSize: 100, hiddenLayers: 2),
        _ => Models.Mlp(inputSize: 784, hiddenSize: 100, hiddenLayers: 2, batchNorm: true, dropout: 0.2f),
    };

    /// <summary>Three Adam steps on a batch of 100, then inference on 300 images: every loss, weight and score.</summary>
    private static float[] Run(string network, int threads)
    {
        int saved = ParallelWork.Threads;
        ParallelWork.Threads = threads;
        try
        {
            var model = Create(network);
            model.InputGradientNeeded = false;
            var loss = new SoftmaxCrossEntropy();
            var optimizer = new Adam(learningRate: 1e-3f);
            var parameters = model.Parameters;
            Tensor images = TestData.Random(7, 100, 1, 28, 28);
            int[] labels = Enumerable.Range(0, 100).Select(i => i * 7 % 10).ToArray();
            var result = new List<float>();
            for (int step = 0; step < 3; step++)
            {
                result.Add(loss.Forward(model.Forward(images, training: true), labels));
                model.Backward(loss.Backward());
                optimizer.Step(parameters);
            }
            foreach (var parameter in parameters) result.AddRange(parameter.Value.Data);
            result.AddRange(model.Forward(TestData.Random(8, 300, 1, 28, 28), training: false).Data);
            return result.ToArray();
        }
        finally
        {
            ParallelWork.Threads = saved;
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Training_and_inference_give_the_same_bits_on_one_two_or_three_threads(string network)
    {
        float[] one = Run(network, threads: 1);
        float[] two = Run(network, threads: 2);
        float[] three = Run(network, threads: 3);
        Assert.True(one.Length > 1000);
        Assert.Equal(one, two);
        Assert.Equal(one, three);
    }
}

/// <summary>
/// Tests that change how many threads the library uses run alone, so that no other test's timing or thread
/// assumptions see the change.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideThreadCount
{
    public const string Name = "Process-wide thread count";
}
