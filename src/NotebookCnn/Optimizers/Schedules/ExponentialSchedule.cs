namespace NotebookCnn;

/// <summary>
/// Exponential decay: a smooth version of <see cref="StepSchedule"/>.
/// <code>η(t) = η₀ · γ^(t / decaySteps)</code>
/// </summary>
public sealed class ExponentialSchedule : LearningRateSchedule
{
    /// <summary>Creates an exponential schedule that is multiplied by γ = <paramref name="factor"/> over every <paramref name="decaySteps"/> steps.</summary>
    public ExponentialSchedule(float initial, float factor, int decaySteps = 1)
    {
        Initial = RequireRate(initial, nameof(initial), nameof(ExponentialSchedule));
        Factor = RequireRate(factor, nameof(factor), nameof(ExponentialSchedule));
        DecaySteps = RequireSteps(decaySteps, nameof(decaySteps), nameof(ExponentialSchedule));
    }

    /// <summary>η₀, the rate at step 0.</summary>
    public float Initial { get; }

    /// <summary>γ, the factor applied over <see cref="DecaySteps"/> steps.</summary>
    public float Factor { get; }

    /// <summary>The number of steps over which the rate is multiplied by γ.</summary>
    public int DecaySteps { get; }

    /// <summary>η(t) = η₀ · γ^(t / decaySteps)</summary>
    public override float At(int step) => (float)(Initial * Math.Pow(Factor, (double)Math.Max(0, step) / DecaySteps));

    /// <inheritdoc />
    public override string ToString() => $"Exponential({Format(Initial)}, ×{Format(Factor)} per {DecaySteps})";
}
