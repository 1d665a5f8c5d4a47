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
    public void Inference_of_a_large_batch_allocates_only_its_result_and_no_large_object_heap_arrays()
    {
        // The MLP of chapter 05 on 1000 images: 1.6 MB of activations in between, 40 KB of scores at the end.
        // Allocating the activations anew on every call puts them on the large-object heap (≥ 85,000 bytes), and
        // each such call then costs a full (gen-2) collection.
        var net = Models.Mlp(inputSize: 784, hiddenSize: 100, hiddenLayers: 2);
        Tensor images = TestData.Random(11, 1000, 784);
        Tensor expected = net.Layers.Aggregate(images, (x, layer) => layer.Forward(x, training: false)); // layer by layer: new tensors
        Tensor first = net.Forward(images, training: false);
        Assert.Equal(expected.Data, first.Data);
        float[] kept = (float[])first.Data.Clone();

        Tensor otherImages = TestData.Random(12, 1000, 784);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Tensor second = net.Forward(otherImages, training: false);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(kept, first.Data);
        Assert.NotSame(first, second);
        long scores = 1000 * 10 * sizeof(float);
        Assert.True(allocated < scores + 4096, $"One inference call allocated {allocated:N0} bytes; the scores are {scores:N0}.");
    }

    [Theory]
    [InlineData("Flatten")]
    [InlineData("Dropout")]
    public void Inference_result_is_a_copy_even_when_the_last_layer_passes_its_input_through(string last)
    {
        var net = new Sequential(new Affine(4, 3, seed: 1), last == "Flatten" ? new Flatten() : new Dropout(0.5f));
        Tensor a = net.Forward(TestData.Random(1, 2, 4), training: false);
        float[] kept = (float[])a.Data.Clone();
        net.Forward(TestData.Random(2, 2, 4), training: false);
        Assert.Equal(kept, a.Data);
    }

    [Fact]
    public void Evaluation_reuses_the_layer_outputs_and_gives_the_same_numbers_as_plain_inference()
    {
        // 40 examples in batches of 10, plus a last batch of 3: Evaluation may reuse the layers' outputs from batch to
        // batch (it reads each before the next), so its numbers must be those of separate inference calls.
        var net = SimpleConvNet();
        Tensor inputs = Batch(4, n: 43);
        var labels = Enumerable.Range(0, 43).Select(i => i % 3).ToArray();
        var expected = new float[43 * 3];
        for (int start = 0; start < 43; start += 10)
        {
            int count = Math.Min(10, 43 - start);
            var batch = new Tensor(count, 1, 10, 10);
            Array.Copy(inputs.Data, start * 100, batch.Data, 0, count * 100);
            net.Forward(batch, training: false).Data.CopyTo(expected, start * 3);
        }
        Assert.Equal(expected, Evaluation.Outputs(net, inputs, batchSize: 10).Data);
        var dataset = new Dataset(inputs, labels, ["a", "b", "c"], "test");
        Assert.Equal(Evaluation.Accuracy(net, dataset, batchSize: 43), Evaluation.Accuracy(net, dataset, batchSize: 10));

        // Evaluating 4,300 examples allocates about what 43 do (the outputs are reused, not allocated per batch).
        Tensor many = Batch(5, n: 4300);
        Evaluation.Outputs(net, many, batchSize: 100);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        Evaluation.Outputs(net, many, batchSize: 100);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long oneBatchOfConvolutionOutputs = 100 * 4 * 8 * 8 * sizeof(float);
        Assert.True(allocated < 43 * 3 * 100 * sizeof(float) + 10 * oneBatchOfConvolutionOutputs,
            $"Evaluation of 43 batches allocated {allocated:N0} bytes: more than the result and a few batches' outputs.");

        // Outside Evaluation, inference returns new tensors again.
        Tensor a = net.Forward(Batch(1), training: false);
        Assert.NotSame(a, net.Forward(Batch(1), training: false));
    }

    [Fact]
    public void Inference_outside_evaluation_returns_new_tensors_even_after_an_evaluation_failed()
    {
        var net = SimpleConvNet();
        Assert.ThrowsAny<ArgumentException>(() => Evaluation.Outputs(net, new Tensor(4, 1, 7, 7))); // wrong size for the Affine layer
        Tensor a = net.Forward(Batch(1), training: false);
        Assert.NotSame(a, net.Forward(Batch(1), training: false));
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
        // Two counts per step. This thread's own allocations are exact: nothing else runs on it. The process-wide count
        // also sees the parallel loops' helper threads, but also whatever else the process does meanwhile (the test
        // runner reporting results of tests that just finished, the runtime starting a thread): a per-step allocation
        // shows in every step, so judge the process-wide count by its quietest step.
        Thread.Sleep(200); // let the test runner finish reporting the tests that ran before this one
        var steps = new long[50];
        var own = new long[50];
        for (int i = 0; i < steps.Length; i++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true), ownBefore = GC.GetAllocatedBytesForCurrentThread();
            Step();
            own[i] = GC.GetAllocatedBytesForCurrentThread() - ownBefore;
            steps[i] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        long perStep = steps.Min();
        // Layers and the loss reuse their tensors and shape arrays, and the parallel loops allocate nothing
        // (static lambdas, reused jobs): a steady-state step allocates (next to) nothing. The bound leaves room
        // for a runtime's occasional bookkeeping, not for any per-step array or closure; a single Parallel.For
        // (≈2 KB) or one loss tensor would exceed it.
        Assert.True(own.Max() < 1_000, $"A steady-state step allocated {own.Max():N0} bytes on the calling thread (steps: {string.Join(", ", own)}).");
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
