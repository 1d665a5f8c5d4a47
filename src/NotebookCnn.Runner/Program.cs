using System.CommandLine;
using System.Globalization;
using NotebookCnn.Runner;

// nbcnn: the course's command line. "run" executes notebooks headless; "kernel" serves them to Jupyter front ends
// (Jupyter/); "assign" and "grade" turn chapters into assignments and grade submissions (Classroom/).
var root = new RootCommand("nbcnn: runs NotebookCnn's C# notebooks headless and writes executed copies and HTML pages.");
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(NotebookCnn.Runner.Classroom.ClassroomCommands.Assign());
root.Subcommands.Add(NotebookCnn.Runner.Classroom.ClassroomCommands.Grade());
root.Subcommands.Add(NotebookCnn.Runner.Classroom.ClassroomCommands.Worker());
root.Subcommands.Add(NotebookCnn.Runner.Jupyter.KernelCommands.Create());
return await root.Parse(args).InvokeAsync();

/// <summary>The <c>run</c> subcommand: <c>nbcnn run &lt;notebook.ipynb | folder&gt; [--out DIR] [-p name=value]... [--timeout SECONDS] [--allow-errors] [--strict]</c>.</summary>
internal static class RunCommand
{
    /// <summary>Exit code when a cell failed or timed out.</summary>
    public const int CellFailed = 1;

    /// <summary>Exit code when the run could not start (bad arguments, missing file, unknown parameter).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code with <c>--strict</c> when every cell ran but a check printed a FAIL line.</summary>
    public const int ChecksFailed = 3;

    public static Command Create()
    {
        var target = new Argument<string>("notebook") { Description = "A .ipynb file, or a folder whose .ipynb files are run in name order." };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the executed .ipynb and .html files.", DefaultValueFactory = _ => "out" };
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "Override a variable of the cell tagged 'parameters': -p epochs=2 (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one cell may run before it is stopped.", DefaultValueFactory = _ => RunOptions.DefaultCellTimeout.TotalSeconds };
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Keep running after a failing cell and exit 0." };
        var strict = new Option<bool>("--strict") { Description = $"Exit with code {ChecksFailed} when a check printed a FAIL line." };

        var command = new Command("run", "Run notebooks top to bottom and write executed copies and HTML pages (and index.html for a folder).")
        {
            target, output, parameters, timeout, allowErrors, strict,
        };
        command.SetAction(async (result, _) =>
        {
            try
            {
                double seconds = result.GetValue(timeout);
                if (!(seconds > 0)) throw new RunnerException($"--timeout expects a positive number of seconds, got {seconds.ToString(CultureInfo.InvariantCulture)}.");
                string folder = result.GetValue(target)!;
                var notebooks = Notebooks(folder);
                bool course = Directory.Exists(folder);
                var options = new RunOptions
                {
                    Course = course ? notebooks : [],
                    OutputDirectory = result.GetValue(output)!,
                    Parameters = (result.GetValue(parameters) ?? []).Select(Parameters.ParseAssignment).ToList(),
                    CellTimeout = TimeSpan.FromSeconds(seconds),
                    AllowErrors = result.GetValue(allowErrors),
                };
                // Every notebook's parameters are checked before the first cell of the first one runs.
                foreach (string notebook in notebooks) NotebookRunner.Check(notebook, options);
                return await RunAllAsync(notebooks, options, result.GetValue(strict), writeIndex: course);
            }
            catch (RunnerException e)
            {
                Console.Error.WriteLine("nbcnn: " + e.Message);
                return UsageError;
            }
        });
        return command;
    }

    private static IReadOnlyList<string> Notebooks(string target)
    {
        if (Directory.Exists(target))
        {
            var files = Directory.GetFiles(target, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            return files.Count > 0 ? files : throw new RunnerException($"No .ipynb files in {Path.GetFullPath(target)}.");
        }
        if (File.Exists(target)) return [target];
        throw new RunnerException($"No notebook or folder at {Path.GetFullPath(target)}.");
    }

    private static async Task<int> RunAllAsync(IReadOnlyList<string> notebooks, RunOptions options, bool strict, bool writeIndex)
    {
        bool failed = false, checksFailed = false;
        var results = new List<NotebookResult>();
        foreach (string notebook in notebooks)
        {
            Console.Error.WriteLine($"{Path.GetFileName(notebook)}: running");
            var result = await NotebookRunner.RunFileAsync(notebook, options);
            results.Add(result);
            foreach (string line in result.FailureLines) Console.WriteLine(line);
            Console.WriteLine(result.Summary);
            // A timeout fails the run even with --allow-errors: the notebook did not finish.
            failed |= result.TimedOut || (result.Errors > 0 && !options.AllowErrors);
            checksFailed |= result.Failures.Count > 0;
        }
        if (writeIndex) Console.Error.WriteLine($"index: {NotebookRunner.WriteIndex(results, options.OutputDirectory)}");
        return failed ? CellFailed : strict && checksFailed ? ChecksFailed : 0;
    }
}
