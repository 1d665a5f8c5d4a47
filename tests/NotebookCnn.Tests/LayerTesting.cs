namespace NotebookCnn.Tests;

/// <summary>Inputs, thresholds and a deliberately broken layer shared by the layer tests.</summary>
internal static class LayerTesting
{
    /// <summary>
    /// The largest relative error a correct layer may show. GradientCheck stores values as float32
    /// (about 7 significant digits) and uses central differences with step 1e-2: the objective's
    /// round-off (~1e-7 relative, divided by 2h = 2e-2) and the O(h²) truncation error together stay
    /// well below 1e-3 for smooth layers; 1e-2 leaves a margin and still catches a 10% mistake
    /// (see the sabotage tests, which report errors around 1e-1).
    /// </summary>
    public const double MaxRelativeError = 1e-2;

    /// <summary>Uniform values with |x| in [0.1, 1] and a random sign: far from ReLU's kink at 0 compared with the step 1e-2.</summary>
    public static Tensor AwayFromZero(int seed, params int[] shape)
    {
        var random = Rng.Create(seed);
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++)
            t.Data[i] = (0.1f + 0.9f * random.NextSingle()) * (random.Next(2) == 0 ? -1f : 1f);
        return t;
    }

    /// <summary>
    /// Distinct values 0.1·k in shuffled order: any two differ by at least 0.1, more than twice the
    /// gradient check's step, so a perturbation never changes which value is a window's maximum.
    /// </summary>
    public static Tensor DistinctShuffled(int seed, params int[] shape)
    {
        var t = new Tensor(shape);
        var order = Enumerable.Range(0, t.Length).ToArray();
        Rng.Create(seed).Shuffle(order);
        for (int i = 0; i < t.Length; i++) t.Data[i] = 0.1f * (order[i] - t.Length / 2);
        return t;
    }

    /// <summary>Asserts every row of a gradient check is within <see cref="MaxRelativeError"/>, showing the table if not.</summary>
    public static void AssertPasses(GradientCheckReport report) =>
        Assert.True(report.MaxRelativeError <= MaxRelativeError, "Gradient check failed:\n" + report);
}

/// <summary>
/// Wraps a correct layer and tampers with its gradients, to show that a gradient check notices:
/// a check that cannot fail proves nothing.
/// </summary>
internal sealed class SabotagedLayer(Layer inner, float inputFactor = 1f, float parameterFactor = 1f)
    : Layer(inner.Name), IStochasticLayer
{
    public override Tensor Forward(Tensor x, bool training) => inner.Forward(x, training);

    public override Tensor Backward(Tensor dout)
    {
        var dx = inner.Backward(dout);
        for (int i = 0; i < dx.Length; i++) dx.Data[i] *= inputFactor;
        foreach (var p in inner.Parameters)
            for (int i = 0; i < p.Gradient.Length; i++) p.Gradient.Data[i] *= parameterFactor;
        return dx;
    }

    public override IReadOnlyList<Parameter> Parameters => inner.Parameters;
    public override int[] OutputShape(int[] inputShape) => inner.OutputShape(inputShape);
    public void Reseed(int seed) => (inner as IStochasticLayer)?.Reseed(seed);
}
