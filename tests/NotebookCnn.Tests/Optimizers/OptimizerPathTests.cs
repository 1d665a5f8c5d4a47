namespace NotebookCnn.Tests.Optimizers;

/// <summary>
/// Chapter 06's comparison: f(x, y) = x²/20 + y², 30 steps from (−7, 2), with the learning rates of
/// "Deep Learning from Scratch" (SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3). The minimum is (0, 0).
/// </summary>
public class OptimizerPathTests
{
    private static (float Dx, float Dy) Gradient(float x, float y) => (x / 10f, 2f * y);
    private static double F((float X, float Y) p) => p.X * p.X / 20.0 + p.Y * p.Y;
    private static double Distance((float X, float Y) p) => Math.Sqrt((double)p.X * p.X + (double)p.Y * p.Y);

    private static IReadOnlyList<(float X, float Y)> Path(Optimizer optimizer) =>
        OptimizerPath.Trace(optimizer, -7f, 2f, Gradient, steps: 30);

    [Fact]
    public void Path_starts_at_the_start_and_has_one_point_per_step()
    {
        var path = Path(new Sgd(0.95f));
        Assert.Equal(31, path.Count);
        Assert.Equal((-7f, 2f), path[0]);
    }

    [Fact]
    public void Sgd_zig_zags_in_y_and_crawls_in_x()
    {
        var path = Path(new Sgd(0.95f));
        // y ← y − 0.95·2y = −0.9·y: the sign flips on every step.
        for (int t = 1; t < path.Count; t++)
            Assert.True(Math.Sign(path[t].Y) == -Math.Sign(path[t - 1].Y), $"step {t}: y = {path[t].Y}");
        Assert.Equal(2 * Math.Pow(0.9, 30), path[30].Y, 4);
        // x ← x·(1 − 0.095): always on the left of the minimum, still at about −0.35.
        Assert.All(path, p => Assert.True(p.X < 0));
        Assert.Equal(-7 * Math.Pow(0.905, 30), path[30].X, 3);
    }

    [Fact]
    public void Momentum_overshoots_in_x_and_ends_near_the_minimum()
    {
        var path = Path(new Momentum(0.1f));
        Assert.Contains(path, p => p.X > 0);     // the ball rolls past the minimum
        Assert.True(Distance(path[30]) < 1.0, $"ended at {path[30]}");
        Assert.True(F(path[30]) < 0.05, $"f = {F(path[30])}");
    }

    [Fact]
    public void AdaGrad_ends_closest_with_y_already_settled()
    {
        var path = Path(new AdaGrad(1.5f));
        Assert.True(Distance(path[30]) < 0.2, $"ended at {path[30]}");
        Assert.True(Math.Abs(path[30].Y) < 1e-3, $"y = {path[30].Y}");
        Assert.All(path, p => Assert.True(p.X <= 0)); // steps shrink, so it never overshoots in x
    }

    [Fact]
    public void Adam_ends_near_the_minimum()
    {
        var path = Path(new Adam(0.3f));
        Assert.True(Distance(path[30]) < 0.5, $"ended at {path[30]}");
        Assert.True(F(path[30]) < F(path[0]) / 50, $"f = {F(path[30])}");
    }

    [Fact]
    public void Nesterov_and_RmsProp_also_reach_the_minimum_region()
    {
        Assert.True(Distance(Path(new Nesterov(0.1f))[30]) < 1.0);
        Assert.True(Distance(Path(new RmsProp(0.1f))[30]) < 1.0);
    }

    [Fact]
    public void Tracing_twice_with_the_same_optimizer_gives_the_same_path()
    {
        var adam = new Adam(0.3f);
        Assert.Equal(Path(adam), Path(adam));
    }
}
