using System.Globalization;
using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// Leaky ReLU: y = x for x &gt; 0, y = slope · x otherwise. The small slope keeps a gradient flowing for
/// negative inputs, so a unit cannot "die" the way a ReLU unit can (chapter 05).
/// </summary>
public class LeakyRelu : Layer
{
    private Tensor? _inferenceOutput; // reused by inference inside a Sequential
    private float[]? _derivative; // 1 or slope per value: all Backward needs
    private int[]? _outputShape;

    /// <summary>Creates a Leaky ReLU layer.</summary>
    /// <param name="slope">The slope for negative inputs (0.01 is the usual choice).</param>
    /// <param name="name">The layer's name; "leakyrelu" unless given.</param>
    public LeakyRelu(float slope = 0.01f, string? name = null) : base(name ?? "leakyrelu")
    {
        if (!float.IsFinite(slope))
            throw new ArgumentOutOfRangeException(nameof(slope), slope, $"LeakyRelu '{Name}': slope must be a finite number, got {slope}.");
        Slope = slope;
    }

    /// <summary>The slope for negative inputs.</summary>
    public float Slope { get; }

    /// <summary>x for x &gt; 0, else slope · x, for plotting.</summary>
    public static float Function(float x, float slope = 0.01f) => x > 0f ? x : slope * x;

    /// <summary>1 for x &gt; 0, else slope (at x = 0 we take slope, as <see cref="Backward"/> does).</summary>
    public static float Derivative(float x, float slope = 0.01f) => x > 0f ? 1f : slope;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = OutputBuffer.ForOutput(training, ref _inferenceOutput, x); // new in training; reused in inference inside a Sequential
        float[] input = x.Data, output = y.Data, derivative = _derivative = ParallelLoops.Reuse(_derivative, x.Length);
        float slope = Slope;
        ParallelLoops.For(x.Length, (start, count) =>
            Forward(input.AsSpan(start, count), output.AsSpan(start, count), derivative.AsSpan(start, count), slope));
        _outputShape = x.ShapeArray();
        return y;
    }

    private static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> derivative, float slope)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var slopes = new Vector<float>(slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                var d = Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), Vector<float>.One, slopes);
                (v * d).CopyTo(y[i..]);
                d.CopyTo(derivative[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            y[i] = Function(x[i], slope);
            derivative[i] = Derivative(x[i], slope);
        }
    }

    /// <summary>dx = dout ⊙ (1 or slope), written to a new tensor; <paramref name="dout"/> is not changed.</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _outputShape);
        var dx = dout.ZerosLike();
        ParallelLoops.Multiply(dout.Data, _derivative!, dx.Data);
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"LeakyRelu {Name}: slope {Slope}");
}
