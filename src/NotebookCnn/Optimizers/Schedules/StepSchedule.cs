namespace NotebookCnn;

/// <summary>
/// Step decay: the learning rate drops by a factor every few steps.
/// <code>η(t) = η₀ · γ^⌊t / stepSize⌋</code>
/// </summary>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Creates a step schedule starting at η₀ = <paramref name="initial"/>, multiplied by γ = <paramref name="factor"/> every <paramref name="stepSize"/> steps.</summary>
    public StepSchedule(float initial, int stepSize, float factor = 0.1f)
    {
        Initial = RequireRate(initial, nameof(initial), nameof(StepSchedule));
        StepSize = RequireSteps(stepSize, nameof(stepSize), nameof(StepSchedule));
        Factor = RequireRate(factor, nameof(factor), nameof(StepSchedule));
    }

    /// <summary>η₀, the rate of the first steps.</summary>
    public float Initial { get; }

    /// <summary>How many steps pass between two drops.</summary>
    public int StepSize { get; }

    /// <summary>γ, the factor of each drop.</summary>
    public float Factor { get; }

    /// <summary>η(t) = η₀ · γ^⌊t / stepSize⌋</summary>
    public override float At(int step) => (float)(Initial * Math.Pow(Factor, Math.Max(0, step) / StepSize));

    /// <inheritdoc />
    public override string ToString() => $"Step({Format(Initial)}, ×{Format(Factor)} every {StepSize})";
}
