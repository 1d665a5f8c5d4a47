namespace NotebookCnn;

/// <summary>
/// col2im: the adjoint of <see cref="Im2Col"/>. Adds every row of a [N·OH·OW, C·KH·KW] matrix back onto
/// the image positions it was read from; overlapping windows add up, as gradients must.
/// </summary>
public static class Col2Im
{
    /// <summary>Folds <paramref name="cols"/> back into a tensor of <paramref name="inputShape"/> [N, C, H, W].</summary>
    public static Tensor Fold(Tensor cols, int[] inputShape, int kernelHeight, int kernelWidth, int stride, int padding)
    {
        if (inputShape.Length != 4)
            throw new ArgumentException($"Col2Im expects an input shape [N, C, H, W], got {Tensor.FormatShape(inputShape)}.");
        int n = inputShape[0], c = inputShape[1], h = inputShape[2], w = inputShape[3];
        int oh = Im2Col.OutputSize(h, kernelHeight, stride, padding), ow = Im2Col.OutputSize(w, kernelWidth, stride, padding);
        int[] expected = [n * oh * ow, c * kernelHeight * kernelWidth];
        if (cols.Rank != 2 || cols.Dim(0) != expected[0] || cols.Dim(1) != expected[1])
            throw new ArgumentException(
                $"Col2Im expects columns of shape {Tensor.FormatShape(expected)}, got {Tensor.FormatShape(cols.Shape)}.");
        var x = new Tensor(inputShape);
        Fold(cols.Data, n, c, h, w, kernelHeight, kernelWidth, stride, padding, x.Data);
        return x;
    }

    /// <summary>The same as <see cref="Fold(Tensor, int[], int, int, int, int)"/>, into a caller's buffer (overwritten).</summary>
    /// <remarks>The buffer may be longer (reused across batches); values beyond N·C·H·W are not touched.</remarks>
    /// <exception cref="ArgumentException">The sizes do not fit or an array is too short.</exception>
    public static void Fold(float[] cols, int n, int c, int h, int w, int kernelHeight, int kernelWidth,
        int stride, int padding, float[] x)
    {
        var geometry = new Im2Col.Geometry("Col2Im", n, c, h, w, kernelHeight, kernelWidth, stride, padding);
        geometry.RequireLengths(x, "x", cols, "cols");
        Array.Clear(x, 0, n * c * h * w);
        geometry.ForEachPair((cols, x), static (s, pixel, column) =>
        {
            if (pixel >= 0) s.x[pixel] += s.cols[column]; // overlapping windows add up; values read from padding go nowhere
        });
    }
}
