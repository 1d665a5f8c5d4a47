namespace NotebookCnn;

/// <summary>
/// Reshapes [N, C, H, W] (or any [N, …]) to [N, C·H·W] so that a convolutional stack can feed an
/// <see cref="Affine"/> layer. No values change and nothing is copied; <see cref="Backward"/> reshapes back.
/// </summary>
public class Flatten : Layer
{
    private int[]? _inputShape;   // the only thing Backward needs
    private int[]? _outputShape;
    private Tensor? _output;        // while training: the view returned last time, reused for the same input memory
    private Tensor? _inputGradient; // the view of dout returned last time

    /// <summary>Creates a flatten layer.</summary>
    /// <param name="name">The layer name; "flatten" by default.</param>
    public Flatten(string? name = null) : base(name ?? "flatten") { }

    /// <summary>[N, …] → [N, rest] (a view of the same data).</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (_inputShape is null || !x.Shape.SequenceEqual(_inputShape))
            (_outputShape, _inputShape) = (OutputShape(x.ShapeArray()), x.ShapeArray());
        return training ? OutputBuffer.View(ref _output, x, _outputShape!) : x.Reshape(_outputShape!);
    }

    /// <summary>Reshapes the gradient back to the input's shape (a view of <paramref name="dout"/>).</summary>
    public override Tensor Backward(Tensor dout)
    {
        if (_inputShape is null)
            throw new InvalidOperationException($"Flatten '{Name}': Backward was called before Forward. Call Forward(x, training: true) first.");
        if (!dout.Shape.SequenceEqual(_outputShape))
            throw new ArgumentException(
                $"Flatten '{Name}' expects dout of shape {Tensor.FormatShape(_outputShape)} (its last output), got {Tensor.FormatShape(dout.Shape)}.");
        return OutputBuffer.View(ref _inputGradient, dout, _inputShape);
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        if (inputShape.Length < 2)
            throw new ArgumentException(
                $"Flatten '{Name}' expects a batch [N, …] of at least 2 dimensions, got {inputShape.Length}-D: input shape {Tensor.FormatShape(inputShape)}.");
        int rest = 1;
        for (int d = 1; d < inputShape.Length; d++) rest *= inputShape[d];
        return [inputShape[0], rest];
    }

    /// <summary>E.g. <c>Flatten flatten1</c>.</summary>
    public override string ToString() => $"Flatten {Name}";
}
