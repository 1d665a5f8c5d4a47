namespace NotebookCnn.Reference;

/// <summary>
/// Batch normalisation in training mode, step by step (Ioffe &amp; Szegedy 2015, algorithm 1):
/// μ = mean(x), σ² = mean((x − μ)²), x̂ = (x − μ) / √(σ² + ε), y = γ · x̂ + β, per feature of x [N, D]
/// or per channel of x [N, C, H, W] (over the m = N·H·W values of that channel). The reference for <see cref="BatchNorm"/>.
/// </summary>
public static class NaiveBatchNorm
{
    /// <summary>y = γ · (x − μ) / √(σ² + ε) + β with the batch's own mean μ and biased variance σ² per feature; also returns μ and σ².</summary>
    /// <exception cref="ArgumentException">x is not [N, D] or [N, C, H, W], or γ and β do not have one value per feature.</exception>
    public static (Tensor Y, float[] Mean, float[] Variance) Forward(Tensor x, Tensor gamma, Tensor beta, float epsilon = BatchNorm.DefaultEpsilon)
    {
        var (features, values) = Groups(x, gamma, beta);
        var y = x.ZerosLike();
        float[] mean = new float[features], variance = new float[features];
        for (int c = 0; c < features; c++)
        {
            int[] at = values(c); // the flat indices of feature c's m values
            mean[c] = at.Average(i => x.Data[i]);
            variance[c] = at.Average(i => (x.Data[i] - mean[c]) * (x.Data[i] - mean[c]));
            foreach (int i in at) y.Data[i] = gamma[c] * (x.Data[i] - mean[c]) / MathF.Sqrt(variance[c] + epsilon) + beta[c];
        }
        return (y, mean, variance);
    }

    /// <summary>
    /// The chain rule through the four steps of <see cref="Forward"/>, one at a time:
    /// ∂L/∂β = Σ dout, ∂L/∂γ = Σ dout · x̂, ∂L/∂x̂ = dout · γ,
    /// ∂L/∂σ² = Σ ∂L/∂x̂ · (x − μ) · (−½)(σ² + ε)^(−3/2),
    /// ∂L/∂μ = Σ −∂L/∂x̂ / √(σ² + ε) + ∂L/∂σ² · Σ −2(x − μ) / m,
    /// ∂L/∂x = ∂L/∂x̂ / √(σ² + ε) + ∂L/∂σ² · 2(x − μ) / m + ∂L/∂μ / m.
    /// </summary>
    public static (Tensor Dx, Tensor Dgamma, Tensor Dbeta) Backward(Tensor x, Tensor gamma, Tensor dout, float epsilon = BatchNorm.DefaultEpsilon)
    {
        var (features, values) = Groups(x, gamma, gamma);
        Shapes.Require(dout, nameof(dout), "NaiveBatchNorm", x.ShapeArray());
        var (dx, dgamma, dbeta) = (x.ZerosLike(), new Tensor(features), new Tensor(features));
        for (int c = 0; c < features; c++)
        {
            int[] at = values(c);
            float m = at.Length, mean = at.Average(i => x.Data[i]);
            float variance = at.Average(i => (x.Data[i] - mean) * (x.Data[i] - mean)), std = MathF.Sqrt(variance + epsilon);
            float dvariance = 0f, dmean = 0f, centredSum = 0f;
            foreach (int i in at)
            {
                dbeta[c] += dout.Data[i];
                dgamma[c] += dout.Data[i] * (x.Data[i] - mean) / std;
                dvariance += dout.Data[i] * gamma[c] * (x.Data[i] - mean) * -0.5f / (std * std * std);
                dmean -= dout.Data[i] * gamma[c] / std;
                centredSum += x.Data[i] - mean;
            }
            dmean += dvariance * -2f * centredSum / m;
            foreach (int i in at) dx.Data[i] = dout.Data[i] * gamma[c] / std + dvariance * 2f * (x.Data[i] - mean) / m + dmean / m;
        }
        return (dx, dgamma, dbeta);
    }

    // The number of features and, for feature c, the flat indices of its values: column c of [N, D], channel c of [N, C, H, W].
    private static (int Features, Func<int, int[]> Values) Groups(Tensor x, Tensor gamma, Tensor beta)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank is not (2 or 4))
            throw new ArgumentException($"NaiveBatchNorm expects x [N, D] or [N, C, H, W], got shape {Tensor.FormatShape(x.Shape)}.", nameof(x));
        int n = x.Dim(0), features = x.Dim(1), plane = x.Length / Math.Max(1, n * features);
        Shapes.Require(gamma, nameof(gamma), "NaiveBatchNorm", features);
        Shapes.Require(beta, nameof(beta), "NaiveBatchNorm", features);
        return (features, c => Enumerable.Range(0, n * plane).Select(k => (k / plane * features + c) * plane + k % plane).ToArray());
    }
}
