using System.Diagnostics;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// Shuts the kernel down when the front end that started it is gone (it crashed or was killed without a shutdown
/// request), so no kernel is left running. Jupyter names that process in <c>JPY_PARENT_PID</c>.
/// </summary>
internal static class ParentWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Starts watching, if a parent is named; <paramref name="stop"/> is called once it is gone.</summary>
    public static void Start(TextWriter log, Action stop)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out int parent) || parent <= 1) return;
        int? startedUnder = ParentOf(Environment.ProcessId);
        var thread = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(Interval);
                // On Linux an orphan is adopted by another process: a changed parent id means the front end died.
                bool orphaned = startedUnder is int was && ParentOf(Environment.ProcessId) is int now && now != was;
                if (orphaned || !IsRunning(parent))
                {
                    log.WriteLine($"the front end (process {parent}) is gone: shutting down");
                    stop();
                    return;
                }
            }
        })
        {
            IsBackground = true,
            Name = "nbcnn kernel parent watch",
        };
        thread.Start();
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    // The parent process id from /proc (Linux); null elsewhere.
    private static int? ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], out int parent) ? parent : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
