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
/// The layer does it image by image and transposed: for image b, W · col_bᵀ is [F, OH·OW], which is
/// exactly that image's block of the output [N, F, OH, OW] (each filter's feature map one contiguous run).
/// col_bᵀ [C·KH·KW, OH·OW] comes from <see cref="Im2ColTransposed"/>; one image's columns stay in the cache
/// between the im2col and the multiply, and Backward rebuilds them from the input instead of keeping the
/// whole batch's (which would be megabytes written once and read back once).
/// </remarks>
public partial class Convolution : Layer
{
    private Tensor? _x;              // the last input: Backward rebuilds each image's columns from it
    private float[] _partials = [];  // ∂L/∂W summed over each group of images, reused between batches
    private int[]? _outputShape;     // [N, F, OH, OW] of the last output
    private Tensor? _output;         // the output while training, reused by the next training batch of the same shape
    private Tensor? _inputGradient;  // ∂L/∂x, reused by the next Backward of the same shape

    // One image's columns col_bᵀ and their gradient, per thread: grown to the largest layer's size, then reused.
    [ThreadStatic] private static float[]? t_columns;
    [ThreadStatic] private static float[]? t_columnGradient;

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

    // Images are summed into ∂L/∂W in this many groups, in parallel: enough for the cores of a laptop.
    // A fixed number (never the thread count), so the sum is always added in the same order.
    private const int WeightGradientGroups = 8;

    /// <summary>out = W · colᵀ + b, computed image by image: W · col_bᵀ is [F, OH·OW], image b's block of [N, F, OH, OW].</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        var g = CheckInput(x.Shape);
        _x = x;
        int[] outputShape = OutputBuffer.Remember(ref _outputShape, [g.N, Filters, g.OutHeight, g.OutWidth]);
        var y = OutputBuffer.ForForward(training, ref _output, outputShape);
        // One image per task, each product on one thread: im2col of the image, the product written in
        // place into the output, then the bias added to each feature map.
        ParallelLoops.ForEachItem(g.N, (long)Filters * g.OutHeight * g.OutWidth * g.RowLength, (layer: this, g, x: x.Data, y: y.Data),
            static (s, b) => s.layer.ForwardImage(s.g, s.x, s.y, b));
        return y;
    }

    private void ForwardImage(in Im2Col.Geometry g, float[] x, float[] y, int b)
    {
        int positions = g.OutHeight * g.OutWidth, mapsStart = b * Filters * positions;
        float[] columns = ParallelWork.ThreadBuffer(ref t_columns, g.RowLength * positions);
        Im2ColTransposed.Unfold(x, (int)(b * g.ImageLength), g, columns);
        MatMul.Gemm(Weight.Value.Data, 0, columns, 0, y, mapsStart, Filters, positions, g.RowLength,
            transposeA: false, transposeB: false, accumulate: false, maxDegreeOfParallelism: 1);
        for (int f = 0; f < Filters; f++)
        {
            var map = y.AsSpan(mapsStart + f * positions, positions);
            AddScalar(map, Bias.Value.Data[f], map);
        }
    }

    /// <summary>∂L/∂W = Σ_b dout_b · col_b, ∂L/∂b = Σ dout over batch and positions, and returns ∂L/∂x = col2im(Wᵀ · dout_b for each image b).</summary>
    /// <remarks>Returns <see cref="Layer.NoInputGradient"/> without computing ∂L/∂x when <see cref="Layer.InputGradientNeeded"/> is false.</remarks>
    public override Tensor Backward(Tensor dout)
    {
        if (_x is null || _outputShape is null)
            throw new InvalidOperationException($"Convolution '{Name}': Backward was called before Forward. Call Forward(x, training: true) first.");
        int[] expected = _outputShape;
        if (!dout.Shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"Convolution '{Name}' expects dout of shape {Tensor.FormatShape(expected)} (its last output), got {Tensor.FormatShape(dout.Shape)}.");
        var g = CheckInput(_x.Shape);
        int n = g.N, positions = g.OutHeight * g.OutWidth, filters = Filters;

        // ∂L/∂b[f] = Σ_b Σ_positions dout_b[f, ·], one filter per task.
        float[] gradient = dout.Data, biasGradient = Bias.Gradient.Data;
        ParallelLoops.ForEachItem(filters, (long)n * positions, (gradient, biasGradient, n, filters, positions), static (s, f) =>
        {
            float sum = 0f;
            for (int b = 0; b < s.n; b++)
                sum += Elementwise.Sum(s.gradient.AsSpan((b * s.filters + f) * s.positions, s.positions));
            s.biasGradient[f] = sum;
        });

        // A fixed number of image groups each sum their images' dout_b · col_b into a partial ∂L/∂W (and fold
        // their images' ∂L/∂x), in parallel; then the partials are added in order.
        int groups = Math.Min(n, WeightGradientGroups), size = filters * g.RowLength;
        _partials = ParallelLoops.Reuse(_partials, groups * size);
        Tensor? dx = InputGradientNeeded ? OutputBuffer.Reuse(ref _inputGradient, _x.Shape) : null;
        ParallelLoops.ForEachItem(groups, (long)n / groups * size * positions * (dx is null ? 1 : 2),
            (layer: this, g, groups, gradient, dx: dx?.Data), static (s, group) => s.layer.BackwardGroup(s.g, s.groups, group, s.gradient, s.dx));
        Span<float> weightGradient = Weight.Gradient.Data.AsSpan(0, size);
        _partials.AsSpan(0, size).CopyTo(weightGradient);
        for (int group = 1; group < groups; group++)
            Elementwise.Add(weightGradient, _partials.AsSpan(group * size, size), weightGradient);
        return dx ?? NoInputGradient; // the first layer: nobody needs ∂L/∂x
    }

    /// <summary>
    /// For each image b of one group: rebuilds col_bᵀ, adds dout_b · col_b [F, C·KH·KW] to the group's partial ∂L/∂W and,
    /// when <paramref name="dx"/> is given, folds ∂L/∂col_bᵀ = Wᵀ · dout_b [C·KH·KW, OH·OW] back onto image b of ∂L/∂x.
    /// </summary>
    private void BackwardGroup(in Im2Col.Geometry g, int groups, int group, float[] dout, float[]? dx)
    {
        int positions = g.OutHeight * g.OutWidth, rowLength = g.RowLength, filters = Filters;
        int first = (int)((long)g.N * group / groups), end = (int)((long)g.N * (group + 1) / groups);
        float[] columns = ParallelWork.ThreadBuffer(ref t_columns, rowLength * positions);
        float[] columnGradient = dx is null ? [] : ParallelWork.ThreadBuffer(ref t_columnGradient, rowLength * positions);
        for (int b = first; b < end; b++)
        {
            int doutStart = b * filters * positions, imageStart = (int)(b * g.ImageLength);
            Im2ColTransposed.Unfold(_x!.Data, imageStart, g, columns);
            MatMul.Gemm(dout, doutStart, columns, 0, _partials, group * filters * rowLength, filters, rowLength, positions,
                transposeA: false, transposeB: true, accumulate: b > first, maxDegreeOfParallelism: 1);
            if (dx is null) continue;
            MatMul.Gemm(Weight.Value.Data, 0, dout, doutStart, columnGradient, 0, rowLength, positions, filters,
                transposeA: true, transposeB: false, accumulate: false, maxDegreeOfParallelism: 1);
            Im2ColTransposed.Fold(columnGradient, g, dx, imageStart);
        }
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
