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
        var command = new Command("assign", "Make student versions (solutions stubbed, hidden tests removed, outputs cleared) and a grading key.")
        {
            target, output,
        };
        command.SetAction(result => Guard(() =>
        {
            var files = NotebookFiles(result.GetValue(target)!);
            string outDirectory = result.GetValue(output)!;
            var key = Assignment.AssignFiles(files, outDirectory, Console.Out);
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
        var command = new Command("grade", "Grade submissions against a key: each in its own process, per-question points, feedback pages and a gradebook.")
        {
            target, key, output, timeout, timeLimit, memory, parameters, workdir,
        };
        command.SetAction(result => Guard(async () =>
        {
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
            };
            var gradingKey = GradingKey.Load(result.GetValue(key)!);
            var grades = await Grader.GradeAsync(Grader.Submissions(result.GetValue(target)!), gradingKey, options);
            Console.Write(Gradebook.Summary(grades));
            Console.WriteLine($"Gradebook: {Path.Combine(Path.GetFullPath(options.OutputDirectory), "gradebook.csv")}");
            return 0;
        }));
        return command;
    }

    /// <summary>The hidden <c>grade-worker &lt;notebook&gt; --directory D --progress FILE --timeout S</c>.</summary>
    public static Command Worker()
    {
        var notebook = new Argument<string>("notebook");
        var directory = new Option<string>("--directory") { Required = true };
        var progress = new Option<string>("--progress") { Required = true };
        var timeout = new Option<double>("--timeout") { DefaultValueFactory = _ => 120 };
        var command = new Command(WorkerName, "Runs one prepared submission for grade (internal).") { notebook, directory, progress, timeout };
        command.Hidden = true;
        command.SetAction(result => Guard(() => GradeWorker.RunAsync(result.GetValue(notebook)!, result.GetValue(directory)!,
            result.GetValue(progress)!, TimeSpan.FromSeconds(result.GetValue(timeout)))));
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
