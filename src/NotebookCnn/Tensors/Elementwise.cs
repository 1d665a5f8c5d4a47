using System.Numerics;
using System.Runtime.InteropServices;

namespace NotebookCnn;

/// <summary>
/// Vectorised element-by-element loops that layers and optimizers share: the same result as the obvious
/// <c>for</c> loop, several values per instruction (<see cref="Vector{T}"/>: 8 floats with AVX2).
/// </summary>
/// <remarks>
/// The destination may be one of the inputs (in-place update), but must not partially overlap it.
/// Every method checks that the lengths agree and names them in the error.
/// </remarks>
public static class Elementwise
{
    /// <summary>destination[i] = x[i] + y[i].</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireSameLength(nameof(Add), x.Length, y.Length, destination.Length);
        ReadOnlySpan<Vector<float>> vx = AsVectors(x), vy = AsVectors(y);
        Span<Vector<float>> vd = AsVectors(destination);
        for (int v = 0; v < vd.Length; v++)
            vd[v] = vx[v] + vy[v];
        for (int i = vd.Length * Vector<float>.Count; i < destination.Length; i++)
            destination[i] = x[i] + y[i];
    }

    /// <summary>destination[i] = x[i] − y[i].</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Subtract(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireSameLength(nameof(Subtract), x.Length, y.Length, destination.Length);
        ReadOnlySpan<Vector<float>> vx = AsVectors(x), vy = AsVectors(y);
        Span<Vector<float>> vd = AsVectors(destination);
        for (int v = 0; v < vd.Length; v++)
            vd[v] = vx[v] - vy[v];
        for (int i = vd.Length * Vector<float>.Count; i < destination.Length; i++)
            destination[i] = x[i] - y[i];
    }

    /// <summary>destination[i] = x[i] · y[i] (the Hadamard product).</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        RequireSameLength(nameof(Multiply), x.Length, y.Length, destination.Length);
        ReadOnlySpan<Vector<float>> vx = AsVectors(x), vy = AsVectors(y);
        Span<Vector<float>> vd = AsVectors(destination);
        for (int v = 0; v < vd.Length; v++)
            vd[v] = vx[v] * vy[v];
        for (int i = vd.Length * Vector<float>.Count; i < destination.Length; i++)
            destination[i] = x[i] * y[i];
    }

    /// <summary>destination[i] = alpha · x[i].</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> destination)
    {
        RequireSameLength(nameof(Scale), x.Length, x.Length, destination.Length);
        ReadOnlySpan<Vector<float>> vx = AsVectors(x);
        Span<Vector<float>> vd = AsVectors(destination);
        var valpha = new Vector<float>(alpha);
        for (int v = 0; v < vd.Length; v++)
            vd[v] = valpha * vx[v];
        for (int i = vd.Length * Vector<float>.Count; i < destination.Length; i++)
            destination[i] = alpha * x[i];
    }

    /// <summary>destination[i] += alpha · x[i] (BLAS calls it axpy): the step of every optimizer.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void AddScaled(Span<float> destination, ReadOnlySpan<float> x, float alpha)
    {
        RequireSameLength(nameof(AddScaled), x.Length, x.Length, destination.Length);
        ReadOnlySpan<Vector<float>> vx = AsVectors(x);
        Span<Vector<float>> vd = AsVectors(destination);
        var valpha = new Vector<float>(alpha);
        // Multiply then add (not fused), so the result is the scalar loop's, bit for bit.
        for (int v = 0; v < vd.Length; v++)
            vd[v] += valpha * vx[v];
        for (int i = vd.Length * Vector<float>.Count; i < destination.Length; i++)
            destination[i] += alpha * x[i];
    }

    /// <summary>destination[i] = max(x[i], 0), the ReLU; NaN becomes 0, as in <c>x &gt; 0 ? x : 0</c>.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Relu(ReadOnlySpan<float> x, Span<float> destination)
    {
        RequireSameLength(nameof(Relu), x.Length, x.Length, destination.Length);
        ReadOnlySpan<Vector<float>> vx = AsVectors(x);
        Span<Vector<float>> vd = AsVectors(destination);
        for (int v = 0; v < vd.Length; v++)
            vd[v] = Vector.ConditionalSelect(Vector.GreaterThan(vx[v], Vector<float>.Zero), vx[v], Vector<float>.Zero);
        for (int i = vd.Length * Vector<float>.Count; i < destination.Length; i++)
            destination[i] = x[i] > 0f ? x[i] : 0f;
    }

    /// <summary>
    /// The sum of all values, accumulated in <see cref="Vector{T}.Count"/> running sums (one per lane)
    /// that are added at the end: a different order from the plain loop, usually a little more accurate.
    /// </summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ReadOnlySpan<Vector<float>> vx = AsVectors(x);
        Vector<float> lanes = Vector<float>.Zero;
        for (int v = 0; v < vx.Length; v++)
            lanes += vx[v];
        float sum = Vector.Sum(lanes);
        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
            sum += x[i];
        return sum;
    }

    /// <summary>The whole vectors at the start of a span; the caller finishes the remaining values one by one.</summary>
    private static ReadOnlySpan<Vector<float>> AsVectors(ReadOnlySpan<float> values) =>
        MemoryMarshal.Cast<float, Vector<float>>(values);

    private static Span<Vector<float>> AsVectors(Span<float> values) =>
        MemoryMarshal.Cast<float, Vector<float>>(values);

    private static void RequireSameLength(string operation, int x, int y, int destination)
    {
        if (x != y || x != destination)
            throw new ArgumentException(
                $"Elementwise.{operation} needs spans of one length, got {(x == y ? $"{x}" : $"{x} and {y}")} in and {destination} out.");
    }
}
