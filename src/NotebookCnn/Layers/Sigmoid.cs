using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// The logistic sigmoid: y = 1 / (1 + e^(−x)). Its derivative y(1 − y) is at most 0.25 and vanishes
/// for large |x| (saturation), which is why deep sigmoid nets learn slowly (chapter 05).
/// Forward keeps its output, since the derivative is written in terms of it.
/// </summary>
public class Sigmoid : Layer
{
    private Tensor? _inferenceOutput; // reused by inference inside a Sequential
    private Tensor? _output; // y: all Backward needs

    /// <summary>Creates a sigmoid layer.</summary>
    /// <param name="name">The layer's name; "sigmoid" unless given.</param>
    public Sigmoid(string? name = null) : base(name ?? "sigmoid") { }

    /// <summary>1 / (1 + e^(−x)), for plotting. For very negative x, e^(−x) overflows to ∞ and the result is 0, not NaN.</summary>
    public static float Function(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>σ(x) · (1 − σ(x)); 0.25 at x = 0.</summary>
    public static float Derivative(float x)
    {
        float y = Function(x);
        return y * (1f - y);
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = OutputBuffer.ForOutput(training, ref _inferenceOutput, x); // new in training; reused in inference inside a Sequential
        float[] input = x.Data, output = y.Data;
        // No vector exp in .NET 8's System.Numerics, so this loop is scalar (and parallel when long).
        ParallelLoops.For(x.Length, (start, count) =>
        {
            for (int i = start; i < start + count; i++) output[i] = Function(input[i]);
        });
        _output = y;
        return y;
    }

    /// <summary>dx = dout ⊙ y ⊙ (1 − y), written to a new tensor; <paramref name="dout"/> is not changed.</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _output?.ShapeArray());
        var dx = dout.ZerosLike();
        float[] d = dout.Data, y = _output!.Data, result = dx.Data;
        ParallelLoops.For(dx.Length, (start, count) =>
            Backward(d.AsSpan(start, count), y.AsSpan(start, count), result.AsSpan(start, count)));
        return dx;
    }

    private static void Backward(ReadOnlySpan<float> dout, ReadOnlySpan<float> y, Span<float> dx)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= dx.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var yv = new Vector<float>(y[i..]);
                (new Vector<float>(dout[i..]) * yv * (Vector<float>.One - yv)).CopyTo(dx[i..]);
            }
        for (; i < dx.Length; i++) dx[i] = dout[i] * y[i] * (1f - y[i]);
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc />
    public override string ToString() => $"Sigmoid {Name}";
}
