namespace NotebookCnn.Tests;

/// <summary>Small seeded inputs shared by the layer tests.</summary>
internal static class TestData
{
    /// <summary>Standard normal values of the given shape.</summary>
    public static Tensor Random(int seed, params int[] shape) => Tensor.RandomNormal(1f, Rng.Create(seed), shape);

    /// <summary>Writes <paramref name="values"/> into a parameter (e.g. a hand-made kernel).</summary>
    public static void Set(Parameter p, params float[] values)
    {
        Assert.Equal(p.Value.Length, values.Length);
        values.CopyTo(p.Value.Data, 0);
    }

    /// <summary>
    /// The largest relative error a float32 gradient check may show. The check stores values as float32 and
    /// uses a step h = 1e-2: the round-off of a float32 sum (~1e-7 relative) divided by 2h gives ~1e-5, and
    /// for smooth losses the O(h²) truncation error adds ~1e-4; the checks here measure 1e-6…1e-4. 1e-2 leaves
    /// room for that while a wrong gradient (a missing term, a wrong scale or transpose) gives 1e-1 or more.
    /// </summary>
    public const double GradientTolerance = 1e-2;
}
