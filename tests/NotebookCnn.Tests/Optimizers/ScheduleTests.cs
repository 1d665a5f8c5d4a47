namespace NotebookCnn.Tests.Optimizers;

public class ScheduleTests
{
    [Fact]
    public void Constant_schedule_is_the_same_at_every_step()
    {
        Assert.Equal(new[] { 0.3f, 0.3f, 0.3f }, LearningRateSchedule.Constant(0.3f).Sample(3));
    }

    [Fact]
    public void Step_schedule_drops_by_the_factor_every_step_size()
    {
        var s = LearningRateSchedule.Step(0.1f, stepSize: 10, factor: 0.5f);
        Assert.Equal(0.1f, s.At(0));
        Assert.Equal(0.1f, s.At(9));
        Assert.Equal(0.05f, s.At(10));
        Assert.Equal(0.025f, s.At(25), 7);
    }

    [Fact]
    public void Exponential_schedule_is_multiplied_by_the_factor_over_decay_steps()
    {
        var s = LearningRateSchedule.Exponential(1f, factor: 0.5f, decaySteps: 10);
        Assert.Equal(1f, s.At(0));
        Assert.Equal(0.5f, s.At(10), 6);
        Assert.Equal((float)Math.Sqrt(0.5), s.At(5), 6);
        Assert.Equal(0.125f, s.At(30), 6);
    }

    [Fact]
    public void Cosine_schedule_falls_from_initial_to_minimum_along_half_a_cosine()
    {
        var s = LearningRateSchedule.Cosine(1f, totalSteps: 100, minimum: 0.1f);
        Assert.Equal(1f, s.At(0), 6);
        Assert.Equal(0.55f, s.At(50), 6);                                  // halfway: the mean of 1 and 0.1
        Assert.Equal(0.1f + 0.45f * (1 + (float)Math.Cos(Math.PI / 4)), s.At(25), 6);
        Assert.Equal(0.1f, s.At(100), 6);
        Assert.Equal(0.1f, s.At(1000), 6);                                 // flat after the end
    }

    [Fact]
    public void Warm_up_ramps_linearly_then_starts_the_wrapped_schedule()
    {
        var s = LearningRateSchedule.WarmUp(LearningRateSchedule.Step(1f, stepSize: 10, factor: 0.5f), warmUpSteps: 4);
        Assert.Equal(new[] { 0.25f, 0.5f, 0.75f, 1f, 1f }, s.Sample(5));
        Assert.Equal(1f, s.At(13));     // the step schedule's step 9
        Assert.Equal(0.5f, s.At(14));   // the step schedule's step 10
    }

    [Fact]
    public void Sample_has_one_value_per_step_for_plotting()
    {
        var values = LearningRateSchedule.Cosine(0.01f, 50).Sample(60);
        Assert.Equal(60, values.Length);
        for (int t = 1; t < values.Length; t++) Assert.True(values[t] <= values[t - 1]);
    }

    [Fact]
    public void Schedules_reject_a_zero_step_size()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(0.1f, stepSize: 0));
        Assert.Contains("StepSchedule", e.Message);
    }
}
