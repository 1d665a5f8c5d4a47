namespace NotebookCnn;

/// <summary>
/// Small seeded 2-D datasets (inputs [N, 2]) for the early chapters: no straight line separates their classes,
/// so they show what hidden layers buy, and their decision boundaries can be plotted.
/// </summary>
public static class ToyData
{
    // Radians swept by each spiral arm, as in the CS231n notes ("Putting it together: minimal neural network case study").
    private const double SpiralTurn = 4.0;

    /// <summary>
    /// Interleaved spiral arms, one per class (the CS231n spiral): point i of class j has radius r = i / (n − 1)
    /// and angle t = 4j + 4r + noise·ε (ε standard normal), at (r·sin t, r·cos t). Examples are ordered class by class.
    /// </summary>
    public static Dataset Spiral(int pointsPerClass = 100, int classes = 3, int seed = 0, float noise = 0.2f)
    {
        if (pointsPerClass < 1)
            throw new ArgumentOutOfRangeException(nameof(pointsPerClass), $"A spiral needs at least 1 point per class, got {pointsPerClass}.");
        if (classes < 1)
            throw new ArgumentOutOfRangeException(nameof(classes), $"A spiral needs at least 1 class, got {classes}.");
        if (noise < 0)
            throw new ArgumentOutOfRangeException(nameof(noise), $"Noise is a standard deviation and cannot be negative, got {noise}.");

        var random = Rng.Create(seed);
        var inputs = new Tensor(pointsPerClass * classes, 2);
        var labels = new int[pointsPerClass * classes];
        for (int j = 0; j < classes; j++)
            for (int i = 0; i < pointsPerClass; i++)
            {
                int n = j * pointsPerClass + i;
                double r = pointsPerClass == 1 ? 0 : (double)i / (pointsPerClass - 1);
                double t = SpiralTurn * j + SpiralTurn * r + noise * Rng.NextGaussian(random);
                inputs[n, 0] = (float)(r * Math.Sin(t));
                inputs[n, 1] = (float)(r * Math.Cos(t));
                labels[n] = j;
            }
        return new Dataset(inputs, labels, NumberNames(classes), "spiral");
    }

    /// <summary>
    /// Two interleaving half circles (as scikit-learn's make_moons): class 0 is the upper arc
    /// (cos t, sin t), class 1 the lower arc (1 − cos t, 0.5 − sin t), t evenly spaced in [0, π],
    /// plus Gaussian noise of standard deviation <paramref name="noise"/> on each coordinate.
    /// Class 0 gets ⌊count / 2⌋ points, class 1 the rest; the examples are shuffled.
    /// </summary>
    public static Dataset Moons(int count = 200, float noise = 0.1f, int seed = 0)
    {
        if (count < 2)
            throw new ArgumentOutOfRangeException(nameof(count), $"Moons need at least 2 points (one per moon), got {count}.");
        if (noise < 0)
            throw new ArgumentOutOfRangeException(nameof(noise), $"Noise is a standard deviation and cannot be negative, got {noise}.");

        var random = Rng.Create(seed);
        int upper = count / 2;
        int lower = count - upper;
        var points = new (double X, double Y, int Label)[count];
        for (int i = 0; i < upper; i++)
        {
            double t = upper == 1 ? 0 : Math.PI * i / (upper - 1);
            points[i] = (Math.Cos(t), Math.Sin(t), 0);
        }
        for (int i = 0; i < lower; i++)
        {
            double t = lower == 1 ? 0 : Math.PI * i / (lower - 1);
            points[upper + i] = (1 - Math.Cos(t), 0.5 - Math.Sin(t), 1);
        }
        random.Shuffle(points);

        var inputs = new Tensor(count, 2);
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            inputs[n, 0] = (float)(points[n].X + noise * Rng.NextGaussian(random));
            inputs[n, 1] = (float)(points[n].Y + noise * Rng.NextGaussian(random));
            labels[n] = points[n].Label;
        }
        return new Dataset(inputs, labels, NumberNames(2), "moons");
    }

    private static string[] NumberNames(int classes) =>
        Enumerable.Range(0, classes).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
