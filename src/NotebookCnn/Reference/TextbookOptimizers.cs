namespace NotebookCnn.Reference;

/// <summary>
/// Every update rule of chapter 06 in textbook form, one weight at a time: w is a parameter's values, g its
/// gradient, and the state arrays (v, h, m) are the optimizer's memory for that parameter, zeros before the
/// first step. The references for <see cref="Sgd"/>, <see cref="Momentum"/>, <see cref="Nesterov"/>,
/// <see cref="AdaGrad"/>, <see cref="RmsProp"/> and <see cref="Adam"/> (which also clip and decay the
/// gradient first, and count Adam's t for you).
/// </summary>
public static class TextbookOptimizers
{
    /// <summary>SGD: w ← w − η·g.</summary>
    public static void SgdStep(float[] w, float[] g, float learningRate)
    {
        Shapes.RequireSameLength(w, g, nameof(g), "SgdStep");
        for (int i = 0; i < w.Length; i++) w[i] -= learningRate * g[i];
    }

    /// <summary>Momentum: v ← μ·v − η·g; w ← w + v.</summary>
    public static void MomentumStep(float[] w, float[] g, float[] v, float learningRate, float momentum = 0.9f)
    {
        Shapes.RequireSameLength(w, g, nameof(g), "MomentumStep");
        Shapes.RequireSameLength(w, v, nameof(v), "MomentumStep");
        for (int i = 0; i < w.Length; i++)
        {
            v[i] = momentum * v[i] - learningRate * g[i];
            w[i] += v[i];
        }
    }

    /// <summary>Nesterov, as chapter 06 writes it: v ← μ·v − η·g; w ← w + μ·v − η·g (the new v: one velocity step ahead).</summary>
    public static void NesterovStep(float[] w, float[] g, float[] v, float learningRate, float momentum = 0.9f)
    {
        Shapes.RequireSameLength(w, g, nameof(g), "NesterovStep");
        Shapes.RequireSameLength(w, v, nameof(v), "NesterovStep");
        for (int i = 0; i < w.Length; i++)
        {
            v[i] = momentum * v[i] - learningRate * g[i];
            w[i] += momentum * v[i] - learningRate * g[i];
        }
    }

    /// <summary>AdaGrad: h ← h + g·g; w ← w − η·g / (√h + ε).</summary>
    public static void AdaGradStep(float[] w, float[] g, float[] h, float learningRate)
    {
        Shapes.RequireSameLength(w, g, nameof(g), "AdaGradStep");
        Shapes.RequireSameLength(w, h, nameof(h), "AdaGradStep");
        for (int i = 0; i < w.Length; i++)
        {
            h[i] += g[i] * g[i];
            w[i] -= learningRate * g[i] / (MathF.Sqrt(h[i]) + AdaGrad.Epsilon);
        }
    }

    /// <summary>RMSprop: h ← ρ·h + (1 − ρ)·g·g; w ← w − η·g / (√h + ε).</summary>
    public static void RmsPropStep(float[] w, float[] g, float[] h, float learningRate, float decayRate = 0.99f)
    {
        Shapes.RequireSameLength(w, g, nameof(g), "RmsPropStep");
        Shapes.RequireSameLength(w, h, nameof(h), "RmsPropStep");
        for (int i = 0; i < w.Length; i++)
        {
            h[i] = decayRate * h[i] + (1 - decayRate) * g[i] * g[i];
            w[i] -= learningRate * g[i] / (MathF.Sqrt(h[i]) + RmsProp.Epsilon);
        }
    }

    /// <summary>
    /// Adam at step t (1 for the first step): m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g·g;
    /// m̂ = m / (1 − β₁ᵗ); v̂ = v / (1 − β₂ᵗ); w ← w − η·m̂ / (√v̂ + ε).
    /// </summary>
    public static void AdamStep(float[] w, float[] g, float[] m, float[] v, int t, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f)
    {
        Shapes.RequireSameLength(w, g, nameof(g), "AdamStep");
        Shapes.RequireSameLength(w, m, nameof(m), "AdamStep");
        Shapes.RequireSameLength(w, v, nameof(v), "AdamStep");
        if (t < 1) throw new ArgumentOutOfRangeException(nameof(t), t, $"AdamStep counts steps from t = 1, got t = {t}.");
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            float mHat = m[i] / (1 - MathF.Pow(beta1, t));
            float vHat = v[i] / (1 - MathF.Pow(beta2, t));
            w[i] -= learningRate * mHat / (MathF.Sqrt(vHat) + Adam.Epsilon);
        }
    }
}
