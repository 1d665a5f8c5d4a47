namespace NotebookCnn;

/// <summary>
/// Softmax followed by cross-entropy, as one layer: turns each row of scores (logits) z into
/// probabilities p = softmax(z) and returns the batch mean of −Σⱼ tⱼ · log pⱼ. Its gradient is
/// simply (p − t) / N, which is why the two are fused.
/// </summary>
public class SoftmaxCrossEntropy : Loss
{
    private Tensor? _target;          // one-hot or soft targets of the last Forward(Tensor, Tensor)
    private int[]? _labels;           // class indices of the last Forward(Tensor, int[])
    private Tensor? _probabilities;   // reused by the next Forward of the same shape
    private Tensor? _gradient;        // reused by the next Backward of the same shape

    /// <summary>The probabilities softmax(z) [N, C] of the last forward call (null before the first).</summary>
    /// <remarks>
    /// Like a layer's training output, this tensor is overwritten by the next forward call with scores of the
    /// same shape, so that training allocates nothing per minibatch. <c>Clone()</c> it to keep it.
    /// </remarks>
    public Tensor? Probabilities => _probabilities;

    /// <summary>
    /// softmax(z)ⱼ = exp(zⱼ − max z) / Σₖ exp(zₖ − max z), for each row of <paramref name="logits"/> [N, C] (or a single row [C]).
    /// Subtracting the row maximum changes nothing mathematically but keeps exp from overflowing for large scores.
    /// </summary>
    public static Tensor Softmax(Tensor logits)
    {
        if (logits.Rank is not (1 or 2))
            throw new ArgumentException($"Softmax expects scores [N, C] or [C], got shape {Tensor.FormatShape(logits.Shape)}.");
        int classes = logits.Dim(-1), rows = logits.Length / Math.Max(1, classes);
        var p = logits.ZerosLike();
        SoftmaxRows(logits, p, rows, classes);
        return p;
    }

    // softmax of each row of `logits`, written into `p` (a tensor of the same length).
    private static void SoftmaxRows(Tensor logits, Tensor p, int rows, int classes)
    {
        for (int i = 0; i < rows; i++)
        {
            var z = logits.Data.AsSpan(i * classes, classes);
            var row = p.Data.AsSpan(i * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float v in z) max = Math.Max(max, v);
            double sum = 0;
            for (int j = 0; j < classes; j++) sum += row[j] = MathF.Exp(z[j] - max);
            for (int j = 0; j < classes; j++) row[j] = (float)(row[j] / sum);
        }
    }

    /// <summary>The mean over the batch of −log p[label], for class indices <paramref name="labels"/> (no one-hot needed).</summary>
    /// <exception cref="ArgumentException">The scores are not [N, C], there are not N labels, or a label is outside 0..C−1.</exception>
    public override float Forward(Tensor output, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var (n, classes) = CheckScores(output);
        if (labels.Length != n)
            throw new ArgumentException(
                $"SoftmaxCrossEntropy got {labels.Length} labels for a batch of {n} score rows (scores shape {Tensor.FormatShape(output.Shape)}).");
        for (int i = 0; i < n; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"SoftmaxCrossEntropy: label {labels[i]} at position {i} is outside 0..{classes - 1} ({classes} classes).");

        double sum = 0;
        for (int i = 0; i < n; i++) sum -= LogSoftmax(output, i, labels[i]);
        SoftmaxRows(output, OutputBuffer.Reuse(ref _probabilities, output.Shape), n, classes);
        (_labels, _target) = (labels, null);
        return (float)(sum / n);
    }

    /// <summary>The mean over the batch of −Σⱼ tⱼ · log pⱼ, for one-hot or soft targets <paramref name="target"/> [N, C] whose rows sum to 1.</summary>
    /// <exception cref="ArgumentException">The shapes differ, or a target row does not sum to 1.</exception>
    public override float Forward(Tensor output, Tensor target)
    {
        var (n, classes) = CheckScores(output);
        if (!target.SameShape(output))
            throw new ArgumentException(
                $"SoftmaxCrossEntropy expects targets of the scores' shape {Tensor.FormatShape(output.Shape)}, got {Tensor.FormatShape(target.Shape)}.");
        // (p − t)/N is the gradient only when each target row is a probability distribution.
        const double RowSumTolerance = 1e-3;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double rowSum = 0;
            for (int j = 0; j < classes; j++)
            {
                float t = target.Data[i * classes + j];
                rowSum += t;
                if (t != 0) sum -= t * LogSoftmax(output, i, j);
            }
            if (Math.Abs(rowSum - 1) > RowSumTolerance)
                throw new ArgumentException($"SoftmaxCrossEntropy: target row {i} sums to {rowSum:0.####}, not 1 (use one-hot rows or probabilities).");
        }
        SoftmaxRows(output, OutputBuffer.Reuse(ref _probabilities, output.Shape), n, classes);
        (_labels, _target) = (null, target);
        return (float)(sum / n);
    }

    /// <summary>∂L/∂z = (p − t) / N for the last forward call.</summary>
    /// <remarks>The returned tensor is overwritten by the next <c>Backward</c> of the same shape (see <see cref="Probabilities"/>).</remarks>
    public override Tensor Backward()
    {
        if (_probabilities is null)
            throw new InvalidOperationException("SoftmaxCrossEntropy: Backward was called before Forward. Call Forward(scores, labels) first.");
        int n = _probabilities.Dim(0), classes = _probabilities.Dim(1);
        var dz = OutputBuffer.Reuse(ref _gradient, _probabilities.Shape);
        _probabilities.Data.CopyTo(dz.Data, 0);
        for (int i = 0; i < n; i++)
        {
            if (_labels is not null) dz.Data[i * classes + _labels[i]] -= 1f;
            else for (int j = 0; j < classes; j++) dz.Data[i * classes + j] -= _target!.Data[i * classes + j];
        }
        for (int k = 0; k < dz.Length; k++) dz.Data[k] /= n;
        return dz;
    }

    /// <summary>The name of the loss.</summary>
    public override string ToString() => "SoftmaxCrossEntropy";

    // log softmax(z_i)_j = (z_ij − max) − log Σₖ exp(z_ik − max): finite even when p_j underflows to 0.
    private static double LogSoftmax(Tensor z, int row, int j)
    {
        var r = z.Data.AsSpan(row * z.Dim(1), z.Dim(1));
        float max = float.NegativeInfinity;
        foreach (float v in r) max = Math.Max(max, v);
        double sum = 0;
        foreach (float v in r) sum += Math.Exp(v - max);
        return r[j] - max - Math.Log(sum);
    }

    private static (int N, int Classes) CheckScores(Tensor output)
    {
        if (output.Rank != 2 || output.Dim(1) == 0)
            throw new ArgumentException(
                $"SoftmaxCrossEntropy expects scores [N, C] (one row of class scores per example), got shape {Tensor.FormatShape(output.Shape)}.");
        return (output.Dim(0), output.Dim(1));
    }
}
