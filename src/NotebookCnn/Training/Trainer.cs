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
    /// One step of gradient descent on one minibatch, the four lines every chapter teaches: forward, loss, backward,
    /// optimizer step. Returns the minibatch's loss.
    /// </summary>
    /// <remarks>
    /// When the loss is NaN or infinite the step stops after the loss (no backward, no update), so the weights stay as they
    /// were, and the loss is returned: <see cref="Fit"/> then throws a <see cref="TrainingDivergedException"/>.
    /// </remarks>
    /// <param name="x">The minibatch's inputs, e.g. [N, 1, 28, 28].</param>
    /// <param name="labels">The class of each of the N examples.</param>
    public float TrainStep(Tensor x, int[] labels)
    {
        Tensor output = Model.Forward(x, training: true);
        float loss = Loss.Forward(output, labels);
        if (!float.IsFinite(loss)) return loss;
        Model.Backward(Loss.Backward());
        Optimizer.Step(_parameters ?? Model.Parameters);
        return loss;
    }

    // The model's parameters, read once per run: a Sequential builds its list on every call.
    private IReadOnlyList<Parameter>? _parameters;

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
    /// <param name="observer">Watches the run (a live plot, a logger); see <see cref="ITrainingObserver"/>.</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingHistory Fit(Dataset train, int epochs, Dataset? validation = null,
        EarlyStopping? earlyStopping = null, Action<IterationInfo>? onIteration = null, Action<EpochInfo>? onEpoch = null,
        bool? showProgress = null, int? evaluationLimit = null, CancellationToken cancellationToken = default,
        ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"Trainer: epochs must be ≥ 0, got {epochs}.");
        var sampler = new MinibatchSampler(train, BatchSize, _random);
        int perEpoch = sampler.BatchesPerEpoch;
        var run = new TrainingRun(this, train, validation, earlyStopping, evaluationLimit, epochs * perEpoch, perEpoch);
        return Run(sampler, run, Observers(onIteration, onEpoch, observer), showProgress, cancellationToken);
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
    /// <param name="observer">Watches the run (a live plot, a logger); see <see cref="ITrainingObserver"/>.</param>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingHistory FitIterations(Dataset train, int iterations, int? evaluateEvery = null, Dataset? validation = null,
        EarlyStopping? earlyStopping = null, Action<IterationInfo>? onIteration = null, Action<EpochInfo>? onEpoch = null,
        bool? showProgress = null, int? evaluationLimit = null, CancellationToken cancellationToken = default,
        ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (iterations < 0)
            throw new ArgumentOutOfRangeException(nameof(iterations), $"Trainer: iterations must be ≥ 0, got {iterations}.");
        if (evaluateEvery is < 1)
            throw new ArgumentOutOfRangeException(nameof(evaluateEvery), $"Trainer: evaluateEvery must be at least 1, got {evaluateEvery}.");
        var sampler = new MinibatchSampler(train, BatchSize, _random);
        var run = new TrainingRun(this, train, validation, earlyStopping, evaluationLimit, iterations, evaluateEvery ?? sampler.BatchesPerEpoch);
        return Run(sampler, run, Observers(onIteration, onEpoch, observer), showProgress, cancellationToken);
    }

    private static List<ITrainingObserver> Observers(Action<IterationInfo>? onIteration, Action<EpochInfo>? onEpoch, ITrainingObserver? observer)
    {
        var observers = new List<ITrainingObserver>();
        if (onIteration is not null || onEpoch is not null) observers.Add(new CallbackObserver(onIteration, onEpoch));
        if (observer is not null) observers.Add(observer);
        return observers;
    }

    // With a console bar, the run happens while Spectre.Console draws it, and the bar is one more observer.
    private TrainingHistory Run(MinibatchSampler sampler, TrainingRun run, List<ITrainingObserver> observers,
        bool? showProgress, CancellationToken cancellationToken) =>
        ConsoleProgress.ShouldShow(showProgress)
            ? ConsoleProgress.Show($"Training {Model.Name}", run.TotalIterations, run.TotalEpochs,
                bar => Loop(sampler, run, [.. observers, bar], cancellationToken))
            : Loop(sampler, run, observers, cancellationToken);

    /// <summary>The training loop: a step per minibatch; after every epoch, an evaluation and perhaps an early stop.</summary>
    private TrainingHistory Loop(MinibatchSampler sampler, TrainingRun run, List<ITrainingObserver> observers, CancellationToken cancellationToken)
    {
        _parameters = Model.Parameters;
        using var withoutInputGradient = new InputGradientOff(Model); // nobody needs the gradient with respect to the data
        try
        {
            for (int iteration = 1; iteration <= run.TotalIterations; iteration++)
            {
                StopSignal.ThrowIfStopRequested(); // a notebook kernel's interrupt stops training between minibatches
                if (cancellationToken.IsCancellationRequested)
                {
                    run.History.Cancelled = true;
                    break;
                }
                var (x, labels) = sampler.Next();
                IterationInfo step = run.RecordIteration(iteration, TrainStep(x, labels));
                foreach (var observer in observers) observer.OnIteration(step);
                if (!run.EndsEpoch(iteration)) continue;
                EpochInfo epoch = run.EndEpoch(iteration);
                foreach (var observer in observers) observer.OnEpoch(epoch);
                if (run.StopsEarly()) break;
            }
        }
        finally
        {
            _parameters = null;
        }
        run.RestoreBestWeights();
        foreach (var observer in observers) observer.OnEnd(run.History);
        return run.History;
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
