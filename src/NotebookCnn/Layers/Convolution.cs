namespace NotebookCnn;

/// <summary>
/// A 2-D convolution (cross-correlation, as in every deep-learning library): each of F filters
/// [C, KH, KW] slides over the input [N, C, H, W], and at every position the sum of products plus
/// the filter's bias gives one value of the output [N, F, OH, OW], with OH = (H + 2P − KH)/S + 1.
/// </summary>
/// <remarks>
/// Computed as im2col + one matrix multiply (chapter 02): every receptive field becomes a row of
/// col [N·OH·OW, C·KH·KW], the filters become W [F, C·KH·KW], and out = col · Wᵀ + b.
/// <see cref="ConvolutionKernel"/> does it image by image and transposed, on all cores; the loop-level
/// version of the same sums is <see cref="Reference.NaiveConvolution"/>.
/// </remarks>
public partial class Convolution : Layer
{
    private Tensor? _x;              // the last input: Backward rebuilds each image's columns from it
    private float[] _partials = [];  // ∂L/∂W summed over groups of images (see ConvolutionKernel), reused between batches
    private int[]? _outputShape;     // [N, F, OH, OW] of the last output
    private Tensor? _output;         // the output while training, reused by the next training batch of the same shape
    private Tensor? _inputGradient;  // ∂L/∂x, reused by the next Backward of the same shape

    /// <summary>Creates a convolution with square kernels.</summary>
    /// <param name="inChannels">C: channels of the input (1 for grey images, 3 for colour).</param>
    /// <param name="filters">F: number of filters = channels of the output.</param>
    /// <param name="kernelSize">KH = KW: the kernel's height and width.</param>
    /// <param name="stride">S: step between windows.</param>
    /// <param name="padding">P: zeros added on every border.</param>
    /// <param name="initializer">How the weights are drawn; He by default. Fan-in is C·KH·KW, fan-out F·KH·KW.</param>
    /// <param name="seed">Seed for the initial weights.</param>
    /// <param name="name">The layer name; "conv" by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is zero or negative (padding negative).</exception>
    public Convolution(int inChannels, int filters, int kernelSize, int stride = 1, int padding = 0,
        Initializer? initializer = null, int seed = 0, string? name = null)
        : this(inChannels, filters, (CheckKernelSize(kernelSize, name), kernelSize), stride, padding, initializer, seed, name) { }

    /// <summary>Creates a convolution with kernels of <paramref name="kernelSize"/> = (height, width), e.g. (1, 2).</summary>
    /// <inheritdoc cref="Convolution(int, int, int, int, int, Initializer?, int, string?)" />
    public Convolution(int inChannels, int filters, (int Height, int Width) kernelSize, int stride = 1, int padding = 0,
        Initializer? initializer = null, int seed = 0, string? name = null)
        : base(name ?? "conv")
    {
        Require(inChannels, 1, nameof(inChannels));
        Require(filters, 1, nameof(filters));
        Require(kernelSize.Height, 1, "kernelHeight");
        Require(kernelSize.Width, 1, "kernelWidth");
        Require(stride, 1, nameof(stride));
        Require(padding, 0, nameof(padding));
        (InChannels, Filters, KernelHeight, KernelWidth, Stride, Padding) =
            (inChannels, filters, kernelSize.Height, kernelSize.Width, stride, padding);
        Initializer = initializer ?? Initializer.He;
        int fanIn = inChannels * KernelHeight * KernelWidth, fanOut = filters * KernelHeight * KernelWidth;
        Weight = new Parameter($"{Name}.weight",
            Initializer.Create(fanIn, fanOut, Rng.Create(seed), filters, inChannels, KernelHeight, KernelWidth));
        Bias = new Parameter($"{Name}.bias", new Tensor(filters), isWeight: false);
    }

    /// <summary>C: input channels.</summary>
    public int InChannels { get; }
    /// <summary>F: filters, i.e. output channels.</summary>
    public int Filters { get; }
    /// <summary>KH: kernel height.</summary>
    public int KernelHeight { get; }
    /// <summary>KW: kernel width.</summary>
    public int KernelWidth { get; }
    /// <summary>S: step between windows.</summary>
    public int Stride { get; }
    /// <summary>P: zeros added on every border.</summary>
    public int Padding { get; }
    /// <summary>How the initial weights were drawn.</summary>
    public Initializer Initializer { get; }

    /// <summary>The filters W [F, C, KH, KW].</summary>
    public Parameter Weight { get; }

    /// <summary>b [F]: one bias per filter, added at every output position.</summary>
    public Parameter Bias { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => [Weight, Bias];

    /// <summary>out = W · colᵀ + b, computed image by image: W · col_bᵀ is [F, OH·OW], image b's block of [N, F, OH, OW].</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        var g = CheckInput(x.Shape);
        _x = x;
        int[] outputShape = OutputBuffer.Remember(ref _outputShape, [g.N, Filters, g.OutHeight, g.OutWidth]);
        var y = OutputBuffer.ForForward(training, ref _output, outputShape);
        ConvolutionKernel.Forward(g, x.Data, Weight.Value.Data, Bias.Value.Data, y.Data);
        return y;
    }

    /// <summary>∂L/∂W = Σ_b dout_b · col_b, ∂L/∂b = Σ dout over batch and positions, and returns ∂L/∂x = col2im(Wᵀ · dout_b for each image b).</summary>
    /// <remarks>Returns <see cref="Layer.NoInputGradient"/> without computing ∂L/∂x when <see cref="Layer.InputGradientNeeded"/> is false.</remarks>
    public override Tensor Backward(Tensor dout)
    {
        if (_x is null || _outputShape is null)
            throw new InvalidOperationException($"Convolution '{Name}': Backward was called before Forward. Call Forward(x, training: true) first.");
        if (!dout.Shape.SequenceEqual(_outputShape))
            throw new ArgumentException(
                $"Convolution '{Name}' expects dout of shape {Tensor.FormatShape(_outputShape)} (its last output), got {Tensor.FormatShape(dout.Shape)}.");
        var g = CheckInput(_x.Shape);
        ConvolutionKernel.BiasGradient(g, dout.Data, Bias.Gradient.Data);
        Tensor? dx = InputGradientNeeded ? OutputBuffer.Reuse(ref _inputGradient, _x.Shape) : null; // not for the first layer
        ConvolutionKernel.WeightAndInputGradient(g, _x.Data, Weight.Value.Data, dout.Data, ref _partials, Weight.Gradient.Data, dx?.Data);
        return dx ?? NoInputGradient;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        var g = CheckInput(inputShape);
        return [g.N, Filters, g.OutHeight, g.OutWidth];
    }

    /// <summary>E.g. <c>Convolution conv1: 1→30, kernel 5×5, stride 1, padding 0</c>.</summary>
    public override string ToString() =>
        $"Convolution {Name}: {InChannels}→{Filters}, kernel {KernelHeight}×{KernelWidth}, stride {Stride}, padding {Padding}";

    /// <summary>The sizes of a convolution over an input of <paramref name="shape"/>, or an error naming the layer and the shape.</summary>
    private Im2Col.Geometry CheckInput(ReadOnlySpan<int> shape)
    {
        if (shape.Length != 4)
            throw new ArgumentException(
                $"Convolution '{Name}' expects a 4-D input [N, C, H, W], got {shape.Length}-D: input shape {Tensor.FormatShape(shape)}.");
        if (shape[1] != InChannels)
            throw new ArgumentException(
                $"Convolution '{Name}' expects {InChannels} input channel{(InChannels == 1 ? "" : "s")}, got {shape[1]}: input shape {Tensor.FormatShape(shape)}.");
        try
        {
            return new Im2Col.Geometry("Convolution", shape[0], shape[1], shape[2], shape[3], KernelHeight, KernelWidth, Stride, Padding);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Convolution '{Name}' cannot slide over input shape {Tensor.FormatShape(shape)}: {e.Message}", e);
        }
    }

    private static int CheckKernelSize(int kernelSize, string? name) => kernelSize >= 1 ? kernelSize
        : throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize,
            $"Convolution '{name ?? "conv"}' needs kernelSize ≥ 1, got {kernelSize}.");

    private void Require(int value, int minimum, string parameter)
    {
        if (value < minimum)
            throw new ArgumentOutOfRangeException(parameter, value,
                $"Convolution '{Name}' needs {parameter} ≥ {minimum}, got {value}.");
    }
}
