using System.Numerics;

namespace NotebookCnn;

/// <summary>
/// ReLU, the rectified linear unit: y = max(0, x). Backward lets the gradient through where the input
/// was positive and blocks it elsewhere, so Forward keeps only that mask (chapter 05).
/// </summary>
public class Relu : Layer
{
    private float[]? _mask;      // 1 where x > 0, else 0: exactly ReLU's derivative, all Backward needs
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
        var y = training ? OutputBuffer.Reuse(ref _output, x.Shape) : x.ZerosLike();
        float[] input = x.Data, output = y.Data, mask = _mask = ParallelLoops.Reuse(_mask, x.Length);
        ParallelLoops.For(x.Length, (input, output, mask), static (s, start, count) =>
            Forward(s.input.AsSpan(start, count), s.output.AsSpan(start, count), s.mask.AsSpan(start, count)));
        OutputBuffer.Remember(ref _outputShape, x.Shape);
        return y;
    }

    private static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> mask)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.Max(v, Vector<float>.Zero).CopyTo(y[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero).CopyTo(mask[i..]);
            }
        for (; i < x.Length; i++)
        {
            y[i] = Function(x[i]);
            mask[i] = Derivative(x[i]);
        }
    }

    /// <summary>dx = dout ⊙ mask, written to the layer's own gradient tensor (unlike DLFS, <paramref name="dout"/> is never overwritten).</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _outputShape);
        var dx = OutputBuffer.Reuse(ref _inputGradient, dout.Shape);
        ParallelLoops.Multiply(dout.Data, _mask!, dx.Data);
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc />
    public override string ToString() => $"Relu {Name}";
}
