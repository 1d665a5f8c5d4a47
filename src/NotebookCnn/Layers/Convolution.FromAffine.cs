namespace NotebookCnn;

public partial class Convolution
{
    /// <summary>
    /// The convolution that computes exactly what <paramref name="affine"/> computes, with its weights copied:
    /// "a fully connected layer is a convolution" (chapter 10).
    /// </summary>
    /// <remarks>
    /// <para><b>Global convolution.</b> An Affine layer on a flattened C×H×W input equals a convolution with
    /// one H×W kernel per output unit, covering the whole input: filter m is column m of W, reshaped to
    /// [C, H, W] in the order <see cref="Flatten"/> lays the values out. The output is [N, M, 1, 1].</para>
    /// <para><b>1×1 convolution.</b> With <paramref name="height"/> = <paramref name="width"/> = 1 the kernel is
    /// 1×1 and the convolution applies the Affine layer (C → M) to every pixel's C channel values separately,
    /// on an image of any size.</para>
    /// </remarks>
    /// <param name="affine">The fully connected layer; its input size must be <paramref name="channels"/>·<paramref name="height"/>·<paramref name="width"/>.</param>
    /// <param name="channels">C: channels of the input the Affine layer saw (flattened).</param>
    /// <param name="height">H: the kernel height (the input's height for a global convolution, 1 for a 1×1).</param>
    /// <param name="width">W: the kernel width.</param>
    /// <param name="name">The new layer's name; "conv" unless given.</param>
    /// <exception cref="ArgumentException">C·H·W differs from the Affine layer's input size.</exception>
    public static Convolution FromAffine(Affine affine, int channels, int height, int width, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(affine);
        if ((long)channels * height * width != affine.InputSize)
            throw new ArgumentException(
                $"Convolution.FromAffine: Affine '{affine.Name}' takes {affine.InputSize} values per example, but a kernel of "
                + $"{channels} channels × {height}×{width} holds {(long)channels * height * width}. Pass the C, H, W of the input it was flattened from.",
                nameof(affine));
        int units = affine.OutputSize, kernelLength = channels * height * width;
        var conv = new Convolution(channels, units, (height, width), name: name);
        float[] w = affine.Weight.Value.Data, filters = conv.Weight.Value.Data;
        // Affine's W is [D, M] (column m = unit m); the convolution's is [M, C, KH, KW] (row m = filter m): a transpose.
        for (int m = 0; m < units; m++)
            for (int d = 0; d < kernelLength; d++)
                filters[m * kernelLength + d] = w[d * units + m];
        conv.Bias.Value.CopyFrom(affine.Bias.Value);
        return conv;
    }

    /// <summary>The 1×1 convolution equal to <paramref name="affine"/> applied to every pixel's channel vector (C = its input size).</summary>
    /// <param name="affine">A fully connected layer C → M.</param>
    /// <param name="name">The new layer's name; "conv" unless given.</param>
    public static Convolution FromAffine(Affine affine, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(affine);
        return FromAffine(affine, affine.InputSize, 1, 1, name);
    }
}
