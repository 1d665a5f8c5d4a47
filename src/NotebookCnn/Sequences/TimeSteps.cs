namespace NotebookCnn;

/// <summary>
/// Moves sequence batches between the layout layers exchange, [N, T, D] (batch, time, features), and one
/// [N, D] matrix per time step, which is what a recurrent layer multiplies by its weights at each step.
/// </summary>
internal static class TimeSteps
{
    /// <summary>[N, T, D] → T matrices [N, D] (copies: the rows of one step are not adjacent in [N, T, D]).</summary>
    public static float[][] Split(Tensor x)
    {
        int n = x.Dim(0), steps = x.Dim(1), d = x.Dim(2);
        var result = new float[steps][];
        for (int t = 0; t < steps; t++)
        {
            result[t] = new float[n * d];
            for (int i = 0; i < n; i++)
                Array.Copy(x.Data, (i * steps + t) * d, result[t], i * d, d);
        }
        return result;
    }

    /// <summary>T matrices [N, D] → [N, T, D].</summary>
    public static Tensor Join(float[][] steps, int n, int d)
    {
        var x = new Tensor(n, steps.Length, d);
        for (int t = 0; t < steps.Length; t++)
            for (int i = 0; i < n; i++)
                Array.Copy(steps[t], i * d, x.Data, (i * steps.Length + t) * d, d);
        return x;
    }

    /// <summary>The same sequences with time reversed: step t becomes step T − 1 − t.</summary>
    public static Tensor Reverse(Tensor x)
    {
        int n = x.Dim(0), steps = x.Dim(1), d = x.Length / Math.Max(1, n * steps);
        var y = x.ZerosLike();
        for (int i = 0; i < n; i++)
            for (int t = 0; t < steps; t++)
                Array.Copy(x.Data, (i * steps + t) * d, y.Data, (i * steps + steps - 1 - t) * d, d);
        return y;
    }

    /// <summary>The Euclidean norm of all values: ‖v‖ = √Σ v².</summary>
    public static float Norm(float[] v)
    {
        double sum = 0;
        foreach (float value in v) sum += (double)value * value;
        return (float)Math.Sqrt(sum);
    }

    /// <summary>σ(a) = 1 / (1 + e^(−a)), the gates' squashing function: 0 shuts a gate, 1 opens it.</summary>
    public static float Sigmoid(float a) => 1f / (1f + MathF.Exp(-a));

    /// <summary>[…, A] and […, B] → […, A + B]: joins two tensors along their last dimension.</summary>
    public static Tensor ConcatenateFeatures(Tensor a, Tensor b)
    {
        int da = a.Dim(-1), db = b.Dim(-1), rows = a.Length / da;
        int[] shape = a.ShapeArray();
        shape[^1] = da + db;
        var y = new Tensor(shape);
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(a.Data, r * da, y.Data, r * (da + db), da);
            Array.Copy(b.Data, r * db, y.Data, r * (da + db) + da, db);
        }
        return y;
    }

    /// <summary>The inverse of <see cref="ConcatenateFeatures"/>: the first <paramref name="da"/> features, and the rest.</summary>
    public static (Tensor A, Tensor B) SplitFeatures(Tensor y, int da)
    {
        int width = y.Dim(-1), db = width - da, rows = y.Length / width;
        int[] shapeA = y.ShapeArray(), shapeB = y.ShapeArray();
        (shapeA[^1], shapeB[^1]) = (da, db);
        Tensor a = new(shapeA), b = new(shapeB);
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(y.Data, r * width, a.Data, r * da, da);
            Array.Copy(y.Data, r * width + da, b.Data, r * db, db);
        }
        return (a, b);
    }
}
