namespace NotebookCnn;

/// <summary>The same learning rate at every step: η(t) = η.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <summary>Creates a constant schedule.</summary>
    public ConstantSchedule(float learningRate) => LearningRate = RequireRate(learningRate, nameof(learningRate), nameof(ConstantSchedule));

    /// <summary>The learning rate η.</summary>
    public float LearningRate { get; }

    /// <summary>η(t) = η</summary>
    public override float At(int step) => LearningRate;

    /// <inheritdoc />
    public override string ToString() => $"Constant({Format(LearningRate)})";
}
