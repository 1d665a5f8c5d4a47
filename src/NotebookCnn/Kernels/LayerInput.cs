namespace NotebookCnn;

/// <summary>
/// Input and gradient shape checks shared by the layers, so every message has the same form:
/// which layer, what it expected, what it got.
/// </summary>
internal static class LayerInput
{
    /// <summary>"MaxPooling 'pool1'": how messages name a layer.</summary>
    public static string Describe(Layer layer) => $"{layer.GetType().Name} '{layer.Name}'";

    /// <summary>Throws unless the shape has one of the allowed ranks; <paramref name="layout"/> says what the dimensions mean.</summary>
    public static void RequireRank(Layer layer, ReadOnlySpan<int> shape, string layout, params int[] ranks)
    {
        if (Array.IndexOf(ranks, shape.Length) < 0)
            throw new ArgumentException(
                $"{Describe(layer)} expects input {layout}, got shape {Tensor.FormatShape(shape)} (rank {shape.Length}).");
    }

    /// <summary>Throws unless dimension 1 (features or channels) has the size the layer was built for.</summary>
    public static void RequireChannels(Layer layer, ReadOnlySpan<int> shape, int expected)
    {
        if (shape[1] != expected)
        {
            string what = shape.Length == 2 ? "features" : "channels";
            throw new ArgumentException(
                $"{Describe(layer)} expects {expected} {what} (dimension 1), got {shape[1]}: input shape {Tensor.FormatShape(shape)}.");
        }
    }

    /// <summary>
    /// Checks the input of a per-channel layer (BatchNorm, PRelu): [N, D] with D features, or [N, C, H, W] with C channels.
    /// </summary>
    public static void RequirePerChannel(Layer layer, ReadOnlySpan<int> shape, int channels)
    {
        RequireRank(layer, shape, "[N, C, H, W] or [N, D]", 2, 4);
        RequireChannels(layer, shape, channels);
    }

    /// <summary>Values per channel and example: H·W for [N, C, H, W], 1 for [N, D].</summary>
    public static int PlaneSize(ReadOnlySpan<int> shape) => shape.Length == 4 ? shape[2] * shape[3] : 1;

    /// <summary>Throws unless Forward ran and <paramref name="dout"/> has the shape of its output.</summary>
    public static void RequireGradient(Layer layer, Tensor dout, int[]? outputShape)
    {
        ArgumentNullException.ThrowIfNull(dout);
        if (outputShape is null)
            throw new InvalidOperationException($"{Describe(layer)}: call Forward before Backward.");
        if (!dout.Shape.SequenceEqual(outputShape))
            throw new ArgumentException(
                $"{Describe(layer)} Backward expects dout of the output's shape {Tensor.FormatShape(outputShape)}, got {Tensor.FormatShape(dout.Shape)}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is positive, naming the layer's type and the argument.</summary>
    public static void RequirePositive(string layerType, string argument, int value)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(argument, value, $"{layerType}: {argument} must be positive, got {value}.");
    }
}
