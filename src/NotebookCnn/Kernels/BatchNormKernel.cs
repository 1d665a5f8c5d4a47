namespace NotebookCnn;

/// <summary>
/// The loops under <see cref="BatchNorm"/>: one channel (or feature) per task, statistics summed in double. The
/// step-by-step version is <see cref="Reference.NaiveBatchNorm"/>.
/// </summary>
internal static class BatchNormKernel
{
    /// <summary>
    /// Per channel c: μ and σ² of the batch (training; the running statistics are updated) or the running ones
    /// (inference); normalized = x̂ = (x − μ) / √(σ² + ε), inverseStd[c] = 1 / √(σ² + ε), output = γ · x̂ + β.
    /// </summary>
    public static void Forward(BatchNorm layer, bool training, float[] input, float[] output, float[] normalized, float[] inverseStd,
        int batch, int planeSize)
    {
        int channels = layer.Features, count = batch * planeSize;
        float momentum = layer.Momentum, epsilon = layer.Epsilon;
        float[] gamma = layer.Gamma.Value.Data, beta = layer.Beta.Value.Data, runningMean = layer.RunningMean.Data, runningVariance = layer.RunningVariance.Data;

        ParallelLoops.ForEachItem(channels, (long)count, c =>
        {
            float mean, variance;
            if (training)
            {
                (mean, variance) = ChannelStatistics(input, c, batch, channels, planeSize);
                // The paper's inference variance is unbiased: m/(m − 1) times the batch variance.
                runningMean[c] = momentum * runningMean[c] + (1f - momentum) * mean;
                runningVariance[c] = momentum * runningVariance[c] + (1f - momentum) * variance * count / (count - 1);
            }
            else
            {
                mean = runningMean[c];
                variance = runningVariance[c];
            }
            float inv = inverseStd[c] = 1f / MathF.Sqrt(variance + epsilon);
            for (int n = 0; n < batch; n++)
                for (int i = (n * channels + c) * planeSize, end = i + planeSize; i < end; i++)
                {
                    normalized[i] = (input[i] - mean) * inv;
                    output[i] = gamma[c] * normalized[i] + beta[c];
                }
        });
    }

    /// <summary>The mean and the biased variance (divided by the count) of channel c, accumulated in double.</summary>
    private static (float Mean, float Variance) ChannelStatistics(float[] x, int c, int batch, int channels, int planeSize)
    {
        double sum = 0;
        for (int n = 0; n < batch; n++)
            for (int i = (n * channels + c) * planeSize, end = i + planeSize; i < end; i++) sum += x[i];
        double mean = sum / (batch * planeSize), squares = 0;
        // Two passes (mean first) avoid the cancellation of E[x²] − E[x]².
        for (int n = 0; n < batch; n++)
            for (int i = (n * channels + c) * planeSize, end = i + planeSize; i < end; i++) squares += (x[i] - mean) * (x[i] - mean);
        return ((float)mean, (float)(squares / (batch * planeSize)));
    }

    /// <summary>
    /// ∂L/∂β = Σ dout, ∂L/∂γ = Σ dout · x̂ per channel; dx = γ / (m · √(σ² + ε)) · (m · dout − Σ dout − x̂ · Σ (dout · x̂))
    /// after a training Forward, dx = γ · dout / √(σ² + ε) after an inference one.
    /// </summary>
    public static void Backward(BatchNorm layer, bool training, float[] d, float[] normalized, float[] inverseStd, float[] result,
        int batch, int planeSize)
    {
        int channels = layer.Features, m = batch * planeSize;
        float[] gamma = layer.Gamma.Value.Data, gammaGradient = layer.Gamma.Gradient.Data, betaGradient = layer.Beta.Gradient.Data;

        ParallelLoops.ForEachItem(channels, (long)m, c =>
        {
            double sumDout = 0, sumDoutXhat = 0;
            for (int n = 0; n < batch; n++)
                for (int i = (n * channels + c) * planeSize, end = i + planeSize; i < end; i++)
                {
                    sumDout += d[i];
                    sumDoutXhat += (double)d[i] * normalized[i];
                }
            betaGradient[c] = (float)sumDout;
            gammaGradient[c] = (float)sumDoutXhat;
            float scale = gamma[c] * inverseStd[c];
            for (int n = 0; n < batch; n++)
                for (int i = (n * channels + c) * planeSize, end = i + planeSize; i < end; i++)
                    result[i] = training
                        ? scale / m * (float)(m * d[i] - sumDout - normalized[i] * sumDoutXhat)
                        : scale * d[i];
        });
    }
}
