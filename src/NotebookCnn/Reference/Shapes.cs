namespace NotebookCnn.Reference;

/// <summary>The shape checks the reference loops share, so each loop stays one screen long.</summary>
internal static class Shapes
{
    /// <summary>Throws unless <paramref name="t"/> has exactly <paramref name="expected"/> as its shape.</summary>
    public static void Require(Tensor t, string what, string where, params int[] expected)
    {
        ArgumentNullException.ThrowIfNull(t, what);
        if (!t.Shape.SequenceEqual(expected))
            throw new ArgumentException($"{where} expects {what} of shape {Tensor.FormatShape(expected)}, got {Tensor.FormatShape(t.Shape)}.", what);
    }

    /// <summary>Throws unless <paramref name="t"/> has rank <paramref name="rank"/>; <paramref name="layout"/> names the axes, e.g. "[N, C, H, W]".</summary>
    public static void RequireRank(Tensor t, int rank, string what, string where, string layout)
    {
        ArgumentNullException.ThrowIfNull(t, what);
        if (t.Rank != rank)
            throw new ArgumentException($"{where} expects {what} {layout}, got shape {Tensor.FormatShape(t.Shape)}.", what);
    }

    /// <summary>Throws unless the two arrays (a parameter, its gradient or an optimizer's state) have the same length.</summary>
    public static void RequireSameLength(float[] w, float[] other, string what, string where)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(other, what);
        if (w.Length != other.Length)
            throw new ArgumentException($"{where} expects {what} with as many values as w ({w.Length}), got {other.Length}.", what);
    }
}
