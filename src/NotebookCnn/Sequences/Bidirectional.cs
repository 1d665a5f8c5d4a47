namespace NotebookCnn;

/// <summary>
/// Reads each sequence both ways: one recurrent layer runs forward in time, the other over the reversed sequence,
/// and their outputs are joined along the features, so the output at step t knows both the past and the future
/// of the sequence (Schuster &amp; Paliwal 1997). [N, T, D] → [N, T, H_f + H_b], or [N, H_f + H_b] when both layers
/// return only their last step (for the backward layer that is the state after reading back to step 0).
/// </summary>
public class Bidirectional : Layer
{
    private int _forwardSize;     // H_f of the last Forward: where dout splits
    private int[]? _outputShape;  // to check dout

    /// <summary>Combines two layers that read [N, T, D]; the second one sees every sequence reversed.</summary>
    /// <param name="forward">Reads steps 0, 1, …, T − 1.</param>
    /// <param name="backward">Reads steps T − 1, …, 0; its outputs are put back in time order before joining.</param>
    /// <param name="name">The layer name; "bidirectional" by default. The inner parameters are renamed
    /// <c>{name}.forward.…</c> and <c>{name}.backward.…</c> so they stay distinct.</param>
    public Bidirectional(Layer forward, Layer backward, string? name = null) : base(name ?? "bidirectional")
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        if (ReferenceEquals(forward, backward))
            throw new ArgumentException($"Bidirectional '{Name}' needs two separate layers (two sets of weights), got the same layer '{forward.Name}' twice.");
        ForwardLayer = forward;
        BackwardLayer = backward;
        Prefix(forward, "forward");
        Prefix(backward, "backward");
    }

    /// <summary>The layer that reads the sequence in time order.</summary>
    public Layer ForwardLayer { get; }

    /// <summary>The layer that reads the sequence in reverse.</summary>
    public Layer BackwardLayer { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => [.. ForwardLayer.Parameters, .. BackwardLayer.Parameters];

    /// <summary>[forward(x), reverse(backward(reverse(x)))] joined along the last dimension.</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckInput(x.Shape);
        var yForward = ForwardLayer.Forward(x, training);
        var yBackward = BackwardLayer.Forward(TimeSteps.Reverse(x), training);
        if (yBackward.Rank == 3) yBackward = TimeSteps.Reverse(yBackward);   // back into time order
        if (yForward.Rank != yBackward.Rank || yForward.Length / yForward.Dim(-1) != yBackward.Length / yBackward.Dim(-1))
            throw new ArgumentException(
                $"{LayerInput.Describe(this)}: the forward layer gave {Tensor.FormatShape(yForward.Shape)} and the backward layer {Tensor.FormatShape(yBackward.Shape)}; they must agree except in the last dimension (use the same returnSequences for both).");
        _forwardSize = yForward.Dim(-1);
        var y = TimeSteps.ConcatenateFeatures(yForward, yBackward);
        _outputShape = y.ShapeArray();
        return y;
    }

    /// <summary>Splits dout along the features, backpropagates each half through its layer, and adds the two input gradients.</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _outputShape);
        var (dForward, dBackward) = TimeSteps.SplitFeatures(dout, _forwardSize);
        if (dBackward.Rank == 3) dBackward = TimeSteps.Reverse(dBackward);
        var dx = ForwardLayer.Backward(dForward);
        var dxBackward = TimeSteps.Reverse(BackwardLayer.Backward(dBackward));
        for (int i = 0; i < dx.Length; i++) dx.Data[i] += dxBackward.Data[i];
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        CheckInput(inputShape);
        int[] f = ForwardLayer.OutputShape(inputShape), b = BackwardLayer.OutputShape(inputShape);
        return [.. f[..^1], f[^1] + b[^1]];
    }

    /// <summary>E.g. <c>Bidirectional bidirectional1: (Lstm …) + (Lstm …)</c>.</summary>
    public override string ToString() => $"Bidirectional {Name}: ({ForwardLayer}) + ({BackwardLayer})";

    private void Prefix(Layer layer, string direction)
    {
        string old = layer.Name + ".";
        foreach (var p in layer.Parameters)
            p.Name = $"{Name}.{direction}." + (p.Name.StartsWith(old, StringComparison.Ordinal) ? p.Name[old.Length..] : p.Name);
        layer.Name = $"{Name}.{direction}";
    }

    private void CheckInput(ReadOnlySpan<int> shape)
    {
        if (shape.Length != 3)
            throw new ArgumentException(
                $"{LayerInput.Describe(this)} expects sequences [N, T, D] = [batch, time, features], got shape {Tensor.FormatShape(shape)} (rank {shape.Length}).");
    }
}
