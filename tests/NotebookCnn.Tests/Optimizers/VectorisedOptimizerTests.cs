namespace NotebookCnn.Tests.Training;

/// <summary>
/// The optimizers update many weights per instruction (and large parameters on all cores); these tests run the
/// plain one-weight-at-a-time formula beside them and expect the same floats, bit for bit.
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
    public void Three_steps_match_the_scalar_formula_exactly(string name, int length)
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
        var state1 = new float[length];
        var state2 = new float[length];
        for (int t = 1; t <= 3; t++)
        {
            float[] g = Enumerable.Range(0, length).Select(_ => random.NextSingle() - 0.5f).ToArray();
            g.CopyTo(p.Gradient.Data, 0);
            optimizer.Step(p);
            for (int i = 0; i < length; i++) ScalarStep(name, t, ref w[i], g[i], ref state1[i], ref state2[i]);
        }
        Assert.Equal(w, p.Value.Data);
    }

    // The formulas as each optimizer's XML doc writes them, one weight at a time (Adam as its remarks rearrange it).
    private static void ScalarStep(string name, int t, ref float w, float g, ref float s1, ref float s2)
    {
        const float lr = 0.1f;
        switch (name)
        {
            case "sgd": w -= lr * g; break;
            case "momentum": s1 = 0.9f * s1 - lr * g; w += s1; break;
            case "nesterov": s1 = 0.9f * s1 - lr * g; w += 0.9f * s1 - lr * g; break;
            case "adagrad": s1 += g * g; w -= lr * g / (MathF.Sqrt(s1) + AdaGrad.Epsilon); break;
            case "rmsprop": s1 = 0.9f * s1 + (1 - 0.9f) * g * g; w -= lr * g / (MathF.Sqrt(s1) + RmsProp.Epsilon); break;
            default:
                s1 = 0.9f * s1 + (1 - 0.9f) * g;
                s2 = 0.999f * s2 + (1 - 0.999f) * g * g;
                // Adam's remarks: the corrections folded into a step size and a factor for √v (as PyTorch computes it).
                float stepSize = lr / (1 - MathF.Pow(0.9f, t)), inverseSqrtCorrection2 = 1 / MathF.Sqrt(1 - MathF.Pow(0.999f, t));
                w -= stepSize * s1 / (MathF.Sqrt(s2) * inverseSqrtCorrection2 + Adam.Epsilon);
                break;
        }
    }
}
