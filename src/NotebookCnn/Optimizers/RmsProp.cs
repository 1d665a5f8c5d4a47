using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// RMSprop (Hinton, Coursera lecture 6e, 2012): like <see cref="AdaGrad"/>, but h is a moving average of
/// squared gradients, so old gradients are forgotten and the steps do not shrink to zero.
/// <code>
/// h ← ρ·h + (1 − ρ)·g ⊙ g
/// w ← w − η·g / (√h + ε)
/// </code>
/// </summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>ε = 1e-7 keeps the division finite while h is still near 0 (as in <see cref="AdaGrad"/>).</summary>
    public const float Epsilon = 1e-7f;

    private readonly Dictionary<Parameter, Tensor> _squaredAverage = new();

    /// <summary>Creates RMSprop with learning rate η and decay rate ρ.</summary>
    public RmsProp(float learningRate = 0.01f, float decayRate = 0.99f) : base(learningRate)
    {
        if (!(decayRate >= 0 && decayRate < 1))
            throw new ArgumentOutOfRangeException(nameof(decayRate), $"RmsProp: ρ must be in [0, 1), got {decayRate}.");
        DecayRate = decayRate;
    }

    /// <summary>The decay rate ρ of the moving average (0.99 keeps roughly the last 100 steps).</summary>
    public float DecayRate { get; }

    /// <summary><c>h ← ρ·h + (1 − ρ)·g⊙g;  w ← w − η·g / (√h + ε)</c></summary>
    protected override void Update(Parameter parameter, Tensor gradient, float learningRate)
    {
        float[] w = parameter.Value.Data, g = gradient.Data, h = StateFor(_squaredAverage, parameter).Data;
        float rho = DecayRate;
        ForEachChunk(w.Length, (w, g, h, rho, learningRate), static (s, start, count) =>
            UpdateChunk(s.w.AsSpan(start, count), s.g.AsSpan(start, count), s.h.AsSpan(start, count), s.rho, s.learningRate));
    }

    // Vector<float>.Count weights at a time, then the last few one by one: the same numbers as the plain loop.
    private static void UpdateChunk(Span<float> w, ReadOnlySpan<float> g, Span<float> h, float rho, float learningRate)
    {
        Span<Vector<float>> wv = AsVectors(w), hv = AsVectors(h);
        ReadOnlySpan<Vector<float>> gv = AsVectors(g);
        var epsilon = new Vector<float>(Epsilon);
        for (int i = 0; i < wv.Length; i++)
        {
            hv[i] = rho * hv[i] + (1 - rho) * gv[i] * gv[i];
            wv[i] -= learningRate * gv[i] / (Vector.SquareRoot(hv[i]) + epsilon);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            h[i] = rho * h[i] + (1 - rho) * g[i] * g[i];
            w[i] -= learningRate * g[i] / (MathF.Sqrt(h[i]) + Epsilon);
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        _squaredAverage.Clear();
    }

    /// <inheritdoc />
    public override string ToString() => FormatCommon("decayRate=" + Format(DecayRate));
}
