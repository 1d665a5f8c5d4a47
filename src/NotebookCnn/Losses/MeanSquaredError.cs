namespace NotebookCnn;

/// <summary>
/// Mean squared error with the convention of Deep Learning from Scratch: L = ½ · Σ (y − t)² / N,
/// summed over all values and divided by the batch size N (not by the number of values). The ½
/// cancels the 2 of the derivative, so ∂L/∂y = (y − t) / N.
/// </summary>
public class MeanSquaredError : Loss
{
    private Tensor? _difference;   // y − t of the last forward call

    /// <summary>L = ½ · Σ (y − t)² / N for targets <paramref name="target"/> of the output's shape.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public override float Forward(Tensor output, Tensor target)
    {
        if (output.Rank == 0 || output.Dim(0) == 0)
            throw new ArgumentException($"MeanSquaredError expects a batch [N, …], got shape {Tensor.FormatShape(output.Shape)}.");
        if (!target.SameShape(output))
            throw new ArgumentException(
                $"MeanSquaredError expects targets of the output's shape {Tensor.FormatShape(output.Shape)}, got {Tensor.FormatShape(target.Shape)}.");
        _difference = output.ZerosLike();
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            float d = _difference.Data[i] = output.Data[i] - target.Data[i];
            sum += (double)d * d;
        }
        return (float)(0.5 * sum / output.Dim(0));
    }

    /// <summary>The loss against one-hot rows made from class indices <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">The output is not [N, C], there are not N labels, or a label is outside 0..C−1.</exception>
    public override float Forward(Tensor output, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (output.Rank != 2)
            throw new ArgumentException($"MeanSquaredError with class labels expects outputs [N, C], got shape {Tensor.FormatShape(output.Shape)}.");
        if (labels.Length != output.Dim(0))
            throw new ArgumentException(
                $"MeanSquaredError got {labels.Length} labels for a batch of {output.Dim(0)} output rows (output shape {Tensor.FormatShape(output.Shape)}).");
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)output.Dim(1))
                throw new ArgumentException($"MeanSquaredError: label {labels[i]} at position {i} is outside 0..{output.Dim(1) - 1} ({output.Dim(1)} classes).");
        return Forward(output, OneHot(labels, output.Dim(1)));
    }

    /// <summary>∂L/∂y = (y − t) / N for the last forward call.</summary>
    public override Tensor Backward()
    {
        if (_difference is null)
            throw new InvalidOperationException("MeanSquaredError: Backward was called before Forward. Call Forward(output, target) first.");
        var dy = _difference.Clone();
        int n = dy.Dim(0);
        for (int i = 0; i < dy.Length; i++) dy.Data[i] /= n;
        return dy;
    }

    /// <summary>The name and convention of the loss.</summary>
    public override string ToString() => "MeanSquaredError (½·Σ(y − t)²/N)";
}
