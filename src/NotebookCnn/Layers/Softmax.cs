namespace NotebookCnn;

/// <summary>
/// Softmax as a layer of its own: each row of scores z [N, C] becomes probabilities
/// pⱼ = exp(zⱼ) / Σₖ exp(zₖ). Used where a loss other than cross-entropy sits on top of the
/// probabilities (chapter 06: mean squared error on softmax outputs); for classification with
/// cross-entropy use <see cref="SoftmaxCrossEntropy"/>, which fuses the two and has the simpler gradient p − t.
/// </summary>
/// <remarks>
/// The backward pass multiplies by the softmax Jacobian ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ) without forming it:
/// ∂L/∂zⱼ = pⱼ · (∂L/∂pⱼ − Σᵢ pᵢ · ∂L/∂pᵢ). When one pᵢ is close to 1 every entry of the Jacobian is close
/// to 0, so a saturated softmax passes almost no gradient back, however wrong it is.
/// </remarks>
public class Softmax : Layer
{
    private Tensor? _output; // p: all Backward needs

    /// <summary>Creates a softmax layer.</summary>
    /// <param name="name">The layer's name; "softmax" unless given.</param>
    public Softmax(string? name = null) : base(name ?? "softmax") { }

    /// <summary>p = softmax(z) row by row (the row maximum is subtracted before exp, so large scores do not overflow).</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        LayerInput.RequireRank(this, x.Shape, "scores [N, C]", 2);
        _output = SoftmaxCrossEntropy.Softmax(x);
        return _output;
    }

    /// <summary>∂L/∂zⱼ = pⱼ · (doutⱼ − Σᵢ pᵢ · doutᵢ) for each row, in a new tensor; <paramref name="dout"/> is not changed.</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _output?.ShapeArray());
        var p = _output!;
        int rows = p.Dim(0), classes = p.Dim(1);
        var dz = p.ZerosLike();
        for (int n = 0; n < rows; n++)
        {
            int row = n * classes;
            double weighted = 0; // Σᵢ pᵢ · doutᵢ
            for (int i = 0; i < classes; i++) weighted += p.Data[row + i] * dout.Data[row + i];
            for (int j = 0; j < classes; j++)
                dz.Data[row + j] = (float)(p.Data[row + j] * (dout.Data[row + j] - weighted));
        }
        return dz;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc />
    public override string ToString() => $"Softmax {Name}";
}
