namespace NotebookCnn.Tests.Training;

public class ModelSnapshotTests
{
    [Fact]
    public void Restore_puts_back_parameters_and_buffers_captured_earlier()
    {
        var stats = new TestRunningMean("stats", 2);
        var linear = new TestLinear("l", 2, 2, seed: 1);
        var model = new TestSequential(linear, stats);
        stats.RunningMean.Fill(0.5f);
        var snapshot = ModelSnapshot.Capture(model);
        float[] weights = linear.Weight.Value.Data.ToArray();

        linear.Weight.Value.Fill(9f);
        stats.RunningMean.Fill(-1f);
        snapshot.RestoreTo(model);

        Assert.Equal(weights, linear.Weight.Value.Data);
        Assert.Equal(new[] { 0.5f, 0.5f }, stats.RunningMean.Data);
    }

    [Fact]
    public void Restoring_into_a_different_model_is_an_error()
    {
        var snapshot = ModelSnapshot.Capture(new TestLinear("l", 2, 2, seed: 1));
        var e = Assert.Throws<ArgumentException>(() => snapshot.RestoreTo(new TestRunningMean("stats", 2)));
        Assert.Contains("2 parameters", e.Message);
    }
}
