namespace NotebookCnn;

/// <summary>
/// Applies the same inner layer (usually an <see cref="Affine"/>) at every time step: [N, T, H] → [N, T, V].
/// It simply treats the N·T time steps as one big batch — reshape to [N·T, H], run the inner layer, reshape
/// the result back to [N, T, V] — which is exactly "the same weights at every step".
/// </summary>
public class TimeDistributed : Layer, IStochasticLayer
{
    private int[]? _inputShape;

    /// <summary>Wraps <paramref name="inner"/>, which must map [B, H] to [B, V] (or [B, …] to [B, …]).</summary>
    /// <param name="inner">The layer applied at each step; its parameters are this layer's parameters.</param>
    /// <param name="name">The layer name; "timedistributed" by default.</param>
    public TimeDistributed(Layer inner, string? name = null) : base(name ?? "timedistributed")
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The layer applied at every time step.</summary>
    public Layer Inner { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => Inner.Parameters;

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, Tensor Value)> Buffers => Inner.Buffers;

    /// <summary>[N, T, …] → [N·T, …] → inner layer → [N, T, …].</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckInput(x.Shape);
        _inputShape = x.ShapeArray();
        var y = Inner.Forward(x.Reshape(MergeTime(_inputShape)), training);
        return y.Reshape(SplitTime(y.ShapeArray(), _inputShape[0], _inputShape[1]));
    }

    /// <summary>Reshapes dout to [N·T, …], runs the inner layer's Backward, and reshapes ∂L/∂x back to [N, T, …].</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _inputShape is null ? null : OutputShape(_inputShape));
        var dx = Inner.Backward(dout.Reshape(MergeTime(dout.ShapeArray())));
        return dx.Reshape(_inputShape!);
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        CheckInput(inputShape);
        return SplitTime(Inner.OutputShape(MergeTime(inputShape)), inputShape[0], inputShape[1]);
    }

    /// <summary>Passes the seed on to the inner layer if it draws random numbers (e.g. <see cref="Dropout"/> at every step).</summary>
    public void Reseed(int seed) => (Inner as IStochasticLayer)?.Reseed(seed);

    /// <summary>E.g. <c>TimeDistributed timedistributed1: Affine affine: 32→40</c>.</summary>
    public override string ToString() => $"TimeDistributed {Name}: {Inner}";

    private static int[] MergeTime(int[] shape) => [shape[0] * shape[1], .. shape[2..]];

    private static int[] SplitTime(int[] shape, int n, int steps) => [n, steps, .. shape[1..]];

    private void CheckInput(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 3)
            throw new ArgumentException(
                $"{LayerInput.Describe(this)} expects sequences [N, T, …] = [batch, time, features], got shape {Tensor.FormatShape(shape)} (rank {shape.Length}).");
    }
}
