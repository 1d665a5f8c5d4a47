using System.Diagnostics;
using System.Globalization;

namespace NotebookCnn;

/// <summary>
/// The training loop: for each minibatch, forward, loss, backward, optimizer step; after each epoch,
/// evaluate on the training and validation sets and record everything in a <see cref="TrainingHistory"/>.
/// </summary>
/// <remarks>
/// <para>Minibatches come from a seeded shuffle (<see cref="MinibatchSampler"/>): the same seed, the same
/// model initialisation and the same data give bit-identical histories. Nothing here runs in parallel; a
/// layer may use threads only where each output is computed by one thread (as <c>MatMul</c> does), so the
/// results do not depend on the number of cores.</para>
/// <para>The trainer keeps one random generator for all its runs: calling <c>Fit</c> twice continues with
/// new shuffles rather than repeating the first ones.</para>
/// </remarks>
/// <example>
/// <code>
/// var trainer = new Trainer(net, new SoftmaxCrossEntropy(), new Adam(1e-3f), batchSize: 100, seed: 42);
/// TrainingHistory history = trainer.Fit(train, epochs: 5, validation: test);
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly Random _random;

    /// <summary>Creates a trainer.</summary>
    /// <param name="model">The network (a <c>Sequential</c> or any layer); its output feeds the loss.</param>
    /// <param name="loss">The loss, e.g. softmax cross-entropy.</param>
    /// <param name="optimizer">Updates the model's parameters after each minibatch.</param>
    /// <param name="batchSize">Examples per minibatch.</param>
    /// <param name="seed">Seed of the minibatch shuffle.</param>
    public Trainer(Layer model, Loss loss, Optimizer optimizer, int batchSize = 100, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"Trainer: the batch size must be at least 1, got {batchSize}.");
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        BatchSize = batchSize;
        Seed = seed;
        _random = Rng.Create(seed);
    }

    /// <summary>The network being trained.</summary>
    public Layer Model { get; }

    /// <summary>The loss being minimised.</summary>
    public Loss Loss { get; }

    /// <summary>The optimizer; its learning rate can be changed between runs.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Examples per minibatch.</summary>
    public int BatchSize { get; }

    /// <summary>The seed of the minibatch shuffle.</summary>
    public int Seed { get; }

    /// <summary>
    /// Trains for <paramref name="epochs"/> passes over <paramref name="train"/> (⌈N / batchSize⌉ iterations each),
    /// evaluating after every epoch.
    /// </summary>
    /// <param name="train">The training set.</param>
    /// <param name="epochs">The number of passes over the training set.</param>
    /// <param name="validation">An optional validation set, evaluated after each epoch.</param>
    /// <param name="earlyStopping">Stop when the monitored value stops improving (and restore the best weights).</param>
    /// <param name="onIteration">Called after every iteration, e.g. to update a live plot.</param>
    /// <param name="onEpoch">Called after every epoch's evaluation.</param>
    /// <param name="showProgress">Console progress bar: null or true draws it when the output is a terminal; false never.</param>
    /// <param name="evaluationLimit">Evaluate on at most this many (first) examples of each set; null evaluates all.</param>
    /// <param name="cancellationToken">Cancels between iterations; the history so far is returned with <see cref="TrainingHistory.Cancelled"/> set.</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingHistory Fit(Dataset train, int epochs, Dataset? validation = null,
        EarlyStopping? earlyStopping = null, Action<IterationInfo>? onIteration = null, Action<EpochInfo>? onEpoch = null,
        bool? showProgress = null, int? evaluationLimit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"Trainer: epochs must be ≥ 0, got {epochs}.");
        var sampler = new MinibatchSampler(train, BatchSize, _random);
        int perEpoch = sampler.BatchesPerEpoch;
        return Run(sampler, train, epochs * perEpoch, perEpoch, validation, earlyStopping, onIteration, onEpoch,
            showProgress, evaluationLimit, cancellationToken);
    }

    /// <summary>
    /// Trains for a number of iterations (minibatch updates), evaluating every <paramref name="evaluateEvery"/>
    /// iterations and after the last one; each evaluation is one "epoch" of the history.
    /// </summary>
    /// <param name="train">The training set.</param>
    /// <param name="iterations">The number of minibatch updates.</param>
    /// <param name="evaluateEvery">Iterations between evaluations; null means once per pass over the data (⌈N / batchSize⌉).</param>
    /// <param name="validation">An optional validation set.</param>
    /// <param name="earlyStopping">As in <see cref="Fit"/>, counted in evaluations.</param>
    /// <param name="onIteration">Called after every iteration.</param>
    /// <param name="onEpoch">Called after every evaluation.</param>
    /// <param name="showProgress">Console progress bar, as in <see cref="Fit"/>.</param>
    /// <param name="evaluationLimit">Evaluate on at most this many (first) examples of each set.</param>
    /// <param name="cancellationToken">Cancels between iterations.</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingHistory FitIterations(Dataset train, int iterations, int? evaluateEvery = null, Dataset? validation = null,
        EarlyStopping? earlyStopping = null, Action<IterationInfo>? onIteration = null, Action<EpochInfo>? onEpoch = null,
        bool? showProgress = null, int? evaluationLimit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (iterations < 0)
            throw new ArgumentOutOfRangeException(nameof(iterations), $"Trainer: iterations must be ≥ 0, got {iterations}.");
        if (evaluateEvery is < 1)
            throw new ArgumentOutOfRangeException(nameof(evaluateEvery), $"Trainer: evaluateEvery must be at least 1, got {evaluateEvery}.");
        var sampler = new MinibatchSampler(train, BatchSize, _random);
        return Run(sampler, train, iterations, evaluateEvery ?? sampler.BatchesPerEpoch, validation, earlyStopping,
            onIteration, onEpoch, showProgress, evaluationLimit, cancellationToken);
    }

    private TrainingHistory Run(MinibatchSampler sampler, Dataset train, int totalIterations, int evaluateEvery,
        Dataset? validation, EarlyStopping? earlyStopping, Action<IterationInfo>? onIteration, Action<EpochInfo>? onEpoch,
        bool? showProgress, int? evaluationLimit, CancellationToken cancellationToken)
    {
        var monitor = earlyStopping?.Monitor
            ?? (validation is null ? EarlyStoppingMonitor.TrainLoss : EarlyStoppingMonitor.ValidationLoss);
        if (validation is null && monitor != EarlyStoppingMonitor.TrainLoss)
            throw new ArgumentException(
                $"Early stopping monitors {monitor}, but no validation set was given: pass validation: … to Fit, or monitor TrainLoss.",
                nameof(validation));

        var history = new TrainingHistory { Monitor = monitor };
        int totalEpochs = (totalIterations + evaluateEvery - 1) / evaluateEvery;
        var clock = Stopwatch.StartNew();
        float? lastFiniteLoss = null;
        float bestValue = float.NaN;
        int epochsSinceBest = 0;
        ModelSnapshot? best = null;
        bool show = ConsoleProgress.ShouldShow(showProgress);
        var c = CultureInfo.InvariantCulture;
        // Read once: a Sequential builds its parameter list on every call.
        IReadOnlyList<Parameter> parameters = Model.Parameters;
        // Nobody uses the gradient with respect to the data, so the first layer need not compute it.
        using var withoutInputGradient = new InputGradientOff(Model);

        return ConsoleProgress.Run(show, $"Training {Model.Name}", totalIterations, progress =>
        {
            for (int iteration = 1; iteration <= totalIterations; iteration++)
            {
                StopSignal.ThrowIfStopRequested(); // a notebook kernel's interrupt stops training between minibatches
                if (cancellationToken.IsCancellationRequested)
                {
                    history.Cancelled = true;
                    break;
                }
                int epoch = (iteration - 1) / evaluateEvery + 1;

                // One step of gradient descent on one minibatch.
                var (x, labels) = sampler.Next();
                Tensor output = Model.Forward(x, training: true);
                float loss = Loss.Forward(output, labels);
                if (!float.IsFinite(loss))
                    throw new TrainingDivergedException(iteration, epoch, loss, lastFiniteLoss, Optimizer.LearningRate, history);
                lastFiniteLoss = loss;
                Model.Backward(Loss.Backward());
                Optimizer.Step(parameters);

                history.AddIteration(loss, Optimizer.LearningRate);
                onIteration?.Invoke(new IterationInfo(iteration, totalIterations, epoch, loss, Optimizer.LearningRate, clock.Elapsed.TotalSeconds));
                if (show) progress(iteration, string.Format(c, "epoch {0}/{1} loss {2:0.0000}", epoch, totalEpochs, loss));

                if (iteration % evaluateEvery != 0 && iteration != totalIterations) continue;

                // End of an epoch: evaluate in inference mode and keep track of the best epoch.
                var (trainLoss, trainAccuracy) = Evaluation.Evaluate(Model, Loss, train, BatchSize, evaluationLimit);
                float? validationLoss = null, validationAccuracy = null;
                if (validation is not null)
                {
                    var (vl, va) = Evaluation.Evaluate(Model, Loss, validation, BatchSize, evaluationLimit);
                    (validationLoss, validationAccuracy) = (vl, va);
                }
                history.AddEpoch(trainLoss, trainAccuracy, validationLoss, validationAccuracy, clock.Elapsed.TotalSeconds);

                float value = history.MonitoredValue(epoch);
                bool isBest = EarlyStopping.Improves(monitor, value, bestValue, earlyStopping?.MinDelta ?? 0f);
                if (isBest)
                {
                    bestValue = value;
                    history.BestEpoch = epoch;
                    epochsSinceBest = 0;
                    if (earlyStopping is { RestoreBestWeights: true }) best = ModelSnapshot.Capture(Model);
                }
                else
                {
                    epochsSinceBest++;
                }

                onEpoch?.Invoke(new EpochInfo(epoch, totalEpochs, iteration, trainLoss, trainAccuracy,
                    validationLoss, validationAccuracy, clock.Elapsed.TotalSeconds, isBest, history));

                if (earlyStopping is not null && epochsSinceBest >= earlyStopping.Patience)
                {
                    history.StoppedEarly = true;
                    break;
                }
            }

            if (best is not null)
            {
                best.RestoreTo(Model);
                history.RestoredBestWeights = true;
            }
            if (show) progress(history.Iterations, history.Cancelled ? "cancelled" : history.StoppedEarly ? "stopped early" : "done");
            return history;
        });
    }

    // Turns the model's InputGradientNeeded off for a training run and restores it at the end, even on an exception.
    private readonly struct InputGradientOff : IDisposable
    {
        private readonly Layer _model;
        private readonly bool _before;

        public InputGradientOff(Layer model)
        {
            (_model, _before) = (model, model.InputGradientNeeded);
            model.InputGradientNeeded = false;
        }

        public void Dispose() => _model.InputGradientNeeded = _before;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Trainer({Model.Name}, {Loss.GetType().Name}, {Optimizer}, batchSize={BatchSize}, seed={Seed})";
}
