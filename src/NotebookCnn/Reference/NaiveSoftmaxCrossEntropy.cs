namespace NotebookCnn.Reference;

/// <summary>
/// Softmax and cross-entropy written out: p = softmax(z) row by row, L = −(1/N) Σₙ log p[n, label n],
/// and its gradient ∂L/∂z = (p − onehot(label)) / N. The reference for <see cref="SoftmaxCrossEntropy"/>.
/// </summary>
public static class NaiveSoftmaxCrossEntropy
{
    /// <summary>p[n, j] = exp(z[n, j] − max z[n, ·]) / Σₖ exp(z[n, k] − max z[n, ·]) (the maximum is subtracted so exp cannot overflow).</summary>
    /// <exception cref="ArgumentException">The scores are not [N, C].</exception>
    public static Tensor Softmax(Tensor scores)
    {
        Shapes.RequireRank(scores, 2, nameof(scores), "NaiveSoftmaxCrossEntropy", "[N, C]");
        var p = scores.ZerosLike();
        for (int n = 0; n < scores.Dim(0); n++)
        {
            float max = float.NegativeInfinity, sum = 0f;
            for (int j = 0; j < scores.Dim(1); j++) max = Math.Max(max, scores[n, j]);
            for (int j = 0; j < scores.Dim(1); j++) sum += MathF.Exp(scores[n, j] - max);
            for (int j = 0; j < scores.Dim(1); j++) p[n, j] = MathF.Exp(scores[n, j] - max) / sum;
        }
        return p;
    }

    /// <summary>The mean loss −(1/N) Σₙ log p[n, labels[n]] and its gradient (p − onehot) / N with respect to the scores.</summary>
    /// <exception cref="ArgumentException">The scores are not [N, C], there are not N labels, or a label is outside 0…C−1.</exception>
    public static (float Loss, Tensor Dscores) Forward(Tensor scores, int[] labels)
    {
        var p = Softmax(scores);
        ArgumentNullException.ThrowIfNull(labels);
        int n = scores.Dim(0), classes = scores.Dim(1);
        if (labels.Length != n)
            throw new ArgumentException($"NaiveSoftmaxCrossEntropy expects {n} labels (one per score row), got {labels.Length}.", nameof(labels));
        float loss = 0f;
        var dscores = p.Clone();
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes)
                throw new ArgumentException($"NaiveSoftmaxCrossEntropy: label {labels[i]} at position {i} is outside 0…{classes - 1}.", nameof(labels));
            loss -= MathF.Log(p[i, labels[i]]) / n;
            dscores[i, labels[i]] -= 1f;
        }
        for (int k = 0; k < dscores.Length; k++) dscores.Data[k] /= n;
        return (loss, dscores);
    }
}
