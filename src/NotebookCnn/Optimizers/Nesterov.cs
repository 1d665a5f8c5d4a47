using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// Nesterov's accelerated gradient: momentum that also looks ahead by one velocity step.
/// <code>
/// v ← μ·v − η·g
/// w ← w + μ·v − η·g
/// </code>
/// </summary>
/// <remarks>
/// This is the form of Bengio, Boulanger-Lewandowski and Pascanu (2013, "Advances in optimizing recurrent
/// networks"), in which the gradient is taken at the stored weights rather than at a look-ahead point.
/// PyTorch's <c>nesterov=True</c> takes the same steps only while the learning rate is constant: it keeps the
/// velocity without η (b ← μ·b + g, w ← w − η·(g + μ·b)), so under a schedule, where η changes from step to
/// step, its past velocity is scaled by the new η and the paths differ. Compared with <see cref="Momentum"/> the step adds
/// μ·v − η·g instead of v, so a velocity heading the wrong way is corrected one step sooner.
/// </remarks>
public sealed class Nesterov : Optimizer
{
    private readonly Dictionary<Parameter, Tensor> _velocity = new();

    /// <summary>Creates Nesterov momentum with learning rate η and momentum μ.</summary>
    public Nesterov(float learningRate = 0.01f, float momentum = 0.9f) : base(learningRate)
    {
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"Nesterov: μ must be in [0, 1), got {momentum}.");
        MomentumFactor = momentum;
    }

    /// <summary>The momentum μ.</summary>
    public float MomentumFactor { get; }

    /// <summary><c>v ← μ·v − η·g;  w ← w + μ·v − η·g</c></summary>
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
            wv[i] += mu * vv[i] - learningRate * gv[i];
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            v[i] = mu * v[i] - learningRate * g[i];
            w[i] += mu * v[i] - learningRate * g[i];
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
