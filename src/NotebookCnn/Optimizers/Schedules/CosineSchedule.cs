namespace NotebookCnn;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter, 2017, without restarts): slow at first, fast in the middle,
/// slow again near the end.
/// <code>η(t) = η_min + ½·(η₀ − η_min)·(1 + cos(π · min(t, T) / T))</code>
/// </summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Creates a cosine schedule from η₀ = <paramref name="initial"/> to <paramref name="minimum"/> over T = <paramref name="totalSteps"/> steps.</summary>
    public CosineSchedule(float initial, int totalSteps, float minimum = 0f)
    {
        Initial = RequireRate(initial, nameof(initial), nameof(CosineSchedule));
        TotalSteps = RequireSteps(totalSteps, nameof(totalSteps), nameof(CosineSchedule));
        Minimum = RequireRate(minimum, nameof(minimum), nameof(CosineSchedule));
    }

    /// <summary>η₀, the rate at step 0.</summary>
    public float Initial { get; }

    /// <summary>T, the step at which the minimum is reached (and kept afterwards).</summary>
    public int TotalSteps { get; }

    /// <summary>η_min, the final rate.</summary>
    public float Minimum { get; }

    /// <summary>η(t) = η_min + ½·(η₀ − η_min)·(1 + cos(π · min(t, T) / T))</summary>
    public override float At(int step)
    {
        double progress = Math.Clamp(step, 0, TotalSteps) / (double)TotalSteps;
        return (float)(Minimum + 0.5 * (Initial - Minimum) * (1 + Math.Cos(Math.PI * progress)));
    }

    /// <inheritdoc />
    public override string ToString() => $"Cosine({Format(Initial)} → {Format(Minimum)} over {TotalSteps})";
}
