using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NotebookCnn;

/// <summary>
/// The base of every optimizer: it moves each <see cref="Parameter"/> against its gradient.
/// <see cref="Step(IEnumerable{Parameter})"/> prepares the gradient (clipping, weight decay) and then
/// calls <see cref="Update"/>, the one method where each optimizer writes its formula.
/// </summary>
/// <remarks>
/// <para>Optimizers see only parameters, never layers. State such as Momentum's velocity is kept per
/// parameter in a dictionary keyed by the <see cref="Parameter"/> object, created on its first step.</para>
/// <para>Order inside one step, for the gradients g of all parameters:</para>
/// <list type="number">
/// <item>Clipping (when <see cref="MaxGradientNorm"/> is set): if the global norm ‖g‖ = √(Σ over all
/// parameters of Σ g²) exceeds the maximum c, every gradient is scaled by c / ‖g‖, so the direction is kept.</item>
/// <item>Weight decay λ (L2 regularisation, the penalty ½·λ·‖w‖² added to the loss): g ← g + λ·w, for
/// weights only (<see cref="Parameter.IsWeight"/>); biases and BatchNorm's γ, β are not decayed.</item>
/// <item><see cref="Update"/> with the learning rate η of this step.</item>
/// </list>
/// <para>The parameter's own <see cref="Parameter.Gradient"/> is never changed: the prepared gradient is a
/// separate tensor, reused from step to step.</para>
/// </remarks>
public abstract class Optimizer
{
    private readonly Dictionary<Parameter, Tensor> _preparedGradients = new();
    private float _learningRate;
    private float _weightDecay;
    private float? _maxGradientNorm;

    /// <summary>Creates an optimizer with learning rate η = <paramref name="learningRate"/>.</summary>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>
    /// The learning rate η. When a <see cref="Schedule"/> is set, the schedule decides η for each step and this
    /// property shows the rate used by the latest step.
    /// </summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || float.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), $"{GetType().Name}: the learning rate must be a finite number ≥ 0, got {value}.");
            _learningRate = value;
        }
    }

    /// <summary>The L2 weight decay λ added to the gradient of weights (g ← g + λ·w); 0 turns it off.</summary>
    public float WeightDecay
    {
        get => _weightDecay;
        set
        {
            if (!(value >= 0) || float.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), $"{GetType().Name}: weight decay must be a finite number ≥ 0, got {value}.");
            _weightDecay = value;
        }
    }

    /// <summary>Clip the global gradient norm to this value before each step; <c>null</c> (the default) turns clipping off.</summary>
    public float? MaxGradientNorm
    {
        get => _maxGradientNorm;
        set
        {
            if (value is { } c && !(c > 0))
                throw new ArgumentOutOfRangeException(nameof(value), $"{GetType().Name}: the maximum gradient norm must be > 0 (or null for no clipping), got {c}.");
            _maxGradientNorm = value;
        }
    }

    /// <summary>An optional learning-rate schedule: step t (counting from 0) uses η = <c>Schedule.At(t)</c>.</summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>How many times <see cref="Step(IEnumerable{Parameter})"/> has run, counting the step in progress
    /// (the t of Adam's bias correction: 1 during the first step).</summary>
    public int StepCount { get; private set; }

    /// <summary>The global gradient norm before clipping, measured by the latest step (0 before the first).</summary>
    public float LastGradientNorm { get; private set; }

    /// <summary>Updates every parameter once, using the gradients stored in them.</summary>
    public void Step(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters as IReadOnlyList<Parameter> ?? parameters.ToList();
        if (Schedule is not null) LearningRate = Schedule.At(StepCount);
        StepCount++;

        float scale = ClippingScale(list);
        for (int i = 0; i < list.Count; i++)
        {
            Parameter p = list[i];
            Tensor g = PrepareGradient(p, scale);
            Update(p, g, LearningRate);
        }
    }

    /// <summary>Updates one parameter, e.g. a point (x, y) whose gradient was written by hand.</summary>
    public void Step(Parameter parameter) => Step(new[] { parameter });

    /// <summary>Updates every learnable parameter of <paramref name="model"/>.</summary>
    public void Step(Layer model) => Step(model.Parameters);

    /// <summary>Forgets all state (velocities, squared-gradient sums, Adam's moments) and sets the step counter to 0.</summary>
    public virtual void Reset()
    {
        StepCount = 0;
        LastGradientNorm = 0;
        _preparedGradients.Clear();
    }

    /// <summary>
    /// The update rule: move <paramref name="parameter"/>'s value using the prepared gradient
    /// <paramref name="gradient"/> (already clipped and weight-decayed) and the learning rate η.
    /// </summary>
    protected abstract void Update(Parameter parameter, Tensor gradient, float learningRate);

    /// <summary>The state tensor of <paramref name="parameter"/> in <paramref name="states"/>, created as zeros on first use.</summary>
    protected static Tensor StateFor(Dictionary<Parameter, Tensor> states, Parameter parameter)
    {
        if (!states.TryGetValue(parameter, out var state))
        {
            state = parameter.Value.ZerosLike();
            states.Add(parameter, state);
        }
        return state;
    }

    /// <summary>
    /// Runs <paramref name="update"/>(state, start, count) over the values [0, length) of one parameter: in one call for
    /// most parameters, in chunks on all cores for large ones (e.g. a 4320×100 weight matrix). Every value is
    /// updated by itself, so the numbers do not depend on how the values are split.
    /// </summary>
    /// <remarks>The update is a <c>static</c> lambda that gets its arrays and numbers through <paramref name="state"/>,
    /// so a step allocates nothing (see <see cref="ParallelWork"/>).</remarks>
    private protected static void ForEachChunk<TState>(int length, TState state, Action<TState, int, int> update) =>
        ParallelLoops.For(length, state, update);

    /// <summary>The whole vectors at the start of a span (<see cref="Vector{T}.Count"/> values each); the caller finishes the rest one by one.</summary>
    private protected static Span<Vector<float>> AsVectors(Span<float> values) => MemoryMarshal.Cast<float, Vector<float>>(values);

    /// <inheritdoc cref="AsVectors(Span{float})"/>
    private protected static ReadOnlySpan<Vector<float>> AsVectors(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, Vector<float>>(values);

    private float ClippingScale(IReadOnlyList<Parameter> parameters)
    {
        // The same blocks in the same order on every run, so the result is the same on every run.
        double sumOfSquares = 0;
        for (int i = 0; i < parameters.Count; i++) sumOfSquares += SumOfSquares(parameters[i].Gradient.Data);
        double norm = Math.Sqrt(sumOfSquares);
        LastGradientNorm = (float)norm;
        if (MaxGradientNorm is { } max && norm > max) return (float)(max / norm);
        return 1f;
    }

    // Σ g², measured every step (for LastGradientNorm), so it must be cheap: squares summed in float vector lanes
    // over blocks of BlockVectors vectors, and each block's total added in double. A float sum of a few hundred
    // squares per lane loses about 1e-5 of its value at most; the double keeps long parameters from losing more.
    private const int BlockVectors = 128;

    private static double SumOfSquares(float[] values)
    {
        ReadOnlySpan<Vector<float>> vectors = AsVectors((ReadOnlySpan<float>)values);
        double sum = 0;
        for (int start = 0; start < vectors.Length; start += BlockVectors)
        {
            var lanes = Vector<float>.Zero;
            for (int i = start, end = Math.Min(vectors.Length, start + BlockVectors); i < end; i++)
                lanes += vectors[i] * vectors[i];
            sum += Vector.Sum(lanes);
        }
        for (int i = vectors.Length * Vector<float>.Count; i < values.Length; i++) sum += (double)values[i] * values[i];
        return sum;
    }

    private Tensor PrepareGradient(Parameter p, float scale)
    {
        bool decay = WeightDecay > 0 && p.IsWeight;
        if (!decay && scale == 1f) return p.Gradient;

        Tensor g = StateFor(_preparedGradients, p);
        float[] raw = p.Gradient.Data, w = p.Value.Data, result = g.Data;
        float lambda = decay ? WeightDecay : 0f;
        ForEachChunk(result.Length, (raw, w, scale, lambda, result), static (s, start, count) =>
            ScaleAndDecay(s.raw.AsSpan(start, count), s.w.AsSpan(start, count), s.scale, s.lambda, s.result.AsSpan(start, count)));
        return g;
    }

    // result = scale·g + λ·w, vectorised (same numbers as the plain loop).
    private static void ScaleAndDecay(ReadOnlySpan<float> g, ReadOnlySpan<float> w, float scale, float lambda, Span<float> result)
    {
        Span<Vector<float>> rv = AsVectors(result);
        ReadOnlySpan<Vector<float>> gv = AsVectors(g), wv = AsVectors(w);
        for (int i = 0; i < rv.Length; i++) rv[i] = scale * gv[i] + lambda * wv[i];
        for (int i = rv.Length * Vector<float>.Count; i < result.Length; i++) result[i] = scale * g[i] + lambda * w[i];
    }

    /// <summary>Formats the settings shared by all optimizers, for <see cref="object.ToString"/>.</summary>
    protected string FormatCommon(string specific)
    {
        var parts = new List<string> { "lr=" + Format(LearningRate) };
        if (specific.Length > 0) parts.Add(specific);
        if (WeightDecay > 0) parts.Add("weightDecay=" + Format(WeightDecay));
        if (MaxGradientNorm is { } c) parts.Add("maxGradientNorm=" + Format(c));
        if (Schedule is not null) parts.Add("schedule=" + Schedule);
        return $"{GetType().Name}({string.Join(", ", parts)})";
    }

    /// <summary>A number as the messages of this library show it (invariant culture, short).</summary>
    protected static string Format(float value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
