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
    public void Without_a_bar_the_body_still_runs_and_returns_its_value()
    {
        int calls = 0;
        int result = ConsoleProgress.Run(show: false, "t", 3, report =>
        {
            for (int i = 1; i <= 3; i++) { report(i, "x"); calls++; }
            return 42;
        });
        Assert.Equal(42, result);
        Assert.Equal(3, calls);
    }
}
