using NotebookCnn.Reference;

namespace NotebookCnn.Tests.Optimizers;

/// <summary>
/// The optimizers update many weights per instruction (and large parameters on all cores); these tests run the
/// plain one-weight-at-a-time formulas of <see cref="TextbookOptimizers"/> beside them and expect the same floats,
/// bit for bit (Adam within float rounding: it folds its two corrections into one step size, see its remarks).
/// </summary>
public class VectorisedOptimizerTests
{
    // Lengths below, at and above a vector (4, 8 or 16 floats) with a remainder, and one long enough for parallel chunks.
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[] { "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam" })
            foreach (int length in new[] { 1, 7, 8, 17, 33, 100_003 })
                data.Add(name, length);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Three_steps_match_the_textbook_formula(string name, int length)
    {
        var random = Rng.Create(length);
        float[] w = Enumerable.Range(0, length).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var p = new Parameter("w", Tensor.FromArray((float[])w.Clone()));
        Optimizer optimizer = name switch
        {
            "sgd" => new Sgd(0.1f),
            "momentum" => new Momentum(0.1f, 0.9f),
            "nesterov" => new Nesterov(0.1f, 0.9f),
            "adagrad" => new AdaGrad(0.1f),
            "rmsprop" => new RmsProp(0.1f, 0.9f),
            _ => new Adam(0.1f, 0.9f, 0.999f),
        };
        float[] state1 = new float[length], state2 = new float[length];
        for (int t = 1; t <= 3; t++)
        {
            float[] g = Enumerable.Range(0, length).Select(_ => random.NextSingle() - 0.5f).ToArray();
            g.CopyTo(p.Gradient.Data, 0);
            optimizer.Step(p);
            TextbookStep(name, t, w, g, state1, state2);
        }
        if (name == "adam")
            for (int i = 0; i < length; i++) Assert.Equal(w[i], p.Value.Data[i], 1e-5f);
        else
            Assert.Equal(w, p.Value.Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_003)]
    public void Adam_matches_its_rearranged_scalar_formula_exactly(int length)
    {
        var random = Rng.Create(length);
        float[] w = Enumerable.Range(0, length).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var p = new Parameter("w", Tensor.FromArray((float[])w.Clone()));
        var optimizer = new Adam(0.1f, 0.9f, 0.999f);
        float[] m = new float[length], v = new float[length];
        for (int t = 1; t <= 3; t++)
        {
            float[] g = Enumerable.Range(0, length).Select(_ => random.NextSingle() - 0.5f).ToArray();
            g.CopyTo(p.Gradient.Data, 0);
            optimizer.Step(p);
            for (int i = 0; i < length; i++) RearrangedAdamStep(t, ref w[i], g[i], ref m[i], ref v[i]);
        }
        Assert.Equal(w, p.Value.Data);
    }

    private static void TextbookStep(string name, int t, float[] w, float[] g, float[] s1, float[] s2)
    {
        switch (name)
        {
            case "sgd": TextbookOptimizers.SgdStep(w, g, 0.1f); break;
            case "momentum": TextbookOptimizers.MomentumStep(w, g, s1, 0.1f, 0.9f); break;
            case "nesterov": TextbookOptimizers.NesterovStep(w, g, s1, 0.1f, 0.9f); break;
            case "adagrad": TextbookOptimizers.AdaGradStep(w, g, s1, 0.1f); break;
            case "rmsprop": TextbookOptimizers.RmsPropStep(w, g, s1, 0.1f, 0.9f); break;
            default: TextbookOptimizers.AdamStep(w, g, s1, s2, t, 0.1f, 0.9f, 0.999f); break;
        }
    }

    // Adam as its remarks rearrange it: the corrections folded into a step size and a factor for √v (as PyTorch computes it).
    private static void RearrangedAdamStep(int t, ref float w, float g, ref float m, ref float v)
    {
        const float lr = 0.1f;
        m = 0.9f * m + (1 - 0.9f) * g;
        v = 0.999f * v + (1 - 0.999f) * g * g;
        float stepSize = lr / (1 - MathF.Pow(0.9f, t)), inverseSqrtCorrection2 = 1 / MathF.Sqrt(1 - MathF.Pow(0.999f, t));
        w -= stepSize * m / (MathF.Sqrt(v) * inverseSqrtCorrection2 + Adam.Epsilon);
    }
}
