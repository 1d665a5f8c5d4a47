using NotebookCnn;
using Xunit;

namespace NotebookCnn.Tests;

/// <summary>Layers keep their training outputs and input gradients between minibatches of the same shape.</summary>
[Collection(ProcessWideAllocation.Name)]
public class OutputReuseTests
{
    private static Sequential SimpleConvNet() => new(
        new Convolution(1, 4, 3, seed: 1), new Relu(), new MaxPooling(2), new Flatten(),
        new Affine(4 * 4 * 4, 10, seed: 2), new Relu(), new Affine(10, 3, seed: 3));

    private static Tensor Batch(int seed, int n = 5)
    {
        var random = Rng.Create(seed);
        var x = new Tensor(n, 1, 10, 10);
        for (int i = 0; i < x.Length; i++) x.Data[i] = random.NextSingle() - 0.5f;
        return x;
    }

    [Theory]
    [InlineData(0)] // Convolution
    [InlineData(1)] // Relu
    [InlineData(2)] // MaxPooling
    [InlineData(4)] // Affine
    public void Training_output_and_input_gradient_are_reused_for_the_same_batch_shape(int index)
    {
        var net = SimpleConvNet();
        var layer = net[index];
        Tensor input = index == 0 ? Batch(1) : net.Layers.Take(index).Aggregate(Batch(1), (x, l) => l.Forward(x, training: true));

        Tensor first = layer.Forward(input, training: true);
        Tensor second = layer.Forward(input, training: true);
        Assert.Same(first, second);
        Tensor dx1 = layer.Backward(second.Clone());
        Tensor dx2 = layer.Backward(second.Clone());
        Assert.Same(dx1, dx2);
    }

    [Fact]
    public void Softmax_cross_entropy_reuses_its_probabilities_and_gradient_for_the_same_shape()
    {
        var loss = new SoftmaxCrossEntropy();
        var scores = TestData.Random(4, 5, 3);
        loss.Forward(scores, [0, 1, 2, 0, 1]);
        Tensor p1 = loss.Probabilities!, g1 = loss.Backward();
        float[] firstGradient = (float[])g1.Data.Clone();
        loss.Forward(TestData.Random(5, 5, 3), [2, 2, 2, 2, 2]);
        Assert.Same(p1, loss.Probabilities);
        Assert.Same(g1, loss.Backward());
        Assert.NotEqual(firstGradient, g1.Data);

        // Another batch size: new tensors of the new shape.
        loss.Forward(TestData.Random(6, 2, 3), [0, 1]);
        Assert.Equal([2, 3], loss.Backward().ShapeArray());
    }

    [Fact]
    public void Inference_returns_a_new_tensor_each_call_so_kept_predictions_stay_as_they_were()
    {
        var net = SimpleConvNet();
        Tensor a = net.Forward(Batch(1), training: false);
        float[] kept = (float[])a.Data.Clone();
        Tensor b = net.Forward(Batch(2), training: false);
        Assert.NotSame(a, b);
        Assert.Equal(kept, a.Data);
    }

    [Fact]
    public void Reused_outputs_give_the_same_numbers_as_a_fresh_network()
    {
        // Run batch 1 then batch 2 through one network, and batch 2 alone through a fresh copy: equal.
        var used = SimpleConvNet();
        used.Forward(Batch(1), training: true);
        Tensor fromUsed = used.Forward(Batch(2), training: true).Clone();
        Tensor fromFresh = SimpleConvNet().Forward(Batch(2), training: true);
        Assert.Equal(fromFresh.Data, fromUsed.Data);
    }

    [Fact]
    public void Steady_state_training_steps_allocate_less_than_a_kilobyte()
    {
        var net = SimpleConvNet();
        var loss = new SoftmaxCrossEntropy();
        var optimizer = new Adam();
        var parameters = net.Parameters;
        var x = Batch(3, n: 50);
        net.InputGradientNeeded = false; // as Trainer does
        int[] labels = Enumerable.Range(0, 50).Select(i => i % 3).ToArray();
        void Step()
        {
            loss.Forward(net.Forward(x, training: true), labels);
            net.Backward(loss.Backward());
            optimizer.Step(parameters);
        }
        for (int i = 0; i < 3; i++) Step();
        // The count is process-wide: the runtime itself may allocate now and then (e.g. when the thread pool
        // starts a thread), so judge the median step, which a per-step allocation would still show.
        var steps = new long[9];
        for (int i = 0; i < steps.Length; i++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            Step();
            steps[i] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        long perStep = steps.Order().ElementAt(steps.Length / 2);
        // Layers and the loss reuse their tensors and shape arrays, and the parallel loops allocate nothing
        // (static lambdas, reused jobs): a steady-state step allocates (next to) nothing. The bound leaves room
        // for a runtime's occasional bookkeeping, not for any per-step array or closure; a single Parallel.For
        // (≈2 KB) or one loss tensor would exceed it.
        Assert.True(perStep < 1_000, $"A steady-state step allocated {perStep:N0} bytes (steps: {string.Join(", ", steps)}).");
    }
}

/// <summary>
/// Tests that count the process's allocated bytes run alone: another test allocating on a parallel
/// thread would be counted too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideAllocation
{
    public const string Name = "Process-wide allocation";
}
