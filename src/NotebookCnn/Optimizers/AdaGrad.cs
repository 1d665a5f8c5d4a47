using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// AdaGrad (Duchi, Hazan and Singer, 2011): each weight gets its own learning rate, which shrinks as the
/// squared gradients of that weight add up.
/// <code>
/// h ← h + g ⊙ g
/// w ← w − η·g / (√h + ε)
/// </code>
/// </summary>
/// <remarks>
/// Weights with large past gradients take small steps, rarely-updated weights larger ones. Because h only
/// grows, the steps shrink towards zero over a long run; <see cref="RmsProp"/> forgets old gradients instead.
/// </remarks>
public sealed class AdaGrad : Optimizer
{
    /// <summary>
    /// ε = 1e-7 keeps the division finite while h is still 0 (the value Keras uses; some references write
    /// it as <c>1e-7</c> but type <c>10e-7</c>, which is 1e-6).
    /// </summary>
    public const float Epsilon = 1e-7f;

    private readonly Dictionary<Parameter, Tensor> _squaredSum = new();

    /// <summary>Creates AdaGrad with learning rate η.</summary>
    public AdaGrad(float learningRate = 0.01f) : base(learningRate) { }

    /// <summary><c>h ← h + g⊙g;  w ← w − η·g / (√h + ε)</c></summary>
    protected override void Update(Parameter parameter, Tensor gradient, float learningRate)
    {
        float[] w = parameter.Value.Data, g = gradient.Data, h = StateFor(_squaredSum, parameter).Data;
        ForEachChunk(w.Length, (w, g, h, learningRate), static (s, start, count) =>
            UpdateChunk(s.w.AsSpan(start, count), s.g.AsSpan(start, count), s.h.AsSpan(start, count), s.learningRate));
    }

    // Vector<float>.Count weights at a time, then the last few one by one: the same numbers as the plain loop.
    private static void UpdateChunk(Span<float> w, ReadOnlySpan<float> g, Span<float> h, float learningRate)
    {
        Span<Vector<float>> wv = AsVectors(w), hv = AsVectors(h);
        ReadOnlySpan<Vector<float>> gv = AsVectors(g);
        var epsilon = new Vector<float>(Epsilon);
        for (int i = 0; i < wv.Length; i++)
        {
            hv[i] += gv[i] * gv[i];
            wv[i] -= learningRate * gv[i] / (Vector.SquareRoot(hv[i]) + epsilon);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            h[i] += g[i] * g[i];
            w[i] -= learningRate * g[i] / (MathF.Sqrt(h[i]) + Epsilon);
        }
    }

    /// <inheritdoc />
    public override void Reset()
    {
        base.Reset();
        _squaredSum.Clear();
    }

    /// <inheritdoc />
    public override string ToString() => FormatCommon("");
}
