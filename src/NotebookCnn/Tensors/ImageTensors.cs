namespace NotebookCnn;

/// <summary>
/// Small helpers for looking at images and feature maps in a notebook: print a plane as rows of numbers,
/// turn a hand-written grid into a batch of one image, take one feature map out of a batch.
/// </summary>
public static class ImageTensors
{
    /// <summary>
    /// The first plane of <paramref name="t"/> (its last two axes; a vector is one row) as text, one bracketed row per
    /// line, each value right-aligned in 5 characters with up to 3 decimals, e.g. <c>[    1,   0.5,    -2]</c>.
    /// </summary>
    public static string Rows(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        int h = t.Rank >= 2 ? t.Dim(-2) : 1, w = t.Dim(-1);
        return string.Join("\n", Enumerable.Range(0, h).Select(r =>
            "[" + string.Join(", ", Enumerable.Range(0, w).Select(c => $"{t.Data[r * w + c],5:0.###}")) + "]"));
    }

    /// <summary>A grid of values [H, W] as a batch of one grey image [1, 1, H, W], ready for a layer's Forward.</summary>
    public static Tensor AsImage(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Tensor.FromArray(values).Reshape(1, 1, values.GetLength(0), values.GetLength(1));
    }

    /// <summary>Feature map <paramref name="channel"/> of the first image of a batch [N, C, H, W], copied out as [H, W].</summary>
    /// <exception cref="ArgumentException">The tensor is not [N, C, H, W] or has no such channel.</exception>
    public static Tensor Channel(Tensor t, int channel)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.Rank != 4 || channel < 0 || channel >= t.Dim(1))
            throw new ArgumentException(
                $"Channel expects a batch [N, C, H, W] and a channel in 0…C−1, got shape {Tensor.FormatShape(t.Shape)} and channel {channel}.");
        int h = t.Dim(2), w = t.Dim(3);
        return new Tensor(t.Data.AsSpan(channel * h * w, h * w).ToArray(), h, w);
    }
}
