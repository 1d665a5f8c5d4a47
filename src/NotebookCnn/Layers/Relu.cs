using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// ReLU, the rectified linear unit: y = max(0, x). Backward lets the gradient through where the input
/// was positive and blocks it elsewhere (chapter 05). That mask is read off the output: y &gt; 0 exactly where
/// x &gt; 0, so Forward keeps its output instead of writing a mask (one array less to write, the layer's biggest cost).
/// </summary>
public class Relu : Layer
{
    private Tensor? _lastOutput;      // y: positive where x > 0, else 0, which is all Backward needs
    private int[]? _outputShape;
    private Tensor? _output;          // reused by the next training batch of the same shape (see OutputBuffer)
    private Tensor? _inputGradient;   // reused by the next Backward of the same shape

    /// <summary>Creates a ReLU layer.</summary>
    /// <param name="name">The layer's name; "relu" unless given (a container numbers it later).</param>
    public Relu(string? name = null) : base(name ?? "relu") { }

    /// <summary>max(0, x), for plotting.</summary>
    public static float Function(float x) => x > 0f ? x : 0f;

    /// <summary>1 for x &gt; 0, else 0. At the kink x = 0 we take 0, as <see cref="Backward"/> does.</summary>
    public static float Derivative(float x) => x > 0f ? 1f : 0f;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = OutputBuffer.ForForward(training, ref _output, x.Shape);
        float[] input = x.Data, output = y.Data;
        ParallelLoops.For(x.Length, (input, output), static (s, start, count) =>
            Forward(s.input.AsSpan(start, count), s.output.AsSpan(start, count)));
        OutputBuffer.Remember(ref _outputShape, x.Shape);
        _lastOutput = y;
        return y;
    }

    private static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.Max(new Vector<float>(x[i..]), Vector<float>.Zero).CopyTo(y[i..]);
        for (; i < x.Length; i++)
            y[i] = Function(x[i]);
    }

    /// <summary>dx = dout where y &gt; 0, else 0, written to the layer's own gradient tensor (unlike DLFS, <paramref name="dout"/> is never overwritten).</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _outputShape);
        var dx = OutputBuffer.Reuse(ref _inputGradient, dout.Shape);
        float[] gradient = dout.Data, output = _lastOutput!.Data, result = dx.Data;
        ParallelLoops.For(dx.Length, (gradient, output, result), static (s, start, count) =>
            PassWherePositive(s.gradient.AsSpan(start, count), s.output.AsSpan(start, count), s.result.AsSpan(start, count)));
        return dx;
    }

    private static void PassWherePositive(ReadOnlySpan<float> dout, ReadOnlySpan<float> y, Span<float> dx)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= dout.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(y[i..]), Vector<float>.Zero),
                    new Vector<float>(dout[i..]), Vector<float>.Zero).CopyTo(dx[i..]);
        for (; i < dout.Length; i++)
            dx[i] = y[i] > 0f ? dout[i] : 0f;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc />
    public override string ToString() => $"Relu {Name}";
}
