using System.Diagnostics;

namespace NotebookCnn;

/// <summary>
/// The bookkeeping of one training run, kept out of <see cref="Trainer"/>'s loop: the history, the clock, the divergence
/// check, each epoch's evaluation and early stopping (the best epoch so far and, if asked, a copy of its weights).
/// </summary>
internal sealed class TrainingRun
{
    private readonly Trainer _trainer;
    private readonly Dataset _train;
    private readonly Dataset? _validation;
    private readonly EarlyStopping? _earlyStopping;
    private readonly int? _evaluationLimit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private float? _lastFiniteLoss;
    private float _bestValue = float.NaN;
    private int _epochsSinceBest;
    private ModelSnapshot? _best;

    public TrainingRun(Trainer trainer, Dataset train, Dataset? validation, EarlyStopping? earlyStopping, int? evaluationLimit,
        int totalIterations, int evaluateEvery)
    {
        var monitor = earlyStopping?.Monitor
            ?? (validation is null ? EarlyStoppingMonitor.TrainLoss : EarlyStoppingMonitor.ValidationLoss);
        if (validation is null && monitor != EarlyStoppingMonitor.TrainLoss)
            throw new ArgumentException(
                $"Early stopping monitors {monitor}, but no validation set was given: pass validation: … to Fit, or monitor TrainLoss.",
                nameof(validation));
        (_trainer, _train, _validation, _earlyStopping, _evaluationLimit) = (trainer, train, validation, earlyStopping, evaluationLimit);
        (TotalIterations, EvaluateEvery) = (totalIterations, evaluateEvery);
        TotalEpochs = (totalIterations + evaluateEvery - 1) / evaluateEvery;
        History = new TrainingHistory { Monitor = monitor };
    }

    public TrainingHistory History { get; }
    public int TotalIterations { get; }
    public int TotalEpochs { get; }
    public int EvaluateEvery { get; }

    /// <summary>The epoch (from 1) that <paramref name="iteration"/> (from 1) belongs to.</summary>
    public int EpochOf(int iteration) => (iteration - 1) / EvaluateEvery + 1;

    /// <summary>Whether an evaluation follows <paramref name="iteration"/>: every <see cref="EvaluateEvery"/> iterations and after the last.</summary>
    public bool EndsEpoch(int iteration) => iteration % EvaluateEvery == 0 || iteration == TotalIterations;

    /// <summary>Records one iteration's loss, or throws <see cref="TrainingDivergedException"/> if it is NaN or infinite.</summary>
    public IterationInfo RecordIteration(int iteration, float loss)
    {
        float learningRate = _trainer.Optimizer.LearningRate;
        if (!float.IsFinite(loss))
            throw new TrainingDivergedException(iteration, EpochOf(iteration), loss, _lastFiniteLoss, learningRate, History);
        _lastFiniteLoss = loss;
        History.AddIteration(loss, learningRate);
        return new IterationInfo(iteration, TotalIterations, EpochOf(iteration), loss, learningRate, _clock.Elapsed.TotalSeconds);
    }

    /// <summary>Evaluates the model in inference mode on the training (and validation) set and tracks the best epoch.</summary>
    public EpochInfo EndEpoch(int iteration)
    {
        int epoch = EpochOf(iteration);
        var (model, loss, batchSize) = (_trainer.Model, _trainer.Loss, _trainer.BatchSize);
        var (trainLoss, trainAccuracy) = Evaluation.Evaluate(model, loss, _train, batchSize, _evaluationLimit);
        float? validationLoss = null, validationAccuracy = null;
        if (_validation is not null)
        {
            var (vl, va) = Evaluation.Evaluate(model, loss, _validation, batchSize, _evaluationLimit);
            (validationLoss, validationAccuracy) = (vl, va);
        }
        History.AddEpoch(trainLoss, trainAccuracy, validationLoss, validationAccuracy, _clock.Elapsed.TotalSeconds);

        float value = History.MonitoredValue(epoch);
        bool isBest = EarlyStopping.Improves(History.Monitor, value, _bestValue, _earlyStopping?.MinDelta ?? 0f);
        if (isBest)
        {
            (_bestValue, History.BestEpoch, _epochsSinceBest) = (value, epoch, 0);
            if (_earlyStopping is { RestoreBestWeights: true }) _best = ModelSnapshot.Capture(model);
        }
        else
        {
            _epochsSinceBest++;
        }
        return new EpochInfo(epoch, TotalEpochs, iteration, trainLoss, trainAccuracy,
            validationLoss, validationAccuracy, _clock.Elapsed.TotalSeconds, isBest, History);
    }

    /// <summary>After an epoch's observers: whether early stopping ends the run now (its patience ran out); records it in the history.</summary>
    public bool StopsEarly() =>
        History.StoppedEarly = _earlyStopping is not null && _epochsSinceBest >= _earlyStopping.Patience;

    /// <summary>At the end of the run: puts the best epoch's weights back if early stopping kept them.</summary>
    public void RestoreBestWeights()
    {
        if (_best is null) return;
        _best.RestoreTo(_trainer.Model);
        History.RestoredBestWeights = true;
    }
}
