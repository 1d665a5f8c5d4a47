namespace NotebookCnn.Tests.Training;

/// <summary>
/// <see cref="StopSignal"/> is process-wide (a notebook kernel sets it for the cell it runs), so these tests run alone:
/// a cancelled token would stop the training of tests running beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideStopSignal
{
    public const string Name = "Process-wide stop signal";
}

[Collection(ProcessWideStopSignal.Name)]
public class StopSignalTests
{
    private static Trainer NewTrainer(Layer model) =>
        new(model, new TestSoftmaxCrossEntropy(), new Sgd(0.3f), batchSize: 8, seed: 3);

    [Fact]
    public void Fit_stops_before_the_next_minibatch_once_the_host_cancels_and_keeps_the_steps_taken()
    {
        var train = TestData.TwoClouds(64, seed: 1);
        var model = new TestSequential(new TestLinear("l1", 2, 4, 1), new TestLinear("l2", 4, 2, 101));
        float[] initial = model.Parameters.SelectMany(p => p.Value.Data).ToArray();
        using var stop = new CancellationTokenSource();
        int iterations = 0;
        try
        {
            StopSignal.Current = stop.Token;
            Assert.Throws<OperationCanceledException>(() => NewTrainer(model).Fit(train, epochs: 1000, showProgress: false,
                onIteration: info =>
                {
                    iterations = info.Iteration;
                    if (info.Iteration == 3) stop.Cancel();
                }));
        }
        finally
        {
            StopSignal.Current = default;
        }

        Assert.Equal(3, iterations);
        Assert.NotEqual(initial, model.Parameters.SelectMany(p => p.Value.Data).ToArray());
        // With the signal cleared, the same model trains on.
        Assert.Equal(2, NewTrainer(model).FitIterations(train, iterations: 2, showProgress: false).Iterations);
    }

    [Fact]
    public void Without_a_host_the_signal_is_never_raised()
    {
        Assert.False(StopSignal.Current.CanBeCanceled);
        StopSignal.ThrowIfStopRequested();
    }
}
