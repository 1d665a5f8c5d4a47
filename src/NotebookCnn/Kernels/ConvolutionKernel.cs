using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// The machinery under <see cref="Convolution"/>: im2col and one matrix multiply per image, images spread over the
/// cores, each thread with its own column buffers, and the weight gradient summed in a fixed number of groups so that
/// the result never depends on the number of threads.
/// </summary>
/// <remarks>
/// Per image b the layer computes W · col_bᵀ, which is [F, OH·OW]: exactly image b's block of the output
/// [N, F, OH, OW] (each filter's feature map one contiguous run). col_bᵀ [C·KH·KW, OH·OW] comes from
/// <see cref="Im2ColTransposed"/>; one image's columns stay in the cache between the im2col and the multiply, and
/// the backward pass rebuilds them from the input instead of keeping the whole batch's (which would be megabytes
/// written once and read back once).
/// </remarks>
internal static class ConvolutionKernel
{
    // One image's columns col_bᵀ and their gradient, per thread: grown to the largest layer's size, then reused.
    [ThreadStatic] private static float[]? t_columns;
    [ThreadStatic] private static float[]? t_columnGradient;

    // Images are summed into ∂L/∂W in this many groups, in parallel: enough for the cores of a laptop.
    // A fixed number (never the thread count), so the sum is always added in the same order.
    private const int WeightGradientGroups = 8;

    /// <summary>y_b = W · col_bᵀ + b for every image b of x, written into y [N, F, OH, OW]; one image per task.</summary>
    public static void Forward(Im2Col.Geometry g, float[] x, float[] weights, float[] bias, float[] y)
    {
        int filters = bias.Length;
        ParallelLoops.ForEachItem(g.N, (long)filters * g.OutHeight * g.OutWidth * g.RowLength, (g, x, weights, bias, y),
            static (s, b) => ForwardImage(s.g, s.x, s.weights, s.bias, s.y, b));
    }

    private static void ForwardImage(in Im2Col.Geometry g, float[] x, float[] weights, float[] bias, float[] y, int b)
    {
        int filters = bias.Length, positions = g.OutHeight * g.OutWidth, mapsStart = b * filters * positions;
        float[] columns = ParallelWork.ThreadBuffer(ref t_columns, g.RowLength * positions);
        Im2ColTransposed.Unfold(x, (int)(b * g.ImageLength), g, columns);
        MatMul.Gemm(MatrixView.Of(weights, filters, g.RowLength), MatrixView.Of(columns, g.RowLength, positions),
            MatrixView.Of(y, filters, positions, mapsStart), maxDegreeOfParallelism: 1);
        for (int f = 0; f < filters; f++)
        {
            var map = y.AsSpan(mapsStart + f * positions, positions);
            AddScalar(map, bias[f], map);
        }
    }

    /// <summary>∂L/∂b[f] = Σ_b Σ_positions dout_b[f, ·], one filter per task.</summary>
    public static void BiasGradient(Im2Col.Geometry g, float[] dout, float[] biasGradient) =>
        ParallelLoops.ForEachItem(biasGradient.Length, (long)g.N * g.OutHeight * g.OutWidth, (g, dout, biasGradient), static (s, f) =>
        {
            int positions = s.g.OutHeight * s.g.OutWidth, filters = s.biasGradient.Length;
            float sum = 0f;
            for (int b = 0; b < s.g.N; b++)
                sum += Elementwise.Sum(s.dout.AsSpan((b * filters + f) * positions, positions));
            s.biasGradient[f] = sum;
        });

    /// <summary>
    /// ∂L/∂W = Σ_b dout_b · col_b into <paramref name="weightGradient"/> and, when <paramref name="dx"/> is given,
    /// ∂L/∂x = col2im(Wᵀ · dout_b) for each image. A fixed number of image groups each sum their images into a partial
    /// ∂L/∂W (kept in <paramref name="partials"/>, reused between batches), in parallel; then the partials are added in order.
    /// </summary>
    public static void WeightAndInputGradient(Im2Col.Geometry g, float[] x, float[] weights, float[] dout,
        ref float[] partials, float[] weightGradient, float[]? dx)
    {
        int groups = Math.Min(g.N, WeightGradientGroups), size = weightGradient.Length, positions = g.OutHeight * g.OutWidth;
        partials = ParallelLoops.Reuse(partials, groups * size);
        ParallelLoops.ForEachItem(groups, (long)g.N / groups * size * positions * (dx is null ? 1 : 2),
            (g, groups, x, weights, dout, partials, dx), static (s, group) => BackwardGroup(s.g, s.groups, group, s.x, s.weights, s.dout, s.partials, s.dx));
        Span<float> sum = weightGradient.AsSpan(0, size);
        partials.AsSpan(0, size).CopyTo(sum);
        for (int group = 1; group < groups; group++)
            Elementwise.Add(sum, partials.AsSpan(group * size, size), sum);
    }

    // For each image b of one group: rebuilds col_bᵀ, adds dout_b · col_b [F, C·KH·KW] to the group's partial ∂L/∂W and,
    // when dx is given, folds ∂L/∂col_bᵀ = Wᵀ · dout_b [C·KH·KW, OH·OW] back onto image b of ∂L/∂x.
    private static void BackwardGroup(in Im2Col.Geometry g, int groups, int group, float[] x, float[] weights, float[] dout,
        float[] partials, float[]? dx)
    {
        int positions = g.OutHeight * g.OutWidth, rowLength = g.RowLength, filters = weights.Length / rowLength;
        int first = (int)((long)g.N * group / groups), end = (int)((long)g.N * (group + 1) / groups);
        float[] columns = ParallelWork.ThreadBuffer(ref t_columns, rowLength * positions);
        float[] columnGradient = dx is null ? [] : ParallelWork.ThreadBuffer(ref t_columnGradient, rowLength * positions);
        var partial = MatrixView.Of(partials, filters, rowLength, group * filters * rowLength);
        for (int b = first; b < end; b++)
        {
            int imageStart = (int)(b * g.ImageLength);
            var doutImage = MatrixView.Of(dout, filters, positions, b * filters * positions);
            Im2ColTransposed.Unfold(x, imageStart, g, columns);
            MatMul.Gemm(doutImage, MatrixView.Of(columns, rowLength, positions).T, partial, accumulate: b > first, maxDegreeOfParallelism: 1);
            if (dx is null) continue;
            MatMul.Gemm(MatrixView.Of(weights, filters, rowLength).T, doutImage, MatrixView.Of(columnGradient, rowLength, positions),
                maxDegreeOfParallelism: 1);
            Im2ColTransposed.Fold(columnGradient, g, dx, imageStart);
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
}
