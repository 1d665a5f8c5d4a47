using System.Runtime.CompilerServices;
using Spectre.Console;

namespace NotebookCnn;

/// <summary>
/// The console progress bar of <see cref="Trainer"/> (bar, percentage, elapsed time and ETA), drawn by
/// Spectre.Console. This is the only file that uses the package.
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
    /// Runs <paramref name="body"/>, giving it a callback <c>(iterationsDone, status)</c> that moves the bar
    /// (or does nothing when <paramref name="show"/> is false).
    /// </summary>
    public static T Run<T>(bool show, string title, int totalIterations, Func<Action<int, string>, T> body)
    {
        if (!show) return body(static (_, _) => { });
        return RunWithBar(title, totalIterations, body);
    }

    // Kept apart so that Spectre.Console is loaded only when a bar is actually drawn.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T RunWithBar<T>(string title, int totalIterations, Func<Action<int, string>, T> body)
    {
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), autoStart: true, maxValue: Math.Max(1, totalIterations));
                return body((done, status) =>
                {
                    task.Value = done;
                    task.Description = Markup.Escape($"{title} {status}");
                });
            });
    }
}
