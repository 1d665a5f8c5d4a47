namespace NotebookCnn.Tests.Training;

public class ConsoleProgressTests
{
    [Fact]
    public void Progress_bar_is_off_when_asked_and_whenever_output_is_redirected()
    {
        Assert.False(ConsoleProgress.ShouldShow(false));
        Assert.Equal(!Console.IsOutputRedirected, ConsoleProgress.ShouldShow(null));
        Assert.Equal(!Console.IsOutputRedirected, ConsoleProgress.ShouldShow(true));
    }

    [Fact]
    public void Show_runs_the_training_with_the_bar_as_an_observer_and_returns_its_value()
    {
        ITrainingObserver? given = null;
        int result = ConsoleProgress.Show("t", totalIterations: 3, totalEpochs: 1, bar =>
        {
            given = bar;
            for (int i = 1; i <= 3; i++) bar.OnIteration(new IterationInfo(i, 3, 1, 0.5f, 0.1f, 0));
            bar.OnEnd(new TrainingHistory());
            return 42;
        });
        Assert.Equal(42, result);
        Assert.NotNull(given);
    }
}
