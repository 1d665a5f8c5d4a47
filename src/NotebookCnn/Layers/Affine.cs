namespace NotebookCnn;

/// <summary>
/// A fully connected layer: y = x · W + b, with x [N, D], W [D, M], b [M] and y [N, M].
/// An input of any shape [N, …] is flattened to [N, D] first (so an image batch can feed it directly),
/// and <see cref="Backward"/> returns the gradient in the original shape.
/// </summary>
public class Affine : Layer
{
    private Tensor? _x;              // the flattened input [N, D], needed for ∂L/∂W = xᵀ · dout
    private int[]? _inputShape;      // the original input shape, to reshape ∂L/∂x
    private Tensor? _output;         // reused by the next training batch of the same shape (see OutputBuffer)
    private Tensor? _inputGradient;  // ∂L/∂x, reused by the next Backward of the same shape

    /// <summary>Creates a fully connected layer with weights drawn by <paramref name="initializer"/> and zero biases.</summary>
    /// <param name="inputSize">D: values per example coming in (e.g. 784 for a flattened 28×28 image).</param>
    /// <param name="outputSize">M: units, i.e. values per example going out.</param>
    /// <param name="initializer">How the weights are drawn; He by default (suits ReLU). Fan-in is <paramref name="inputSize"/>, fan-out <paramref name="outputSize"/>.</param>
    /// <param name="seed">Seed for the initial weights.</param>
    /// <param name="name">The layer name (parameters become <c>{name}.weight</c>, <c>{name}.bias</c>); "affine" by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is zero or negative.</exception>
    public Affine(int inputSize, int outputSize, Initializer? initializer = null, int seed = 0, string? name = null)
        : base(name ?? "affine")
    {
        if (inputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"Affine '{Name}' needs inputSize ≥ 1, got {inputSize}.");
        if (outputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, $"Affine '{Name}' needs outputSize ≥ 1, got {outputSize}.");
        InputSize = inputSize;
        OutputSize = outputSize;
        Initializer = initializer ?? Initializer.He;
        Weight = new Parameter($"{Name}.weight", Initializer.Create(inputSize, outputSize, Rng.Create(seed), inputSize, outputSize));
        Bias = new Parameter($"{Name}.bias", new Tensor(outputSize), isWeight: false);
    }

    /// <summary>D: values per example coming in.</summary>
    public int InputSize { get; }

    /// <summary>M: values per example going out.</summary>
    public int OutputSize { get; }

    /// <summary>How the initial weights were drawn.</summary>
    public Initializer Initializer { get; }

    /// <summary>W [D, M]: column j holds the weights of output unit j.</summary>
    public Parameter Weight { get; }

    /// <summary>b [M]: one bias per output unit.</summary>
    public Parameter Bias { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => [Weight, Bias];

    /// <summary>y = x · W + b.</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        int n = CheckInput(x.Shape);
        OutputBuffer.Remember(ref _inputShape, x.Shape);
        _x = OutputBuffer.View(ref _x, x, [n, InputSize]);
        var y = OutputBuffer.ForForward(training, ref _output, [n, OutputSize]);
        MatMul.Gemm(_x.Data, Weight.Value.Data, y.Data, n, OutputSize, InputSize);
        ReadOnlySpan<float> bias = Bias.Value.Data;
        for (int i = 0; i < n; i++)
        {
            var row = y.Data.AsSpan(i * OutputSize, OutputSize);
            Elementwise.Add(row, bias, row); // y[i, :] += b
        }
        return y;
    }

    /// <summary>∂L/∂W = xᵀ · dout, ∂L/∂b = Σₙ dout, and returns ∂L/∂x = dout · Wᵀ (in the input's original shape).</summary>
    /// <remarks>Returns <see cref="Layer.NoInputGradient"/> without computing ∂L/∂x when <see cref="Layer.InputGradientNeeded"/> is false.</remarks>
    public override Tensor Backward(Tensor dout)
    {
        if (_x is null || _inputShape is null)
            throw new InvalidOperationException($"Affine '{Name}': Backward was called before Forward. Call Forward(x, training: true) first.");
        int n = _x.Dim(0);
        if (dout.Rank != 2 || dout.Dim(0) != n || dout.Dim(1) != OutputSize)
            throw new ArgumentException(
                $"Affine '{Name}' expects dout of shape {Tensor.FormatShape([n, OutputSize])} (its last output), got {Tensor.FormatShape(dout.Shape)}.");

        MatMul.Gemm(_x.Data, dout.Data, Weight.Gradient.Data, InputSize, OutputSize, n, transposeA: true);
        Span<float> biasGradient = Bias.Gradient.Data;
        biasGradient.Clear();
        for (int i = 0; i < n; i++)
            Elementwise.Add(biasGradient, dout.Data.AsSpan(i * OutputSize, OutputSize), biasGradient); // ∂L/∂b += dout[i, :]

        if (!InputGradientNeeded) return NoInputGradient; // the first layer: nobody needs ∂L/∂x
        var dx = OutputBuffer.Reuse(ref _inputGradient, _inputShape);
        MatMul.Gemm(dout.Data, Weight.Value.Data, dx.Data, n, InputSize, OutputSize, transposeB: true);
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        int n = CheckInput(inputShape);
        return [n, OutputSize];
    }

    /// <summary>E.g. <c>Affine affine1: 784→50</c>.</summary>
    public override string ToString() => $"Affine {Name}: {InputSize}→{OutputSize}";

    private int CheckInput(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 2)
            throw new ArgumentException(
                $"Affine '{Name}' expects a batch [N, {InputSize}] (or [N, …] to flatten), got {shape.Length}-D: input shape {Tensor.FormatShape(shape)}.");
        long perExample = 1;
        for (int d = 1; d < shape.Length; d++) perExample *= shape[d];
        if (perExample != InputSize)
            throw new ArgumentException(
                $"Affine '{Name}' expects {InputSize} input values per example, got {perExample}: input shape {Tensor.FormatShape(shape)}.");
        return shape[0];
    }
}
