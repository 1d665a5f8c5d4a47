using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Classroom;

/// <summary>How a worker's run ended.</summary>
public enum WorkerEnd
{
    /// <summary>It ran every cell and said so ("done", authenticated).</summary>
    Finished,

    /// <summary>It ran past its time limit and was killed.</summary>
    TimeLimit,

    /// <summary>It wrote more than the grader reads and was killed.</summary>
    OutputLimit,

    /// <summary>It ended without saying it was done (a crash, the memory cap, a call to exit).</summary>
    Crashed,
}

/// <summary>A finished cell as the worker reported it.</summary>
public sealed record CellRecord(bool TimedOut, JsonNode? ExecutionCount, JsonArray Outputs);

/// <summary>A verdict of the key's check helper in a graded cell.</summary>
public sealed record Verdict(bool Ok, string What, string Hint);

/// <summary>What one worker run reported, authenticated, and how it ended.</summary>
public sealed class WorkerReport
{
    /// <summary>The finished cells by id.</summary>
    public Dictionary<string, CellRecord> Cells { get; } = new(StringComparer.Ordinal);

    /// <summary>The verdicts by graded cell id.</summary>
    public Dictionary<string, List<Verdict>> Verdicts { get; } = new(StringComparer.Ordinal);

    /// <summary>How the run ended.</summary>
    public WorkerEnd End { get; set; }

    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; set; }

    /// <summary>The end of what it wrote to its error stream (the runtime's last words).</summary>
    public string ErrorTail { get; set; } = "";

    /// <summary>Lines that did not verify (student code writing to the raw output, or a forgery).</summary>
    public int Rejected { get; set; }
}

/// <summary>
/// Runs one <c>grade-worker</c> (in the sandbox unless told otherwise) and talks to it over its standard
/// streams: the secret, the notebook and each graded cell's source go in, authenticated messages come
/// out. Reading is capped and stops when the worker has exited, so neither a flood of output nor a child
/// process that keeps the pipe open can hold the grader.
/// </summary>
public static class WorkerProcess
{
    /// <summary>The most the grader reads from one worker's output in all.</summary>
    public const long MaxOutputBytes = 64L * 1024 * 1024;

    /// <summary>How much of the error stream is kept (its end).</summary>
    private const int ErrorTailChars = 8 * 1024;

    /// <summary>Runs the worker for <paramref name="notebook"/> and returns what it reported.</summary>
    /// <param name="notebook">The prepared notebook with graded cells blank.</param>
    /// <param name="sources">The graded cells' sources by id, in the order they may be asked for.</param>
    /// <param name="directory">The folder relative paths resolve against.</param>
    /// <param name="sandbox">The sandbox, or null to run unconfined.</param>
    /// <param name="options">Limits and parameters.</param>
    /// <param name="timeLimit">The wall-clock time left for this run.</param>
    /// <param name="cancellationToken">Cancelled when grading is interrupted: the worker is killed.</param>
    public static async Task<WorkerReport> RunAsync(Notebook notebook, IReadOnlyList<(string Id, string Source)> sources, string directory,
        Sandbox? sandbox, GradeOptions options, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        byte[] secret = WorkerChannel.NewSecret();
        var start = StartInfo(sandbox, options, timeLimit);
        start.WorkingDirectory = sandbox is null ? directory : "/";
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;

        var report = new WorkerReport();
        using var process = Sandbox.StartProcess(start);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = process.StandardInput;
        input.AutoFlush = true;
        var init = new JsonObject
        {
            ["secret"] = Convert.ToBase64String(secret),
            ["notebook"] = notebook.Root.DeepClone(),
            ["directory"] = directory,
            ["graded"] = new JsonArray(sources.Select(s => (JsonNode?)JsonValue.Create(s.Id)).ToArray()),
            ["parameters"] = new JsonArray(options.Parameters.Select(p => (JsonNode?)new JsonArray(p.Key, p.Value)).ToArray()),
            ["timeout"] = options.CellTimeout.TotalSeconds,
            ["expectations"] = options.Parameters.Count == 0,
        };
        bool done = false;
        bool overflow = false;
        var errorTail = new StringBuilder();
        try
        {
            await input.WriteLineAsync(init.ToJsonString()).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The worker died before reading: its exit code and error stream tell why.
        }

        int next = 0;   // graded cells are handed out once each, in notebook order
        long sequence = 0;
        var reading = Task.Run(async () =>
        {
            long total = 0;
            await foreach (string line in Lines(process.StandardOutput.BaseStream, stop.Token).ConfigureAwait(false))
            {
                total += line.Length + 1;
                if (total > MaxOutputBytes)
                {
                    overflow = true;
                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }
                if (WorkerChannel.Open(secret, sequence, line) is not string json)
                {
                    report.Rejected++;
                    continue;
                }
                sequence++;
                if (JsonNode.Parse(json) is not JsonObject message) continue;
                string? id = message["id"]?.GetValue<string>();
                switch (message["kind"]?.GetValue<string>())
                {
                    case "cell" when id is not null:
                        report.Cells[id] = new CellRecord(message["timedOut"]?.GetValue<bool>() == true,
                            message["execution_count"]?.DeepClone(), message["outputs"]?.DeepClone() as JsonArray ?? []);
                        break;
                    case "verdict" when id is not null:
                        if (!report.Verdicts.TryGetValue(id, out var list)) report.Verdicts[id] = list = [];
                        list.Add(new Verdict(message["ok"]?.GetValue<bool>() == true, message["what"]?.GetValue<string>() ?? "",
                            message["hint"]?.GetValue<string>() ?? ""));
                        break;
                    case "source" when id is not null:
                        int at = -1;
                        for (int i = next; i < sources.Count && at < 0; i++)
                            if (sources[i].Id == id) at = i;
                        string answer = "refused";
                        if (at >= 0)
                        {
                            answer = WorkerChannel.Encrypt(secret, id, sources[at].Source);
                            next = at + 1;
                        }
                        try
                        {
                            await input.WriteLineAsync(answer).ConfigureAwait(false);
                        }
                        catch (IOException)
                        {
                        }
                        break;
                    case "done":
                        done = true;
                        break;
                }
            }
        }, CancellationToken.None);
        var draining = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            try
            {
                while ((read = await process.StandardError.ReadAsync(buffer, stop.Token).ConfigureAwait(false)) > 0)
                {
                    errorTail.Append(buffer, 0, read);
                    if (errorTail.Length > 2 * ErrorTailChars) errorTail.Remove(0, errorTail.Length - ErrorTailChars);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        limit.CancelAfter(timeLimit > TimeSpan.Zero ? timeLimit : TimeSpan.FromMilliseconds(1));
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = !overflow && !cancellationToken.IsCancellationRequested;
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        // The worker has exited: read what is left, but not for long (a child process it left behind
        // outside a sandbox may hold the pipes open).
        await Task.WhenAny(Task.WhenAll(reading, draining), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        Kill(process);
        cancellationToken.ThrowIfCancellationRequested();

        report.ExitCode = process.ExitCode;
        lock (errorTail) report.ErrorTail = errorTail.ToString();
        report.End = overflow ? WorkerEnd.OutputLimit : timedOut ? WorkerEnd.TimeLimit : done && process.ExitCode == 0 ? WorkerEnd.Finished : WorkerEnd.Crashed;
        return report;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    // Lines of the worker's output; a line longer than the cap is cut (it will not verify).
    private static async IAsyncEnumerable<string> Lines(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var line = new MemoryStream();
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                yield break;
            }
            if (read == 0) yield break;
            int from = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                line.Write(buffer, from, i - from);
                yield return Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length);
                line.SetLength(0);
                from = i + 1;
            }
            if (line.Length + read - from <= GradeWorker.MaxRecordChars * 4L) line.Write(buffer, from, read - from);
        }
    }

    private static ProcessStartInfo StartInfo(Sandbox? sandbox, GradeOptions options, TimeSpan timeLimit)
    {
        string dll = typeof(Grader).Assembly.Location;
        string host = Environment.ProcessPath is string p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : DotnetHost();
        long bytes = (long)options.MemoryLimitMegabytes * 1024 * 1024;
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_GCHeapHardLimit"] = bytes.ToString("X", CultureInfo.InvariantCulture),   // hexadecimal, as the runtime reads it
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["LANG"] = "C.UTF-8",
        };
        if (sandbox is null)
        {
            var start = new ProcessStartInfo(host) { ArgumentList = { dll, ClassroomCommands.WorkerName } };
            foreach (var (name, value) in environment) start.Environment[name] = value;
            return start;
        }
        var sandboxed = new ProcessStartInfo(Sandbox.BubblewrapPath ?? "bwrap");
        int cpu = (int)Math.Ceiling(Math.Max(timeLimit.TotalSeconds, 1) * Environment.ProcessorCount) + 30;
        foreach (string argument in sandbox.Arguments([host, dll, ClassroomCommands.WorkerName], environment, cpu))
            sandboxed.ArgumentList.Add(argument);
        return sandboxed;
    }

    // The dotnet host of the running runtime: <root>/dotnet next to shared/Microsoft.NETCore.App/<version>.
    private static string DotnetHost()
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string host = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        return File.Exists(host) ? host : "dotnet";
    }
}
