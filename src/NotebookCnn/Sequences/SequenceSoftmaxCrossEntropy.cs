namespace NotebookCnn;

/// <summary>
/// Softmax cross-entropy at every time step: scores [N, T, V] with one label per position (N·T labels, sequence
/// after sequence, see <see cref="Tokens.Flatten"/>). It views the scores as [N·T, V] — one classification per
/// position — and returns the mean over all N·T positions of −log p[label].
/// </summary>
/// <remarks>
/// The same as <c>new SoftmaxCrossEntropy().Forward(scores.Reshape(N * T, V), labels)</c>, with the gradient
/// reshaped back to [N, T, V] so it can flow into a <see cref="TimeDistributed"/> layer. Scores [N, V] (one
/// prediction per sequence, e.g. from a layer with returnSequences: false) are passed through unchanged.
/// </remarks>
public class SequenceSoftmaxCrossEntropy : Loss
{
    private readonly SoftmaxCrossEntropy _perPosition = new();
    private int[]? _shape;

    /// <summary>The probabilities [N·T, V] of the last forward call (null before the first).</summary>
    public Tensor? Probabilities => _perPosition.Probabilities;

    /// <summary>The mean over all N·T positions of −log p[label].</summary>
    /// <exception cref="ArgumentException">The scores are not [N, T, V] or [N, V], or there is not one label per position.</exception>
    public override float Forward(Tensor output, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var rows = AsRows(output);
        if (labels.Length != rows.Dim(0))
            throw new ArgumentException(
                $"SequenceSoftmaxCrossEntropy got {labels.Length} labels for scores {Tensor.FormatShape(output.Shape)}: it needs one per position, N·T = {rows.Dim(0)}.");
        _shape = output.ShapeArray();
        return _perPosition.Forward(rows, labels);
    }

    /// <summary>The mean over all positions of −Σⱼ tⱼ · log pⱼ, for targets of the scores' shape.</summary>
    public override float Forward(Tensor output, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.SameShape(output))
            throw new ArgumentException(
                $"SequenceSoftmaxCrossEntropy expects targets of the scores' shape {Tensor.FormatShape(output.Shape)}, got {Tensor.FormatShape(target.Shape)}.");
        var rows = AsRows(output);
        _shape = output.ShapeArray();
        return _perPosition.Forward(rows, target.Reshape(rows.ShapeArray()));
    }

    /// <summary>∂L/∂scores = (p − t) / (N·T), in the scores' shape.</summary>
    public override Tensor Backward()
    {
        if (_shape is null)
            throw new InvalidOperationException("SequenceSoftmaxCrossEntropy: Backward was called before Forward. Call Forward(scores, labels) first.");
        return _perPosition.Backward().Reshape(_shape);
    }

    /// <summary>The name of the loss.</summary>
    public override string ToString() => "SequenceSoftmaxCrossEntropy";

    private static Tensor AsRows(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Rank switch
        {
            3 => output.Reshape(output.Dim(0) * output.Dim(1), output.Dim(2)),
            2 => output,
            _ => throw new ArgumentException(
                $"SequenceSoftmaxCrossEntropy expects scores [N, T, V] (batch, time, classes), got shape {Tensor.FormatShape(output.Shape)}."),
        };
    }
}
