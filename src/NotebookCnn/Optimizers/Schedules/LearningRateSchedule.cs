using System.Globalization;

namespace NotebookCnn;

/// <summary>
/// A learning rate that changes with the step number t = 0, 1, 2, … (one step = one minibatch update).
/// Set it as <see cref="Optimizer.Schedule"/>; <see cref="Sample"/> gives the curve to plot.
/// </summary>
/// <example>
/// <code>
/// var adam = new Adam { Schedule = LearningRateSchedule.WarmUp(LearningRateSchedule.Cosine(1e-3f, totalSteps: 2000), warmUpSteps: 100) };
/// float[] curve = adam.Schedule.Sample(2100);
/// </code>
/// </example>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate at step <paramref name="step"/> (counting from 0).</summary>
    public abstract float At(int step);

    /// <summary>The learning rates of steps 0 … <paramref name="steps"/> − 1, e.g. for a plot.</summary>
    public float[] Sample(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var values = new float[steps];
        for (int t = 0; t < steps; t++) values[t] = At(t);
        return values;
    }

    /// <summary>η at every step.</summary>
    public static LearningRateSchedule Constant(float learningRate) => new ConstantSchedule(learningRate);

    /// <summary>η·γ^⌊t / stepSize⌋: multiply by <paramref name="factor"/> every <paramref name="stepSize"/> steps.</summary>
    public static LearningRateSchedule Step(float initial, int stepSize, float factor = 0.1f) => new StepSchedule(initial, stepSize, factor);

    /// <summary>η·γ^(t / decaySteps): a smooth decay by <paramref name="factor"/> every <paramref name="decaySteps"/> steps.</summary>
    public static LearningRateSchedule Exponential(float initial, float factor, int decaySteps = 1) => new ExponentialSchedule(initial, factor, decaySteps);

    /// <summary>Half a cosine from η down to <paramref name="minimum"/> over <paramref name="totalSteps"/> steps, then flat.</summary>
    public static LearningRateSchedule Cosine(float initial, int totalSteps, float minimum = 0f) => new CosineSchedule(initial, totalSteps, minimum);

    /// <summary>A linear ramp over <paramref name="warmUpSteps"/> steps up to where <paramref name="after"/> starts, then <paramref name="after"/>.</summary>
    public static LearningRateSchedule WarmUp(LearningRateSchedule after, int warmUpSteps) => new WarmUpSchedule(after, warmUpSteps);

    /// <summary>Formats a number for <see cref="object.ToString"/>.</summary>
    protected static string Format(float value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Throws unless <paramref name="value"/> is a finite number ≥ 0.</summary>
    protected static float RequireRate(float value, string name, string schedule)
    {
        if (!(value >= 0) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, $"{schedule}: {name} must be a finite number ≥ 0, got {value}.");
        return value;
    }

    /// <summary>Throws unless <paramref name="value"/> ≥ 1.</summary>
    protected static int RequireSteps(int value, string name, string schedule)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, $"{schedule}: {name} must be at least 1, got {value}.");
        return value;
    }
}
