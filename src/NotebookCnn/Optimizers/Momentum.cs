using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// SGD with momentum: a velocity v accumulates past gradients like a ball rolling downhill.
/// <code>
/// v ← μ·v − η·g
/// w ← w + v
/// </code>
/// </summary>
/// <remarks>
/// Gradients that keep pointing the same way add up (up to 1/(1 − μ) times a single step); gradients that
/// alternate in sign cancel, which damps SGD's zig-zag. v starts at zero for each parameter.
/// </remarks>
public sealed class Momentum : Optimizer
{
    private readonly Dictionary<Parameter, Tensor> _velocity = new();

    /// <summary>Creates Momentum with learning rate η and momentum μ.</summary>
    public Momentum(float learningRate = 0.01f, float momentum = 0.9f) : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"Momentum: μ must be in [0, 1), got {momentum}.");
        MomentumFactor = momentum;
    }

    /// <summary>The momentum μ: the fraction of the velocity kept from one step to the next.</summary>
    public float MomentumFactor { get; }

    /// <summary><c>v ← μ·v − η·g;  w ← w + v</c></summary>
    protected override void Update(Parameter parameter, Tensor gradient, float learningRate)
    {
        float[] w = parameter.Value.Data, g = gradient.Data, v = StateFor(_velocity, parameter).Data;
        float mu = MomentumFactor;
        ForEachChunk(w.Length, (w, g, v, mu, learningRate), static (s, start, count) =>
            UpdateChunk(s.w.AsSpan(start, count), s.g.AsSpan(start, count), s.v.AsSpan(start, count), s.mu, s.learningRate));
    }

    // Vector<float>.Count weights at a time, then the last few one by one: the same numbers as the plain loop.
    private static void UpdateChunk(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float mu, float learningRate)
    {
        Span<Vector<float>> wv = AsVectors(w), vv = AsVectors(v);
        ReadOnlySpan<Vector<float>> gv = AsVectors(g);
        for (int i = 0; i < wv.Length; i++)
        {
            vv[i] = mu * vv[i] - learningRate * gv[i];
            wv[i] += vv[i];
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            v[i] = mu * v[i] - learningRate * g[i];
            w[i] += v[i];
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        _velocity.Clear();
    }

    /// <inheritdoc />
    public override string ToString() => FormatCommon("momentum=" + Format(MomentumFactor));
}
