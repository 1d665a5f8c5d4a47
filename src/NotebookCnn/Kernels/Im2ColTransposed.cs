using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NotebookCnn;

/// <summary>
/// im2col of one image, transposed: the columns [C·KH·KW, OH·OW] (row (ch, ky, kx), column (oy, ox)),
/// which is <see cref="Im2Col"/>'s [OH·OW, C·KH·KW] for that image turned on its side. The layout
/// <see cref="Convolution"/> multiplies with (as Caffe does), and its adjoint <see cref="Fold"/>.
/// </summary>
/// <remarks>
/// Why transposed: row (ch, ky, kx) is the input channel ch shifted by (ky, kx), so with stride 1 each
/// output row oy of it is a contiguous run of the input row iy = oy + ky − P: whole runs are copied (and, in
/// <see cref="Fold"/>, added) at once, with zeros where the window hangs over the padding. And W [F, C·KH·KW]
/// times these columns gives [F, OH·OW], which is already the image's block of the output [N, F, OH, OW].
/// One image is small enough (a few tens of KB for the course's networks) to stay in the cache between the
/// im2col and the multiply that reads it. The arrays' lengths are checked once per image, then the loops index with pointers.
/// The runs are short (OW values: 24 in SimpleConvNet, 10 in LeNet-5's second layer), so they are moved with
/// a few vector instructions inline rather than by calls to a general copy, whose fixed cost per call would
/// be larger than the copy itself.
/// </remarks>
internal static class Im2ColTransposed
{
    /// <summary>Fills <paramref name="columns"/> [C·KH·KW, OH·OW] from the image [C, H, W] at <paramref name="imageOffset"/> in <paramref name="x"/>.</summary>
    public static unsafe void Unfold(float[] x, int imageOffset, in Im2Col.Geometry g, float[] columns)
    {
        RequireLengths(x, imageOffset, g, columns);
        int outWidth = g.OutWidth;
        fixed (float* xBase = x, columnsBase = columns)
        {
            float* image = xBase + imageOffset, target = columnsBase; // target: row (ch, ky, kx), output row oy
            for (int ch = 0; ch < g.C; ch++)
                for (int ky = 0; ky < g.KernelHeight; ky++)
                    for (int kx = 0; kx < g.KernelWidth; kx++)
                    {
                        int ix0 = kx - g.Padding; // input column of ox = 0
                        var (first, end) = Inside(ix0, g);
                        for (int oy = 0; oy < g.OutHeight; oy++, target += outWidth)
                        {
                            int iy = oy * g.Stride + ky - g.Padding;
                            if ((uint)iy >= (uint)g.H)
                            {
                                new Span<float>(target, outWidth).Clear(); // the whole window row lies on the padding
                                continue;
                            }
                            float* input = image + ((long)ch * g.H + iy) * g.W + ix0; // input[ox·S] is output ox's pixel
                            if (g.Stride == 1)
                            {
                                for (int ox = 0; ox < first; ox++) target[ox] = 0f;
                                CopyRun(input + first, target + first, end - first);
                                for (int ox = end; ox < outWidth; ox++) target[ox] = 0f;
                            }
                            else
                                for (int ox = 0; ox < outWidth; ox++)
                                    target[ox] = ox >= first && ox < end ? input[ox * g.Stride] : 0f;
                        }
                    }
        }
    }

    /// <summary>
    /// The adjoint: clears the image [C, H, W] at <paramref name="imageOffset"/> in <paramref name="x"/>, then adds every
    /// value of <paramref name="columns"/> [C·KH·KW, OH·OW] back onto the pixel it was read from (values on the padding are dropped).
    /// </summary>
    /// <remarks>Each pixel receives its terms in one fixed order (row by row of the columns), whatever the number of threads.</remarks>
    public static unsafe void Fold(float[] columns, in Im2Col.Geometry g, float[] x, int imageOffset)
    {
        RequireLengths(x, imageOffset, g, columns);
        int outWidth = g.OutWidth;
        x.AsSpan(imageOffset, g.C * g.H * g.W).Clear();
        fixed (float* xBase = x, columnsBase = columns)
        {
            float* image = xBase + imageOffset, source = columnsBase;
            for (int ch = 0; ch < g.C; ch++)
                for (int ky = 0; ky < g.KernelHeight; ky++)
                    for (int kx = 0; kx < g.KernelWidth; kx++)
                    {
                        int ix0 = kx - g.Padding;
                        var (first, end) = Inside(ix0, g);
                        for (int oy = 0; oy < g.OutHeight; oy++, source += outWidth)
                        {
                            int iy = oy * g.Stride + ky - g.Padding;
                            if ((uint)iy >= (uint)g.H)
                                continue;
                            float* output = image + ((long)ch * g.H + iy) * g.W + ix0;
                            if (g.Stride == 1)
                                AddRun(source + first, output + first, end - first);
                            else
                                for (int ox = first; ox < end; ox++)
                                    output[ox * g.Stride] += source[ox];
                        }
                    }
        }
    }

    private static void RequireLengths(float[] x, int imageOffset, in Im2Col.Geometry g, float[] columns)
    {
        long imageLength = g.ImageLength, columnsLength = (long)g.RowLength * g.OutHeight * g.OutWidth;
        if (imageOffset < 0 || imageOffset + imageLength > x.Length)
            throw new ArgumentException($"Im2ColTransposed: an image of [{g.C}, {g.H}, {g.W}] at index {imageOffset} does not fit in an array of {x.Length} values.");
        if (columns.Length < columnsLength)
            throw new ArgumentException($"Im2ColTransposed: the columns [{g.RowLength}, {g.OutHeight * g.OutWidth}] need {columnsLength} values, the array has {columns.Length}.");
    }

    /// <summary>target[0..count) = source[0..count): whole 8-float vectors, the last one overlapping the one before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyRun(float* source, float* target, int count)
    {
        if (!Vector256.IsHardwareAccelerated || count < 8)
        {
            for (int i = 0; i < count; i++) target[i] = source[i];
            return;
        }
        for (int i = 0; i < count - 8; i += 8)
            Vector256.Load(source + i).Store(target + i);
        Vector256.Load(source + count - 8).Store(target + count - 8); // rewrites a few values with the same values
    }

    /// <summary>target[0..count) += source[0..count): 8 values at a time, then 4, then one by one (an overlap would add twice).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddRun(float* source, float* target, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= count; i += 8)
                (Vector256.Load(target + i) + Vector256.Load(source + i)).Store(target + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i + 4 <= count; i += 4)
                (Vector128.Load(target + i) + Vector128.Load(source + i)).Store(target + i);
        for (; i < count; i++)
            target[i] += source[i];
    }

    /// <summary>The outputs first ≤ ox &lt; end whose input column ix0 + ox·S lies inside the image row [0, W).</summary>
    private static (int First, int End) Inside(int ix0, in Im2Col.Geometry g)
    {
        // ix0 + ox·S ≥ 0  ⇔  ox ≥ ⌈−ix0 / S⌉;   ix0 + ox·S ≤ W − 1  ⇔  ox ≤ ⌊(W − 1 − ix0) / S⌋.
        int first = ix0 >= 0 ? 0 : (-ix0 + g.Stride - 1) / g.Stride;
        int last = g.W - 1 - ix0 >= 0 ? (g.W - 1 - ix0) / g.Stride : -1;
        first = Math.Min(first, g.OutWidth);
        return (first, Math.Clamp(last + 1, first, g.OutWidth));
    }
}
