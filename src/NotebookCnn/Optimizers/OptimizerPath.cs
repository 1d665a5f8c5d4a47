namespace NotebookCnn;

/// <summary>
/// Runs an optimizer on a function of two variables f(x, y) with a hand-written gradient, to plot its path
/// (chapter 06: f(x, y) = x²/20 + y² from (−7, 2)).
/// </summary>
/// <example>
/// <code>
/// var path = OptimizerPath.Trace(new Adam(0.3f), -7, 2, (x, y) => (x / 10, 2 * y), steps: 30);
/// // path[0] = (−7, 2), path[30] = the point after 30 steps
/// </code>
/// </example>
public static class OptimizerPath
{
    /// <summary>
    /// Starts at (<paramref name="x0"/>, <paramref name="y0"/>) and takes <paramref name="steps"/> steps of
    /// <paramref name="optimizer"/>. Returns steps + 1 points: the start, then the point after each step.
    /// </summary>
    /// <param name="optimizer">A fresh optimizer (its state is reset first, so the same object can trace twice).</param>
    /// <param name="x0">The starting x.</param>
    /// <param name="y0">The starting y.</param>
    /// <param name="gradient">(∂f/∂x, ∂f/∂y) at a point (x, y).</param>
    /// <param name="steps">The number of optimizer steps.</param>
    public static IReadOnlyList<(float X, float Y)> Trace(
        Optimizer optimizer, float x0, float y0, Func<float, float, (float Dx, float Dy)> gradient, int steps)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);

        optimizer.Reset();
        // The point is a parameter like any weight; it is not a weight for weight decay, whose pull towards
        // the origin would change the function being minimised.
        var point = new Parameter("xy", Tensor.FromArray(new[] { x0, y0 }), isWeight: false);
        var path = new List<(float X, float Y)>(steps + 1) { (x0, y0) };
        for (int i = 0; i < steps; i++)
        {
            var (dx, dy) = gradient(point.Value[0], point.Value[1]);
            point.Gradient[0] = dx;
            point.Gradient[1] = dy;
            optimizer.Step(point);
            path.Add((point.Value[0], point.Value[1]));
        }
        return path;
    }
}
