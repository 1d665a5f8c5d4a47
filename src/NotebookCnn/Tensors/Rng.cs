namespace NotebookCnn;

/// <summary>
/// Seeded randomness. Every random choice in the library (initial weights, shuffles, dropout masks)
/// takes a <see cref="Random"/> made here, so the same seed gives the same numbers on every machine.
/// </summary>
public static class Rng
{
    /// <summary>A generator for <paramref name="seed"/>. A seeded <see cref="Random"/> gives the same sequence on every .NET version.</summary>
    public static Random Create(int seed) => new(seed);

    /// <summary>A standard normal sample (mean 0, std 1) by the Box–Muller transform.</summary>
    public static float NextGaussian(Random random)
    {
        // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
