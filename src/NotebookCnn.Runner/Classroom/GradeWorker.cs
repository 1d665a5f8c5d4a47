using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Win32.SafeHandles;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// The child side of <c>grade</c> (the hidden <c>grade-worker</c> subcommand, run inside the sandbox).
/// It takes everything from its standard input, never from its command line: first the run's secret,
/// the prepared notebook (graded cells blank), the parameters and the limits; later, one graded cell's
/// source at a time, asked for just before that cell runs. It reports through its standard output, one
/// authenticated line per message (<see cref="WorkerChannel"/>): each finished cell with its outputs,
/// each verdict of the key's check helper, and "done" at the end. Before any student code runs, both
/// pipes are moved to private descriptors (closed on exec) and the standard ones pointed at /dev/null.
/// </summary>
public static class GradeWorker
{
    /// <summary>Outputs of one cell above this size are dropped (errors kept) so one record stays small.</summary>
    public const int MaxRecordChars = 2 * 1024 * 1024;

    private static readonly Lock Gate = new();
    private static TextReader? _input;
    private static TextWriter? _output;
    private static byte[]? _secret;
    private static long _sequence;
    private static string? _token;   // the running graded cell's one-time token, null between graded cells
    private static string? _gradedCell;
    private static bool _expectationsCount;
    private static System.Collections.Concurrent.BlockingCollection<string>? _replies;

    /// <summary>How long the worker waits for the grader to hand out a graded cell.</summary>
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs one submission as told on standard input; returns the exit code.</summary>
    public static async Task<int> RunAsync()
    {
        (_input, _output) = PrivateStandardStreams();
        var init = JsonNode.Parse(_input.ReadLine() ?? throw new RunnerException("grade-worker: nothing on standard input."))!.AsObject();
        _secret = Convert.FromBase64String(init["secret"]!.GetValue<string>());
        var notebook = new Notebook(init["notebook"]!.AsObject());
        string directory = init["directory"]!.GetValue<string>();
        var graded = init["graded"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var parameters = init["parameters"]!.AsArray()
            .Select(p => new KeyValuePair<string, string>(p![0]!.GetValue<string>(), p[1]!.GetValue<string>())).ToList();
        var timeout = TimeSpan.FromSeconds(init["timeout"]!.GetValue<double>());
        _expectationsCount = init["expectations"]?.GetValue<bool>() == true;
        // Replies come on a thread of their own, so a reply that never comes (student code reading the
        // pipe too) costs a graded cell, not the run.
        _replies = [];
        var reader = _input;
        new Thread(() =>
        {
            try
            {
                while (reader.ReadLine() is string line) _replies.Add(line);
            }
            catch (IOException)
            {
            }
        }) { IsBackground = true, Name = "nbcnn grader replies" }.Start();

        // The first compilation loads and compiles the compiler itself (seconds on a busy machine):
        // pay for it here, not out of the first cell's time limit.
        await new ScriptSession(new ScriptGlobals(() => null)).RunAsync("1", "warm-up.csx").ConfigureAwait(false);
        var options = new RunOptions
        {
            AllowErrors = true,
            ContinueAfterTimeout = true,
            CellTimeout = timeout,
            Parameters = parameters,
            Log = TextWriter.Null,
            CellStarting = cell =>
            {
                if (cell["id"]?.GetValue<string>() is string id && graded.Contains(id)) StartGraded(cell, id);
            },
            CellFinished = (cell, timedOut) =>
            {
                lock (Gate)
                {
                    _token = null;
                    _gradedCell = null;
                }
                Send(new JsonObject
                {
                    ["kind"] = "cell",
                    ["id"] = cell["id"]?.GetValue<string>(),
                    ["timedOut"] = timedOut,
                    ["execution_count"] = cell["execution_count"]?.DeepClone(),
                    ["outputs"] = Capped(cell["outputs"] as JsonArray),
                });
            },
        };
        await NotebookRunner.ExecuteAsync(notebook, directory, "submission", options).ConfigureAwait(false);
        Send(new JsonObject { ["kind"] = "done" });
        return 0;
    }

    /// <summary>
    /// Called by the check helper the grader defines right before each graded cell (see
    /// <see cref="Prelude"/>): records one verdict for the graded cell now running. A call without that
    /// cell's one-time token (student code calling it directly, or a thread left over from an earlier
    /// cell) records nothing.
    /// </summary>
    public static void Report(string token, bool ok, string what, string hint)
    {
        string line = ok ? $"PASS: {what}" : hint.Length > 0 ? $"FAIL: {what} — {hint}" : $"FAIL: {what}";
        Console.WriteLine(line);
        string? cell;
        lock (Gate)
        {
            if (_token is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(_token))) return;
            cell = _gradedCell;
        }
        Send(new JsonObject { ["kind"] = "verdict", ["id"] = cell, ["ok"] = ok, ["what"] = what, ["hint"] = hint });
    }

    /// <summary>
    /// Called by the <c>Expect</c> the grader defines before a graded cell that uses it: an expectation about
    /// results at the default parameters. It is a verdict when grading runs at the defaults (no <c>-p</c>),
    /// otherwise a NOTE that scores nothing either way.
    /// </summary>
    public static void Expectation(string token, bool ok, string what, string target, object? actual)
    {
        string got = actual switch
        {
            null => "null",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => actual.ToString() ?? "",
        };
        if (!_expectationsCount)
        {
            Console.WriteLine($"NOTE: {what}: with the defaults this reaches {target}; these settings gave {got}");
            return;
        }
        Report(token, ok, ok ? $"{what} {target} (got {got})" : $"{what}: with the default parameters this should reach {target}, got {got}", "");
    }

    /// <summary>
    /// The code put in front of a graded cell's source: the check helpers, defined again in the cell's
    /// own submission so they shadow any <c>Check</c> an earlier cell declared (every overload, since
    /// the scripting compiler picks among all submissions' overloads), then <c>#line 1</c> so error
    /// lines still count from the cell's first line. <c>Check(ok, what, expected, actual)</c> is the form
    /// of notebooks written before hints.
    /// </summary>
    public static string Prelude(string token, bool withExpect)
    {
        const string Worker = "global::NotebookCnn.Runner.Classroom.GradeWorker";
        var text = new StringBuilder()
            .Append($"static void Check(bool ok, string what, string hint) => {Worker}.Report(\"{token}\", ok, what, hint);\n")
            .Append($"static void Check(bool ok, string what) => {Worker}.Report(\"{token}\", ok, what, \"\");\n")
            .Append($"static void Check(bool ok, string what, string expected, object? actual) => {Worker}.Report(\"{token}\", ok, what, ok ? \"\" : $\"expected {{expected}}, got {{actual}}\");\n");
        if (withExpect)
            text.Append($"static void Expect(bool ok, string what, string target, object actual) => {Worker}.Expectation(\"{token}\", ok, what, target, actual);\n");
        return text.Append("#line 1\n").ToString();
    }

    // Asks the grader for the cell's source (only now does a hidden test enter the process) and
    // puts the prelude in front of it.
    private static void StartGraded(JsonObject cell, string id)
    {
        Send(new JsonObject { ["kind"] = "source", ["id"] = id });
        string? source = null;
        if (_replies!.TryTake(out string? reply, ReplyTimeout))
        {
            try
            {
                source = WorkerChannel.Decrypt(_secret!, id, reply);
            }
            catch (Exception e) when (e is FormatException or CryptographicException or System.Text.Json.JsonException or InvalidOperationException)
            {
                source = null;
            }
        }
        if (source is null)
        {
            cell["source"] = Notebook.SplitLines("throw new InvalidOperationException(\"The grader did not hand out this graded cell.\");");
            return;
        }
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        cell["source"] = Notebook.SplitLines(Prelude(token, source.Contains("Expect(", StringComparison.Ordinal)) + source);
        lock (Gate)
        {
            _token = token;
            _gradedCell = id;
        }
    }

    private static void Send(JsonObject message)
    {
        lock (Gate)
        {
            _output!.WriteLine(WorkerChannel.Frame(_secret!, _sequence++, message.ToJsonString()));
            _output.Flush();
        }
    }

    // A cell's outputs, or (when they are too large to report) its errors and a note.
    private static JsonArray Capped(JsonArray? outputs)
    {
        if (outputs is null) return [];
        if (outputs.ToJsonString().Length <= MaxRecordChars) return (JsonArray)outputs.DeepClone();
        var kept = new JsonArray();
        foreach (var output in outputs.OfType<JsonObject>().Where(o => (string?)o["output_type"] == "error")) kept.Add(output.DeepClone());
        kept.Add(new JsonObject
        {
            ["output_type"] = "stream",
            ["name"] = "stderr",
            ["text"] = $"nbcnn grade: this cell's outputs were over {MaxRecordChars / (1024 * 1024)} MiB and were dropped.\n",
        });
        return kept;
    }

    // Moves the pipes to the grader onto new descriptors that child processes do not inherit, and points
    // descriptors 0 and 1 at /dev/null, so student code that opens the standard streams reaches neither.
    private static (TextReader Input, TextWriter Output) PrivateStandardStreams()
    {
        if (!OperatingSystem.IsLinux())
            return (new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false)), new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)));
        int input = Posix.fcntl(0, Posix.F_DUPFD_CLOEXEC, 3);
        int output = Posix.fcntl(1, Posix.F_DUPFD_CLOEXEC, 3);
        int devNull = Posix.open("/dev/null", Posix.O_RDWR);
        if (input < 0 || output < 0 || devNull < 0 || Posix.dup2(devNull, 0) < 0 || Posix.dup2(devNull, 1) < 0)
            throw new RunnerException($"grade-worker: could not move its standard streams (errno {Marshal.GetLastPInvokeError()}).");
        Posix.close(devNull);
        var reader = new StreamReader(new FileStream(new SafeFileHandle(input, ownsHandle: true), FileAccess.Read, 1), new UTF8Encoding(false));
        var writer = new StreamWriter(new FileStream(new SafeFileHandle(output, ownsHandle: true), FileAccess.Write, 1), new UTF8Encoding(false));
        return (reader, writer);
    }

    private static partial class Posix
    {
        public const int F_DUPFD_CLOEXEC = 1030;
        public const int O_RDWR = 2;

        [DllImport("libc", SetLastError = true)]
        public static extern int fcntl(int fd, int command, int argument);

        [DllImport("libc", SetLastError = true)]
        public static extern int dup2(int oldFd, int newFd);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int open(string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
