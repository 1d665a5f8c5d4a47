namespace NotebookCnn;

/// <summary>
/// Data augmentation: new training examples made from the old ones by changes that keep the label. A digit moved
/// by a pixel or two is still the same digit, so shifting every image by a fresh random amount each epoch shows the
/// network "new" digits and teaches it that position does not matter (LeCun et al. 1998 and Simard et al. 2003
/// trained on MNIST with distorted digits: shifts among them, scaling, shearing and elastic deformations).
/// </summary>
/// <example>
/// <code>
/// var random = Rng.Create(42);
/// for (int epoch = 0; epoch &lt; epochs; epoch++)
///     trainer.Fit(Augmentation.RandomShift(train, maxShift: 2, random), epochs: 1);
/// </code>
/// </example>
public static class Augmentation
{
    /// <summary>
    /// A copy of <paramref name="data"/> in which every image is moved by its own random (dy, dx), each drawn
    /// uniformly from −<paramref name="maxShift"/> … +<paramref name="maxShift"/> pixels (see <see cref="Shift"/>).
    /// Labels and class names are kept.
    /// </summary>
    /// <param name="data">Images [N, C, H, W].</param>
    /// <param name="maxShift">The largest move in each direction, in pixels (0 returns an unchanged copy).</param>
    /// <param name="random">Draws the moves; seed it with <see cref="Rng.Create"/> for repeatable runs.</param>
    public static Dataset RandomShift(Dataset data, int maxShift, Random random)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        RequireImages(data.Inputs, $"dataset '{data.Name}'");
        if (maxShift < 0)
            throw new ArgumentOutOfRangeException(nameof(maxShift), $"Augmentation.RandomShift: maxShift must be ≥ 0 pixels, got {maxShift}.");
        int n = data.Count;
        var dy = new int[n];
        var dx = new int[n];
        for (int i = 0; i < n; i++)
        {
            dy[i] = random.Next(-maxShift, maxShift + 1);
            dx[i] = random.Next(-maxShift, maxShift + 1);
        }
        return new Dataset(Shift(data.Inputs, dy, dx), (int[])data.Labels.Clone(), data.ClassNames, data.Name);
    }

    /// <summary>
    /// Moves image i of <paramref name="images"/> down by <paramref name="dy"/>[i] rows and right by
    /// <paramref name="dx"/>[i] columns (negative: up / left), for every channel:
    /// out[i, c, h, w] = in[i, c, h − dy, w − dx], and 0 (background) where that pixel lies outside the image.
    /// </summary>
    /// <param name="images">Images [N, C, H, W]; not changed.</param>
    /// <param name="dy">One vertical move per image.</param>
    /// <param name="dx">One horizontal move per image.</param>
    public static Tensor Shift(Tensor images, int[] dy, int[] dx)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(dy);
        ArgumentNullException.ThrowIfNull(dx);
        RequireImages(images, "images");
        int n = images.Dim(0), channels = images.Dim(1), height = images.Dim(2), width = images.Dim(3);
        if (dy.Length != n || dx.Length != n)
            throw new ArgumentException(
                $"Augmentation.Shift: one move per image is needed: {n} images {Tensor.FormatShape(images.Shape)}, but {dy.Length} dy and {dx.Length} dx values.");
        var result = new Tensor(images.ShapeArray());
        float[] input = images.Data, output = result.Data;
        int plane = height * width;
        for (int i = 0; i < n; i++)
        {
            // Only the rows and columns whose source lies inside the image are copied; the rest stay 0.
            int rowStart = Math.Max(0, dy[i]), rowEnd = Math.Min(height, height + dy[i]);
            int columnStart = Math.Max(0, dx[i]), columnEnd = Math.Min(width, width + dx[i]);
            int count = columnEnd - columnStart;
            if (count <= 0) continue;
            for (int c = 0; c < channels; c++)
            {
                int offset = (i * channels + c) * plane;
                for (int h = rowStart; h < rowEnd; h++)
                    Array.Copy(input, offset + (h - dy[i]) * width + (columnStart - dx[i]), output, offset + h * width + columnStart, count);
            }
        }
        return result;
    }

    private static void RequireImages(Tensor images, string what)
    {
        if (images.Rank != 4)
            throw new ArgumentException(
                $"Augmentation: {what} must hold images [N, C, H, W], got shape {Tensor.FormatShape(images.Shape)}.");
    }
}
