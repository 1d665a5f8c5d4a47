using System.CommandLine;
using System.Globalization;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// The classroom subcommands: <c>assign</c> (student versions and a grading key), <c>grade</c>
/// (submissions against the key) and the hidden <c>grade-worker</c> that <c>grade</c> starts once per submission.
/// </summary>
public static class ClassroomCommands
{
    /// <summary>The hidden subcommand a grading child process runs.</summary>
    public const string WorkerName = "grade-worker";

    /// <summary>Exit code when the command could not start (bad arguments, missing file, broken markers).</summary>
    public const int UsageError = 2;

    /// <summary><c>nbcnn assign &lt;teacher.ipynb | folder&gt; --out DIR</c>.</summary>
    public static Command Assign()
    {
        var target = new Argument<string>("notebook") { Description = "A teacher's .ipynb (solutions between // BEGIN SOLUTION and // END SOLUTION), or a folder of them." };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the student versions and grading-key.json.", DefaultValueFactory = _ => "assignment" };
        var force = new Option<bool>("--force") { Description = "Replace an existing grading-key.json in the --out folder." };
        var command = new Command("assign", "Make student versions (solutions stubbed, hidden tests removed, outputs cleared) and a grading key.")
        {
            target, output, force,
        };
        command.SetAction(result => Guard(() =>
        {
            var files = NotebookFiles(result.GetValue(target)!);
            string outDirectory = result.GetValue(output)!;
            var key = Assignment.AssignFiles(files, outDirectory, Console.Out, result.GetValue(force));
            Console.WriteLine($"Student versions in {Path.GetFullPath(outDirectory)}; keep {GradingKey.FileName} for grading (do not hand it out).");
            return Task.FromResult(0);
        }));
        return command;
    }

    /// <summary><c>nbcnn grade &lt;submission.ipynb | folder&gt; --key KEY [--out DIR] [--timeout S] [--time-limit S] [--memory MB] [-p name=value] [--workdir DIR]</c>.</summary>
    public static Command Grade()
    {
        var target = new Argument<string>("submissions") { Description = "A submitted .ipynb, or a folder of them (student = file name, or sub-folder name)." };
        var key = new Option<string>("--key", "-k") { Description = "The grading-key.json assign wrote (or its folder).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the gradebook, feedback pages and executed submissions.", DefaultValueFactory = _ => "graded" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one cell may run; a cell past it scores 0 and grading goes on.", DefaultValueFactory = _ => 120 };
        var timeLimit = new Option<double>("--time-limit") { Description = "Seconds one submission may run in all before its process is killed.", DefaultValueFactory = _ => 900 };
        var memory = new Option<int>("--memory") { Description = "Managed memory cap of a submission's process, in MiB.", DefaultValueFactory = _ => 2048 };
        var parameters = new Option<string[]>("--parameter", "-p") { Description = "Override a variable of the 'parameters' cell: -p quick=true (repeatable)." };
        var workdir = new Option<string?>("--workdir") { Description = "Folder relative paths (#r, #!import) resolve against; default: the teacher notebook's folder recorded in the key." };
        var unsafeNoSandbox = new Option<bool>("--unsafe-no-sandbox") { Description = "Run submissions without the bubblewrap sandbox (they can then read the key and change files): only where the sandbox cannot be made." };
        var share = new Option<string[]>("--share") { Description = "A file or folder submissions may read (read-only), e.g. data a notebook loads (repeatable)." };
        var maxSize = new Option<int>("--max-size") { Description = "Largest submission file graded, in KiB; a larger one scores 0 with a flag.", DefaultValueFactory = _ => 16 * 1024 };
        var command = new Command("grade", "Grade submissions against a key: each in its own process, per-question points, feedback pages and a gradebook.")
        {
            target, key, output, timeout, timeLimit, memory, parameters, workdir, unsafeNoSandbox, maxSize, share,
        };
        command.SetAction(result => Guard(async () =>
        {
            using var interrupt = new CancellationTokenSource();
            double cellSeconds = Positive(result.GetValue(timeout), "--timeout");
            double limitSeconds = Positive(result.GetValue(timeLimit), "--time-limit");
            int megabytes = result.GetValue(memory);
            if (megabytes < 64) throw new RunnerException($"--memory expects at least 64 MiB (the compiler needs room), got {megabytes}.");
            var options = new GradeOptions
            {
                OutputDirectory = result.GetValue(output)!,
                CellTimeout = TimeSpan.FromSeconds(cellSeconds),
                TimeLimit = TimeSpan.FromSeconds(limitSeconds),
                MemoryLimitMegabytes = megabytes,
                Parameters = (result.GetValue(parameters) ?? []).Select(Runner.Parameters.ParseAssignment).ToList(),
                WorkingDirectory = result.GetValue(workdir),
                UnsafeNoSandbox = result.GetValue(unsafeNoSandbox),
                SharedPaths = result.GetValue(share) ?? [],
                MaxSubmissionBytes = Math.Max(1, result.GetValue(maxSize)) * 1024L,
                Cancellation = interrupt.Token,
            };
            var gradingKey = GradingKey.Load(result.GetValue(key)!);
            IReadOnlyList<StudentGrade> grades;
            // Ctrl-C stops grading cleanly: the running worker (and its sandbox) is killed, the gradebook
            // keeps the students graded so far.
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                interrupt.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                grades = await Grader.GradeAsync(Grader.Submissions(result.GetValue(target)!), gradingKey, options);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("nbcnn: grading interrupted; the gradebook holds the students graded before it.");
                return 130;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            Console.Write(Gradebook.Summary(grades));
            Console.WriteLine($"Gradebook: {Path.Combine(Path.GetFullPath(options.OutputDirectory), "gradebook.csv")}");
            return 0;
        }));
        return command;
    }

    /// <summary>The hidden <c>grade-worker</c>: everything it needs comes on its standard input (see <see cref="GradeWorker"/>).</summary>
    public static Command Worker()
    {
        var command = new Command(WorkerName, "Runs one prepared submission for grade (internal).") { Hidden = true };
        command.SetAction(_ => Guard(GradeWorker.RunAsync));
        return command;
    }

    private static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (RunnerException e)
        {
            Console.Error.WriteLine("nbcnn: " + e.Message);
            return UsageError;
        }
    }

    private static double Positive(double seconds, string option) =>
        seconds > 0 ? seconds : throw new RunnerException($"{option} expects a positive number of seconds, got {seconds.ToString(CultureInfo.InvariantCulture)}.");

    private static IReadOnlyList<string> NotebookFiles(string target)
    {
        if (Directory.Exists(target))
        {
            var files = Directory.GetFiles(target, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            return files.Count > 0 ? files : throw new RunnerException($"No .ipynb files in {Path.GetFullPath(target)}.");
        }
        if (File.Exists(target)) return [target];
        throw new RunnerException($"No notebook or folder at {Path.GetFullPath(target)}.");
    }
}
