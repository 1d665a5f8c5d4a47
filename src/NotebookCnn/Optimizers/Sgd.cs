namespace NotebookCnn;

/// <summary>
/// Stochastic gradient descent: step downhill, in proportion to the gradient.
/// <code>w ← w − η·g</code>
/// </summary>
/// <remarks>
/// Simple and stateless. On a valley that is steep in one direction and flat in another (chapter 06's
/// f(x, y) = x²/20 + y²) it zig-zags across the steep direction and crawls along the flat one.
/// </remarks>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates SGD with learning rate η.</summary>
    public Sgd(float learningRate = 0.01f) : base(learningRate) { }

    /// <summary><c>w ← w − η·g</c></summary>
    protected override void Update(Parameter parameter, Tensor gradient, float learningRate)
    {
        float[] w = parameter.Value.Data, g = gradient.Data;
        // w ← w + (−η)·g: the vectorised axpy gives the same numbers as w[i] -= η·g[i].
        ForEachChunk(w.Length, (w, g, learningRate), static (s, start, count) =>
            Elementwise.AddScaled(s.w.AsSpan(start, count), s.g.AsSpan(start, count), -s.learningRate));
    }

    /// <inheritdoc />
    public override string ToString() => FormatCommon("");
}
