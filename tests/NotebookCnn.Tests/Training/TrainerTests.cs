namespace NotebookCnn.Tests.Training;

public class TrainerTests
{
    private static TestSequential NewModel(int seed = 1) =>
        new(new TestLinear("l1", 2, 4, seed), new TestRunningMean("stats", 4), new TestLinear("l2", 4, 2, seed + 100));

    private static Trainer NewTrainer(Layer model, Optimizer? optimizer = null, int batchSize = 8, int seed = 3) =>
        new(model, new TestSoftmaxCrossEntropy(), optimizer ?? new Sgd(0.3f), batchSize, seed);

    [Fact]
    public void Training_a_separable_problem_lowers_the_loss_and_reaches_full_accuracy()
    {
        var train = TestData.TwoClouds(64, seed: 1);
        var test = TestData.TwoClouds(32, seed: 2);
        var model = NewModel();
        var history = NewTrainer(model).Fit(train, epochs: 10, validation: test, showProgress: false);

        Assert.Equal(10, history.Epochs);
        Assert.Equal(80, history.Iterations);      // 64 / 8 = 8 iterations per epoch
        Assert.True(history.TrainLoss[^1] < history.TrainLoss[0] / 4, $"{history.TrainLoss[0]} → {history.TrainLoss[^1]}");
        Assert.True(history.IterationLoss.Take(5).Average() > history.IterationLoss.TakeLast(5).Average());
        Assert.Equal(1f, history.TrainAccuracy[^1]);
        Assert.Equal(1f, history.ValidationAccuracy[^1]);
        Assert.Equal(1f, Evaluation.Accuracy(model, test));
    }

    [Fact]
    public void History_records_the_learning_rate_of_every_iteration()
    {
        var train = TestData.TwoClouds(16, seed: 1);
        var sgd = new Sgd(1f) { Schedule = LearningRateSchedule.Step(0.2f, stepSize: 2, factor: 0.5f) };
        var history = NewTrainer(NewModel(), sgd).Fit(train, epochs: 3, showProgress: false);
        Assert.Equal(new[] { 0.2f, 0.2f, 0.1f, 0.1f, 0.05f, 0.05f }, history.LearningRates);
    }

    [Fact]
    public void Same_seed_gives_bit_identical_histories_and_weights()
    {
        var train = TestData.TwoClouds(50, seed: 1);
        var test = TestData.TwoClouds(20, seed: 2);
        (TrainingHistory History, float[] Weights) Run(int trainerSeed)
        {
            var model = NewModel();
            var history = NewTrainer(model, new Adam(0.05f), batchSize: 7, seed: trainerSeed)
                .Fit(train, epochs: 4, validation: test, showProgress: false);
            return (history, model.Parameters.SelectMany(p => p.Value.Data).Concat(model.Buffers.SelectMany(b => b.Value.Data)).ToArray());
        }

        var a = Run(5);
        var b = Run(5);
        Assert.Equal(a.History.IterationLoss, b.History.IterationLoss);
        Assert.Equal(a.History.LearningRates, b.History.LearningRates);
        Assert.Equal(a.History.TrainLoss, b.History.TrainLoss);
        Assert.Equal(a.History.TrainAccuracy, b.History.TrainAccuracy);
        Assert.Equal(a.History.ValidationLoss, b.History.ValidationLoss);
        Assert.Equal(a.History.ValidationAccuracy, b.History.ValidationAccuracy);
        Assert.Equal(a.Weights, b.Weights);

        var other = Run(6);
        Assert.NotEqual(a.History.IterationLoss, other.History.IterationLoss);
    }

    [Fact]
    public void Callbacks_are_called_once_per_iteration_and_once_per_epoch()
    {
        var train = TestData.TwoClouds(10, seed: 1);
        var iterations = new List<IterationInfo>();
        var epochs = new List<EpochInfo>();
        var history = NewTrainer(NewModel(), batchSize: 4).Fit(train, epochs: 3,
            onIteration: iterations.Add, onEpoch: epochs.Add, showProgress: false);

        // ⌈10 / 4⌉ = 3 iterations per epoch (4 + 4 + 2 examples).
        Assert.Equal(Enumerable.Range(1, 9), iterations.Select(i => i.Iteration));
        Assert.Equal(new[] { 1, 1, 1, 2, 2, 2, 3, 3, 3 }, iterations.Select(i => i.Epoch));
        Assert.All(iterations, i => Assert.Equal(9, i.TotalIterations));
        Assert.Equal(history.IterationLoss, iterations.Select(i => i.Loss));
        Assert.Equal(new[] { 1, 2, 3 }, epochs.Select(e => e.Epoch));
        Assert.Equal(new[] { 3, 6, 9 }, epochs.Select(e => e.Iteration));
        Assert.All(epochs, e => Assert.Null(e.ValidationLoss));
        Assert.Equal(new[] { 3, 6, 9 }, history.EpochIterations);
    }

    private sealed class RecordingObserver : ITrainingObserver
    {
        public List<string> Calls { get; } = [];
        public void OnIteration(IterationInfo iteration) => Calls.Add($"iteration {iteration.Iteration}");
        public void OnEpoch(EpochInfo epoch) => Calls.Add($"epoch {epoch.Epoch}");
        public void OnEnd(TrainingHistory history) => Calls.Add($"end after {history.Iterations}");
    }

    [Fact]
    public void An_observer_sees_every_iteration_every_epoch_and_the_end_in_order()
    {
        var observer = new RecordingObserver();
        var iterations = new List<int>();
        NewTrainer(NewModel(), batchSize: 4).Fit(TestData.TwoClouds(8, seed: 1), epochs: 2,
            onIteration: i => iterations.Add(i.Iteration), showProgress: false, observer: observer);
        Assert.Equal(["iteration 1", "iteration 2", "epoch 1", "iteration 3", "iteration 4", "epoch 2", "end after 4"], observer.Calls);
        Assert.Equal([1, 2, 3, 4], iterations); // the callbacks still work beside an observer
    }

    [Fact]
    public void Train_step_is_forward_loss_backward_and_an_optimizer_step()
    {
        var data = TestData.TwoClouds(8, seed: 1);
        var (byTrainer, byHand) = (NewModel(), NewModel());
        float loss = NewTrainer(byTrainer).TrainStep(data.Inputs, data.Labels);

        var lossFunction = new TestSoftmaxCrossEntropy();
        float expected = lossFunction.Forward(byHand.Forward(data.Inputs, training: true), data.Labels);
        byHand.Backward(lossFunction.Backward());
        new Sgd(0.3f).Step(byHand.Parameters);

        Assert.Equal(expected, loss);
        for (int i = 0; i < byHand.Parameters.Count; i++)
            Assert.Equal(byHand.Parameters[i].Value.Data, byTrainer.Parameters[i].Value.Data);
        Assert.NotEqual(NewModel().Parameters[0].Value.Data, byTrainer.Parameters[0].Value.Data); // it did move
    }

    [Fact]
    public void Train_step_with_a_nan_loss_returns_it_and_leaves_the_weights_alone()
    {
        var data = TestData.TwoClouds(4, seed: 1);
        data.Inputs.Fill(float.NaN);
        var model = NewModel();
        float loss = NewTrainer(model).TrainStep(data.Inputs, data.Labels);
        Assert.True(float.IsNaN(loss));
        Assert.Equal(NewModel().Parameters[0].Value.Data, model.Parameters[0].Value.Data);
    }

    [Fact]
    public void Fit_iterations_evaluates_every_n_iterations_and_after_the_last()
    {
        var train = TestData.TwoClouds(20, seed: 1);
        var epochs = new List<EpochInfo>();
        var history = NewTrainer(NewModel(), batchSize: 5).FitIterations(train, iterations: 7, evaluateEvery: 3,
            onEpoch: epochs.Add, showProgress: false);
        Assert.Equal(7, history.Iterations);
        Assert.Equal(new[] { 3, 6, 7 }, history.EpochIterations);
        Assert.Equal(3, epochs.Count);
        Assert.All(epochs, e => Assert.Equal(3, e.TotalEpochs));
    }

    [Fact]
    public void Cancellation_stops_between_iterations_and_returns_the_history_so_far()
    {
        var train = TestData.TwoClouds(40, seed: 1);
        using var cancel = new CancellationTokenSource();
        var history = NewTrainer(NewModel()).Fit(train, epochs: 10, showProgress: false, cancellationToken: cancel.Token,
            onIteration: i => { if (i.Iteration == 7) cancel.Cancel(); });
        Assert.True(history.Cancelled);
        Assert.Equal(7, history.Iterations);
        Assert.Equal(1, history.Epochs); // the epoch ending at iteration 5 was evaluated
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_weights()
    {
        // The validation set has the opposite labels: the better the model fits the training set, the worse
        // the validation loss, so the best epoch is the first one.
        var train = TestData.TwoClouds(32, seed: 1);
        var validation = TestData.TwoClouds(16, seed: 2, flipLabels: true);
        var model = NewModel();
        float[]? bestWeights = null;
        var history = NewTrainer(model).Fit(train, epochs: 20, validation: validation,
            earlyStopping: new EarlyStopping(patience: 2),
            onEpoch: e => { if (e.IsBest) bestWeights = model.Parameters.SelectMany(p => p.Value.Data).ToArray(); },
            showProgress: false);

        Assert.True(history.StoppedEarly);
        Assert.Equal(1, history.BestEpoch);
        Assert.Equal(3, history.Epochs); // best at 1, then 2 epochs without improvement
        Assert.True(history.RestoredBestWeights);
        Assert.Equal(bestWeights, model.Parameters.SelectMany(p => p.Value.Data).ToArray());
        Assert.Equal(history.ValidationLoss[0], Evaluation.Evaluate(model, new TestSoftmaxCrossEntropy(), validation, 8).Loss);
    }

    [Fact]
    public void Early_stopping_restores_buffers_as_well_as_parameters()
    {
        var train = TestData.TwoClouds(32, seed: 1);
        var validation = TestData.TwoClouds(16, seed: 2, flipLabels: true);
        var stats = new TestRunningMean("stats", 4);
        var model = new TestSequential(new TestLinear("l1", 2, 4, 1), stats, new TestLinear("l2", 4, 2, 2));
        float[]? bestMean = null;
        NewTrainer(model).Fit(train, epochs: 20, validation: validation, earlyStopping: new EarlyStopping(patience: 2),
            onEpoch: e => { if (e.IsBest) bestMean = stats.RunningMean.Data.ToArray(); }, showProgress: false);
        Assert.Equal(bestMean, stats.RunningMean.Data);
    }

    [Fact]
    public void Early_stopping_on_validation_loss_without_a_validation_set_is_an_error()
    {
        var train = TestData.TwoClouds(8, seed: 1);
        var e = Assert.Throws<ArgumentException>(() =>
            NewTrainer(NewModel()).Fit(train, epochs: 1, earlyStopping: new EarlyStopping(), showProgress: false));
        Assert.Contains("validation", e.Message);
    }

    [Fact]
    public void Without_early_stopping_the_best_epoch_is_still_reported()
    {
        var train = TestData.TwoClouds(32, seed: 1);
        var history = NewTrainer(NewModel()).Fit(train, epochs: 5, showProgress: false);
        Assert.Equal(EarlyStoppingMonitor.TrainLoss, history.Monitor);
        int best = history.BestEpoch!.Value;
        Assert.Equal(history.TrainLoss.Min(), history.TrainLoss[best - 1]);
        Assert.False(history.StoppedEarly);
    }

    [Fact]
    public void Loss_becoming_nan_stops_training_naming_the_iteration_and_the_last_finite_loss()
    {
        // A learning rate of 1e30 throws the weights so far that the logits overflow to ±∞ after one step.
        var train = TestData.TwoClouds(32, seed: 1);
        var model = NewModel();
        var e = Assert.Throws<TrainingDivergedException>(() =>
            NewTrainer(model, new Sgd(1e30f)).Fit(train, epochs: 50, showProgress: false));

        Assert.True(e.Iteration > 1, $"diverged at iteration {e.Iteration}");
        Assert.False(float.IsFinite(e.Loss));
        Assert.Equal(e.Iteration - 1, e.History.Iterations);
        Assert.Equal(e.History.IterationLoss[^1], e.LastFiniteLoss);
        Assert.Contains($"iteration {e.Iteration}", e.Message);
        Assert.Contains("last finite loss", e.Message);
        Assert.Contains("Learning rate too high?", e.Message);
    }

    [Fact]
    public void Nan_in_the_first_batch_says_there_was_no_finite_loss_yet()
    {
        var data = TestData.TwoClouds(4, seed: 1);
        data.Inputs.Fill(float.NaN);
        var e = Assert.Throws<TrainingDivergedException>(() =>
            NewTrainer(NewModel(), batchSize: 4).Fit(data, epochs: 1, showProgress: false));
        Assert.Equal(1, e.Iteration);
        Assert.Null(e.LastFiniteLoss);
        Assert.Contains("no iteration had a finite loss yet", e.Message);
    }

    [Fact]
    public void History_prints_a_table_with_the_best_epoch_marked()
    {
        var train = TestData.TwoClouds(16, seed: 1);
        var test = TestData.TwoClouds(8, seed: 2);
        var history = NewTrainer(NewModel()).Fit(train, epochs: 3, validation: test, showProgress: false);
        string text = history.ToString();
        string[] lines = text.Split('\n');
        Assert.StartsWith("Trained 3 epochs (6 iterations)", lines[0]);
        Assert.Contains("val loss", lines[1]);
        Assert.Equal(5, lines.Length);
        Assert.Single(lines, l => l.StartsWith('*'));
    }

    [Fact]
    public void Trainer_rejects_a_zero_batch_size()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(NewModel(), new TestSoftmaxCrossEntropy(), new Sgd(), batchSize: 0));
        Assert.Contains("batch size", e.Message);
    }
}
