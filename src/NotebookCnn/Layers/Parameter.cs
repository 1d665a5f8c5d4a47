namespace NotebookCnn;

/// <summary>
/// A learnable tensor and the gradient of the loss with respect to it. Optimizers see only parameters;
/// they keep their own state per parameter, keyed by the object itself.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a parameter; the gradient starts at zero with the same shape.</summary>
    /// <param name="name">A name such as <c>conv1.weight</c>, shown in gradient checks and error messages.</param>
    /// <param name="value">The initial value.</param>
    /// <param name="isWeight">True for weights (weight decay applies), false for biases, BatchNorm's γ and β.</param>
    public Parameter(string name, Tensor value, bool isWeight = true)
    {
        Name = name;
        Value = value;
        Gradient = value.ZerosLike();
        IsWeight = isWeight;
    }

    /// <summary>The name, e.g. <c>affine1.weight</c>.</summary>
    public string Name { get; set; }

    /// <summary>The current value.</summary>
    public Tensor Value { get; }

    /// <summary>∂loss/∂value, written by the owning layer's <c>Backward</c>.</summary>
    /// <remarks>
    /// Every <c>Backward</c> call overwrites the gradient (it does not add to it), so a training loop
    /// needs no <see cref="ZeroGradient"/> between steps: forward, backward, update.
    /// </remarks>
    public Tensor Gradient { get; }

    /// <summary>Whether L2 weight decay applies (weights yes, biases no).</summary>
    public bool IsWeight { get; }

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGradient() => Gradient.Clear();

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Tensor.FormatShape(Value.Shape)}";
}
