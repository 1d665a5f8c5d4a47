using System.Globalization;
using System.Runtime.CompilerServices;
using Spectre.Console;

namespace NotebookCnn;

/// <summary>
/// The console progress bar of <see cref="Trainer"/> (bar, percentage, elapsed time and ETA), drawn by
/// Spectre.Console and moved by a training observer. This is the only file that uses the package.
/// </summary>
/// <remarks>
/// Never drawn when standard output is redirected (tests, the notebook runner, a notebook kernel, a log
/// file): there a bar would only add escape codes to the output. Notebooks use the trainer's callbacks instead.
/// </remarks>
internal static class ConsoleProgress
{
    /// <summary>A bar is drawn unless the caller said no or the output is not a terminal.</summary>
    public static bool ShouldShow(bool? showProgress) => showProgress != false && !Console.IsOutputRedirected;

    /// <summary>
    /// Runs <paramref name="training"/> with a bar on the console: Spectre.Console draws while the callback runs,
    /// and the observer it is given moves the bar.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // so that Spectre.Console is loaded only when a bar is actually drawn
    public static T Show<T>(string title, int totalIterations, int totalEpochs, Func<ITrainingObserver, T> training)
    {
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context => training(new Bar(context.AddTask(Markup.Escape(title), autoStart: true,
                maxValue: Math.Max(1, totalIterations)), title, totalEpochs)));
    }

    private sealed class Bar(ProgressTask task, string title, int totalEpochs) : ITrainingObserver
    {
        public void OnIteration(IterationInfo i) =>
            Move(i.Iteration, string.Format(CultureInfo.InvariantCulture, "epoch {0}/{1} loss {2:0.0000}", i.Epoch, totalEpochs, i.Loss));

        public void OnEnd(TrainingHistory history) =>
            Move(history.Iterations, history.Cancelled ? "cancelled" : history.StoppedEarly ? "stopped early" : "done");

        private void Move(int done, string status)
        {
            task.Value = done;
            task.Description = Markup.Escape($"{title} {status}");
        }
    }
}
