namespace NotebookCnn;

/// <summary>
/// Linear warm-up in front of another schedule: the rate climbs from small to the other schedule's start,
/// which keeps the first, noisy steps (and Adam's first, still unreliable moment estimates) from throwing
/// the weights far away.
/// <code>
/// η(t) = after(0) · (t + 1) / W      for t &lt; W
/// η(t) = after(t − W)                 for t ≥ W
/// </code>
/// </summary>
/// <remarks>The other schedule starts after the warm-up, so its own step 0 is step W here.
/// The ramp uses t + 1 so that the very first step is not a wasted step of size 0.</remarks>
public sealed class WarmUpSchedule : LearningRateSchedule
{
    /// <summary>Creates a warm-up of <paramref name="warmUpSteps"/> steps W before <paramref name="after"/>.</summary>
    public WarmUpSchedule(LearningRateSchedule after, int warmUpSteps)
    {
        ArgumentNullException.ThrowIfNull(after);
        After = after;
        WarmUpSteps = RequireSteps(warmUpSteps, nameof(warmUpSteps), nameof(WarmUpSchedule));
    }

    /// <summary>The schedule that follows the warm-up.</summary>
    public LearningRateSchedule After { get; }

    /// <summary>W, the length of the ramp.</summary>
    public int WarmUpSteps { get; }

    /// <summary>η(t) = after(0)·(t + 1)/W while t &lt; W, then after(t − W).</summary>
    public override float At(int step) =>
        step < WarmUpSteps
            ? After.At(0) * (Math.Max(0, step) + 1) / WarmUpSteps
            : After.At(step - WarmUpSteps);

    /// <inheritdoc />
    public override string ToString() => $"WarmUp({WarmUpSteps} steps, then {After})";
}
