using System.Globalization;
using System.Text;

namespace NotebookCnn;

/// <summary>
/// Numerical gradient checking: compares the gradients that backpropagation computes with central
/// differences (f(w + h) − f(w − h)) / 2h, for the input and for every parameter (CS231n, "Gradient checks").
/// </summary>
/// <remarks>
/// A layer is checked through the scalar L = Σ output ⊙ R with R a fixed random upstream gradient
/// (all ones would hide errors that cancel). A network is checked through its loss. Values are stored as
/// float32, so expect relative errors around 1e-4…1e-2 rather than the 1e-7 of a double-precision check.
/// </remarks>
public static class GradientCheck
{
    /// <summary>Checks a single layer on input <paramref name="x"/> in training mode.</summary>
    /// <param name="layer">The layer (or a <see cref="Layer"/> stack) to check.</param>
    /// <param name="x">An input batch; keep values away from kinks (ReLU at 0, ties in max-pooling).</param>
    /// <param name="seed">Seed of the random upstream gradient and of any dropout masks.</param>
    /// <param name="step">The finite-difference step h.</param>
    public static GradientCheckReport Run(Layer layer, Tensor x, int seed = 0, float step = 1e-2f)
    {
        Tensor? upstream = null;
        double Objective()
        {
            Reseed(layer, seed);
            var y = layer.Forward(x, training: true);
            upstream ??= Tensor.RandomNormal(1f, Rng.Create(seed), y.ShapeArray());
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += (double)y.Data[i] * upstream.Data[i];
            return sum;
        }
        Objective();
        Tensor analyticInput = BackwardWithInputGradient(layer, () => layer.Backward(upstream!));
        return Compare(layer, x, analyticInput, Objective, step);
    }

    /// <summary>Checks a network together with its loss on a labelled batch, in training mode.</summary>
    public static GradientCheckReport Run(Layer network, Loss loss, Tensor x, int[] labels, int seed = 0, float step = 1e-2f)
    {
        double Objective()
        {
            Reseed(network, seed);
            return loss.Forward(network.Forward(x, training: true), labels);
        }
        Objective();
        Tensor analyticInput = BackwardWithInputGradient(network, () => network.Backward(loss.Backward()));
        return Compare(network, x, analyticInput, Objective, step);
    }

    // The check compares the input gradient too, so it is computed even where a trainer had turned it off.
    private static Tensor BackwardWithInputGradient(Layer layer, Func<Tensor> backward)
    {
        bool needed = layer.InputGradientNeeded;
        layer.InputGradientNeeded = true;
        try { return backward(); }
        finally { layer.InputGradientNeeded = needed; }
    }

    private static GradientCheckReport Compare(Layer layer, Tensor x, Tensor analyticInput, Func<double> objective, float step)
    {
        // Copy the analytic gradients first: the numerical passes below run Forward again.
        var entries = new List<(string Name, Tensor Value, Tensor Analytic)> { ("input", x, analyticInput.Clone()) };
        foreach (var p in layer.Parameters) entries.Add((p.Name, p.Value, p.Gradient.Clone()));

        var results = new List<GradientCheckResult>();
        foreach (var (name, value, analytic) in entries)
        {
            var numeric = new double[value.Length];
            for (int i = 0; i < value.Length; i++)
            {
                float original = value.Data[i];
                value.Data[i] = original + step;
                double plus = objective();
                value.Data[i] = original - step;
                double minus = objective();
                value.Data[i] = original;
                numeric[i] = (plus - minus) / (2.0 * step);
            }
            results.Add(Summarise(name, analytic.Data, numeric));
        }
        objective(); // leave the layer's caches as they were for x
        return new GradientCheckReport(results);
    }

    private static GradientCheckResult Summarise(string name, float[] analytic, double[] numeric)
    {
        // Relative error of the whole gradient: ‖a − n‖ / max(‖a‖, ‖n‖, tiny). Per-element ratios are
        // dominated by float32 round-off wherever a gradient is near zero; the norm ratio is not.
        const double Tiny = 1e-12;
        double diff2 = 0, a2 = 0, n2 = 0, absDiff = 0;
        for (int i = 0; i < numeric.Length; i++)
        {
            double d = analytic[i] - numeric[i];
            diff2 += d * d; a2 += (double)analytic[i] * analytic[i]; n2 += numeric[i] * numeric[i];
            absDiff += Math.Abs(d);
        }
        double relative = Math.Sqrt(diff2) / Math.Max(Math.Max(Math.Sqrt(a2), Math.Sqrt(n2)), Tiny);
        return new GradientCheckResult(name, relative, numeric.Length == 0 ? 0 : absDiff / numeric.Length, numeric.Length);
    }

    private static void Reseed(Layer layer, int seed)
    {
        if (layer is IStochasticLayer stochastic) stochastic.Reseed(seed);
    }
}

/// <summary>A layer that draws random numbers in <see cref="Layer.Forward"/> (e.g. Dropout); reseeding makes the draws repeat.</summary>
public interface IStochasticLayer
{
    /// <summary>Restarts the layer's random sequence (containers pass it on to every child).</summary>
    void Reseed(int seed);
}

/// <summary>One row of a gradient check: how far backprop and central differences disagree for one tensor.</summary>
/// <param name="Name">"input" or a parameter name such as <c>conv1.weight</c>.</param>
/// <param name="RelativeError">‖analytic − numerical‖ / max(‖analytic‖, ‖numerical‖).</param>
/// <param name="MeanAbsoluteDifference">The mean of |analytic − numerical| over all values.</param>
/// <param name="Count">How many values were checked.</param>
public sealed record GradientCheckResult(string Name, double RelativeError, double MeanAbsoluteDifference, int Count);

/// <summary>The result of <see cref="GradientCheck"/>: one row per checked tensor, printable as a table.</summary>
public sealed class GradientCheckReport(IReadOnlyList<GradientCheckResult> results)
{
    /// <summary>One row per tensor: the input first, then each parameter.</summary>
    public IReadOnlyList<GradientCheckResult> Results { get; } = results;

    /// <summary>The largest relative error of any row.</summary>
    public double MaxRelativeError => Results.Count == 0 ? 0 : Results.Max(r => r.RelativeError);

    /// <summary>The row for <paramref name="name"/>.</summary>
    public GradientCheckResult this[string name] =>
        Results.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"No gradient check row named '{name}'.");

    /// <summary>A table: name, values checked, relative error, mean absolute difference.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        int width = Math.Max(9, Results.Count == 0 ? 0 : Results.Max(r => r.Name.Length));
        sb.AppendLine($"{"tensor".PadRight(width)}  {"values",8}  {"rel. error",10}  {"mean |diff|",11}");
        foreach (var r in Results)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name.PadRight(width)}  {r.Count,8}  {r.RelativeError,10:0.00e+00}  {r.MeanAbsoluteDifference,11:0.00e+00}"));
        return sb.ToString();
    }
}
