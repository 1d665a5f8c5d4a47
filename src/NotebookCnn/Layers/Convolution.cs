using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// A 2-D convolution (cross-correlation, as in every deep-learning library): each of F filters
/// [C, KH, KW] slides over the input [N, C, H, W], and at every position the sum of products plus
/// the filter's bias gives one value of the output [N, F, OH, OW], with OH = (H + 2P − KH)/S + 1.
/// </summary>
/// <remarks>
/// Computed as im2col + one matrix multiply (chapter 02): every receptive field becomes a row of
/// col [N·OH·OW, C·KH·KW], the filters become W [F, C·KH·KW], and out = col · Wᵀ + b.
/// The layer computes the transpose, W · colᵀ [F, N·OH·OW]: then each image's feature map for a filter is
/// one contiguous run of OH·OW values, copied into [N, F, OH, OW] without a scattered transpose.
/// </remarks>
public partial class Convolution : Layer
{
    private float[] _col = [];       // im2col of the last input: Forward fills it, Backward reads it
    private float[] _partials = [];  // ∂L/∂W summed over each group of images, reused between batches
    private float[] _dcol = [];      // ∂L/∂col, reused between batches
    private int[]? _inputShape;      // [N, C, H, W] of the last input
    private int[]? _outputShape;     // [N, F, OH, OW] of the last output
    private Tensor? _output;         // the output while training, reused by the next training batch of the same shape
    private Tensor? _inputGradient;  // ∂L/∂x, reused by the next Backward of the same shape

    /// <summary>Creates a convolution with square kernels.</summary>
    /// <param name="inChannels">C: channels of the input (1 for grey images, 3 for colour).</param>
    /// <param name="filters">F: number of filters = channels of the output.</param>
    /// <param name="kernelSize">KH = KW: the kernel's height and width.</param>
    /// <param name="stride">S: step between windows.</param>
    /// <param name="padding">P: zeros added on every border.</param>
    /// <param name="initializer">How the weights are drawn; He by default. Fan-in is C·KH·KW.</param>
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
        int fanIn = inChannels * KernelHeight * KernelWidth;
        Weight = new Parameter($"{Name}.weight",
            Initializer.Create(fanIn, Rng.Create(seed), filters, inChannels, KernelHeight, KernelWidth));
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

    // Images are summed into ∂L/∂W in this many groups, in parallel: enough for the cores of a laptop.
    private const int WeightGradientGroups = 8;

    // The im2col buffer, visible to tests that check it is reused between batches of the same shape.
    internal float[] ColumnBuffer => _col;

    /// <summary>out = W · colᵀ + b, computed image by image: W · col_bᵀ is [F, OH·OW], image b's block of [N, F, OH, OW].</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        var (n, c, h, w, oh, ow) = CheckInput(x.Shape);
        int rows = n * oh * ow, rowLength = c * KernelHeight * KernelWidth;
        OutputBuffer.Remember(ref _inputShape, x.Shape);
        OutputBuffer.Remember(ref _outputShape, [n, Filters, oh, ow]);
        Reuse(ref _col, rows * rowLength);
        Im2Col.Unfold(x.Data, n, c, h, w, KernelHeight, KernelWidth, Stride, Padding, _col);

        // Image by image, W · col_bᵀ [F, OH·OW] is that image's block of the output [N, F, OH, OW]: written in
        // place (one image per task, each product on one thread), then the bias is added to each feature map.
        var y = training ? OutputBuffer.Reuse(ref _output, [n, Filters, oh, ow]) : new Tensor(n, Filters, oh, ow);
        int positions = oh * ow, filters = Filters;
        float[] weight = Weight.Value.Data, col = _col, output = y.Data, bias = Bias.Value.Data;
        ParallelLoops.ForEachItem(n, (long)filters * positions * rowLength, (weight, col, bias, output, filters, positions, rowLength), static (s, b) =>
        {
            int mapsStart = b * s.filters * s.positions;
            MatMul.Gemm(s.weight, 0, s.col, b * s.positions * s.rowLength, s.output, mapsStart,
                s.filters, s.positions, s.rowLength, transposeA: false, transposeB: true, accumulate: false, maxDegreeOfParallelism: 1);
            for (int f = 0; f < s.filters; f++)
            {
                var map = s.output.AsSpan(mapsStart + f * s.positions, s.positions);
                AddScalar(map, s.bias[f], map);
            }
        });
        return y;
    }

    /// <summary>∂L/∂W = Σ_b dout_b · col_b, ∂L/∂b = Σ dout over batch and positions, and returns ∂L/∂x = col2im(dout_bᵀ · W for each image b).</summary>
    /// <remarks>Returns <see cref="Layer.NoInputGradient"/> without computing ∂L/∂x when <see cref="Layer.InputGradientNeeded"/> is false.</remarks>
    public override Tensor Backward(Tensor dout)
    {
        if (_inputShape is null || _outputShape is null)
            throw new InvalidOperationException($"Convolution '{Name}': Backward was called before Forward. Call Forward(x, training: true) first.");
        int[] expected = _outputShape;
        if (!dout.Shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"Convolution '{Name}' expects dout of shape {Tensor.FormatShape(expected)} (its last output), got {Tensor.FormatShape(dout.Shape)}.");
        int n = expected[0], positions = expected[2] * expected[3];
        int rows = n * positions, rowLength = InChannels * KernelHeight * KernelWidth;

        // Image by image, as in Forward: dout_b [F, OH·OW] is image b's block of dout, col_b [OH·OW, C·KH·KW] its rows of col.
        // ∂L/∂b[f] = Σ_b Σ_positions dout_b[f, ·], one filter per task.
        int filters = Filters;
        float[] gradient = dout.Data, col = _col, biasGradient = Bias.Gradient.Data;
        ParallelLoops.ForEachItem(filters, rows, (gradient, biasGradient, n, filters, positions), static (s, f) =>
        {
            float sum = 0f;
            for (int b = 0; b < s.n; b++)
                sum += Elementwise.Sum(s.gradient.AsSpan((b * s.filters + f) * s.positions, s.positions));
            s.biasGradient[f] = sum;
        });

        // ∂L/∂W = Σ_b dout_b · col_b: a fixed number of image groups (never the thread count, so the sum is always
        // added in the same order) each sum their images into a partial ∂L/∂W, then the partials are added in order.
        int groups = Math.Min(n, WeightGradientGroups), size = filters * rowLength;
        Reuse(ref _partials, groups * size);
        float[] partials = _partials;
        ParallelLoops.ForEachItem(groups, (long)n / groups * size * positions, (gradient, col, partials, n, groups, filters, positions, rowLength),
            static (s, g) =>
            {
                int first = (int)((long)s.n * g / s.groups), end = (int)((long)s.n * (g + 1) / s.groups);
                for (int b = first; b < end; b++)
                    MatMul.Gemm(s.gradient, b * s.filters * s.positions, s.col, b * s.positions * s.rowLength,
                        s.partials, g * s.filters * s.rowLength, s.filters, s.rowLength, s.positions,
                        transposeA: false, transposeB: false, accumulate: b > first, maxDegreeOfParallelism: 1);
            });
        Span<float> weightGradient = Weight.Gradient.Data.AsSpan(0, size);
        partials.AsSpan(0, size).CopyTo(weightGradient);
        for (int g = 1; g < groups; g++)
            Elementwise.Add(weightGradient, partials.AsSpan(g * size, size), weightGradient);

        if (!InputGradientNeeded) return NoInputGradient; // the first layer: nobody needs ∂L/∂x
        // ∂L/∂col_b = dout_bᵀ · W [OH·OW, C·KH·KW], then col2im folds it back onto the input.
        Reuse(ref _dcol, rows * rowLength);
        float[] weight = Weight.Value.Data, dcol = _dcol;
        ParallelLoops.ForEachItem(n, (long)size * positions, (gradient, weight, dcol, filters, positions, rowLength), static (s, b) =>
            MatMul.Gemm(s.gradient, b * s.filters * s.positions, s.weight, 0, s.dcol, b * s.positions * s.rowLength,
                s.positions, s.rowLength, s.filters, transposeA: true, transposeB: false, accumulate: false, maxDegreeOfParallelism: 1));
        var dx = OutputBuffer.Reuse(ref _inputGradient, _inputShape);
        Col2Im.Fold(_dcol, n, InChannels, _inputShape[2], _inputShape[3], KernelHeight, KernelWidth, Stride, Padding, dx.Data);
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        var (n, _, _, _, oh, ow) = CheckInput(inputShape);
        return [n, Filters, oh, ow];
    }

    /// <summary>E.g. <c>Convolution conv1: 1→30, kernel 5×5, stride 1, padding 0</c>.</summary>
    public override string ToString() =>
        $"Convolution {Name}: {InChannels}→{Filters}, kernel {KernelHeight}×{KernelWidth}, stride {Stride}, padding {Padding}";

    private (int N, int C, int H, int W, int OH, int OW) CheckInput(ReadOnlySpan<int> shape)
    {
        if (shape.Length != 4)
            throw new ArgumentException(
                $"Convolution '{Name}' expects a 4-D input [N, C, H, W], got {shape.Length}-D: input shape {Tensor.FormatShape(shape)}.");
        if (shape[1] != InChannels)
            throw new ArgumentException(
                $"Convolution '{Name}' expects {InChannels} input channel{(InChannels == 1 ? "" : "s")}, got {shape[1]}: input shape {Tensor.FormatShape(shape)}.");
        try
        {
            return (shape[0], shape[1], shape[2], shape[3],
                Im2Col.OutputSize(shape[2], KernelHeight, Stride, Padding), Im2Col.OutputSize(shape[3], KernelWidth, Stride, Padding));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Convolution '{Name}' cannot slide over input shape {Tensor.FormatShape(shape)}: {e.Message}", e);
        }
    }

    // Keeps a buffer while the batch shape stays the same, so steady-state training allocates no new col matrix.
    private static void Reuse(ref float[] buffer, int length)
    {
        if (buffer.Length != length) buffer = new float[length];
    }

    // destination = source + value, vectorised: the bias added to one feature map.
    private static void AddScalar(ReadOnlySpan<float> source, float value, Span<float> destination)
    {
        int i = 0;
        var v = new Vector<float>(value);
        for (; i <= source.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(source[i..]) + v).CopyTo(destination[i..]);
        for (; i < source.Length; i++) destination[i] = source[i] + value;
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
