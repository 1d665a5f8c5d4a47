using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// Adam (Kingma and Ba, 2015): momentum (a moving average m of gradients) combined with RMSprop (a moving
/// average v of squared gradients), both corrected for starting at zero.
/// <code>
/// t ← t + 1                       (once per step, for all parameters)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g ⊙ g
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
/// w ← w − η·m̂ / (√v̂ + ε)
/// </code>
/// </summary>
/// <remarks>
/// m and v start at 0, so early on both are pulled towards 0; v more so, because its average forgets more
/// slowly (β₂ = 0.999 against β₁ = 0.9). Without the bias correction the first step would therefore be
/// too large, not too small: m / √v = (1 − β₁)·g / (√(1 − β₂)·|g|) ≈ 3.2 for the default β's (Kingma and Ba,
/// section 3). With it, the first step is m̂ / √v̂ = g / |g|: every weight moves by about η, in the
/// direction of −sign(g).
/// <para>Computed as PyTorch computes it, with the two corrections folded into numbers that are the same for
/// every weight of a step: w ← w − (η / (1 − β₁ᵗ))·m / (√v · (1/√(1 − β₂ᵗ)) + ε). That is the formula above
/// rearranged (√v̂ = √v / √(1 − β₂ᵗ)), equal up to float rounding, with one division per weight instead of
/// three: divisions and square roots are the slow instructions here, and Adam runs over every weight each step.</para>
/// </remarks>
public sealed class Adam : Optimizer
{
    /// <summary>
    /// ε = 1e-8, the value of the Adam paper (and PyTorch); Keras uses 1e-7. It only matters when √v̂ is
    /// tiny, i.e. for weights whose gradients have been almost zero.
    /// </summary>
    public const float Epsilon = 1e-8f;

    private readonly Dictionary<Parameter, Tensor> _m = new();
    private readonly Dictionary<Parameter, Tensor> _v = new();

    /// <summary>Creates Adam with learning rate η and decay rates β₁ (of m) and β₂ (of v).</summary>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f) : base(learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), $"Adam: β₁ must be in [0, 1), got {beta1}.");
        if (!(beta2 >= 0 && beta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta2), $"Adam: β₂ must be in [0, 1), got {beta2}.");
        Beta1 = beta1;
        Beta2 = beta2;
    }

    /// <summary>β₁, the decay rate of the gradient average m.</summary>
    public float Beta1 { get; }

    /// <summary>β₂, the decay rate of the squared-gradient average v.</summary>
    public float Beta2 { get; }

    /// <summary><c>m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g⊙g;  w ← w − η·m̂ / (√v̂ + ε)</c></summary>
    protected override void Update(Parameter parameter, Tensor gradient, float learningRate)
    {
        float[] w = parameter.Value.Data, g = gradient.Data;
        float[] m = StateFor(_m, parameter).Data, v = StateFor(_v, parameter).Data;
        float b1 = Beta1, b2 = Beta2;
        // t counts calls of Step (not parameters), so every parameter shares one bias correction.
        // Dividing by (1 − βᵗ) undoes the pull towards the zero start of m and v.
        int t = StepCount;
        float stepSize = learningRate / (1 - MathF.Pow(b1, t));           // η / (1 − β₁ᵗ)
        float inverseSqrtCorrection2 = 1 / MathF.Sqrt(1 - MathF.Pow(b2, t)); // 1 / √(1 − β₂ᵗ)
        ForEachChunk(w.Length, (w, g, m, v, b1, b2, stepSize, inverseSqrtCorrection2), static (s, start, count) => UpdateChunk(
            s.w.AsSpan(start, count), s.g.AsSpan(start, count), s.m.AsSpan(start, count), s.v.AsSpan(start, count),
            s.b1, s.b2, s.stepSize, s.inverseSqrtCorrection2));
    }

    // The formula on Vector<float>.Count weights at a time, then on the last few one by one: the same
    // operations in the same order, so the same numbers as the plain loop.
    private static void UpdateChunk(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float b1, float b2, float stepSize, float inverseSqrtCorrection2)
    {
        Span<Vector<float>> wv = AsVectors(w), mv = AsVectors(m), vv = AsVectors(v);
        ReadOnlySpan<Vector<float>> gv = AsVectors(g);
        var epsilon = new Vector<float>(Epsilon);
        for (int i = 0; i < wv.Length; i++)
        {
            mv[i] = b1 * mv[i] + (1 - b1) * gv[i];
            vv[i] = b2 * vv[i] + (1 - b2) * gv[i] * gv[i];
            wv[i] -= stepSize * mv[i] / (Vector.SquareRoot(vv[i]) * inverseSqrtCorrection2 + epsilon);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            w[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) * inverseSqrtCorrection2 + Epsilon);
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        _m.Clear();
        _v.Clear();
    }

    /// <inheritdoc />
    public override string ToString() => FormatCommon($"beta1={Format(Beta1)}, beta2={Format(Beta2)}");
}
