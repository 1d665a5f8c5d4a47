using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// The hyperbolic tangent: y = tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)). Zero-centred, with derivative
/// 1 − y² (1 at x = 0), but it saturates for large |x| like the sigmoid (chapter 05).
/// Forward keeps its output, since the derivative is written in terms of it.
/// </summary>
public class Tanh : Layer
{
    private Tensor? _inferenceOutput; // reused by inference inside a Sequential
    private Tensor? _output; // y: all Backward needs

    /// <summary>Creates a tanh layer.</summary>
    /// <param name="name">The layer's name; "tanh" unless given.</param>
    public Tanh(string? name = null) : base(name ?? "tanh") { }

    /// <summary>tanh(x), for plotting.</summary>
    public static float Function(float x) => MathF.Tanh(x);

    /// <summary>1 − tanh²(x); 1 at x = 0.</summary>
    public static float Derivative(float x)
    {
        float y = MathF.Tanh(x);
        return 1f - y * y;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = OutputBuffer.ForOutput(training, ref _inferenceOutput, x); // new in training; reused in inference inside a Sequential
        float[] input = x.Data, output = y.Data;
        // No vector tanh in .NET 8's System.Numerics, so this loop is scalar (and parallel when long).
        ParallelLoops.For(x.Length, (start, count) =>
        {
            for (int i = start; i < start + count; i++) output[i] = MathF.Tanh(input[i]);
        });
        _output = y;
        return y;
    }

    /// <summary>dx = dout ⊙ (1 − y²), written to a new tensor; <paramref name="dout"/> is not changed.</summary>
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
                (new Vector<float>(dout[i..]) * (Vector<float>.One - yv * yv)).CopyTo(dx[i..]);
            }
        for (; i < dx.Length; i++) dx[i] = dout[i] * (1f - y[i] * y[i]);
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc />
    public override string ToString() => $"Tanh {Name}";
}
