namespace NotebookCnn;

/// <summary>
/// The contents of an IDX image file: <see cref="Count"/> greyscale images of
/// <see cref="Rows"/> × <see cref="Columns"/> pixels, one byte per pixel (0 = background, 255 = full ink),
/// stored row by row, image after image.
/// </summary>
public sealed class IdxImages
{
    // pixel / 255 for every byte value: one table look-up per pixel, and exactly the same floats as a division.
    private static readonly float[] ByteToUnit = Enumerable.Range(0, 256).Select(b => b / 255f).ToArray();

    /// <summary>Wraps pixels already checked to hold <paramref name="count"/> × <paramref name="rows"/> × <paramref name="columns"/> bytes.</summary>
    internal IdxImages(int count, int rows, int columns, byte[] pixels)
    {
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>The height of each image in pixels.</summary>
    public int Rows { get; }

    /// <summary>The width of each image in pixels.</summary>
    public int Columns { get; }

    /// <summary>All pixels, image after image, row by row.</summary>
    public byte[] Pixels { get; }

    /// <summary>The images as a tensor of shape [Count, 1, Rows, Columns] with pixels scaled to [0, 1].</summary>
    public Tensor ToTensor()
    {
        var data = new float[Pixels.Length];
        var table = ByteToUnit;
        for (int i = 0; i < data.Length; i++) data[i] = table[Pixels[i]];
        return new Tensor(data, Count, 1, Rows, Columns);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Count} images of {Rows}×{Columns} pixels";
}
