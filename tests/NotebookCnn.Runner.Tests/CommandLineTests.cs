using System.Diagnostics;

namespace NotebookCnn.Runner.Tests;

/// <summary>The built nbcnn executable, run as a process, as scripts use it.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nbcnn-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int ExitCode, string Stdout, string Stderr) Nbcnn(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nbcnn.dll"));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    [Fact]
    public void Exit_codes_say_whether_every_cell_ran_and_summaries_and_progress_are_printed()
    {
        string course = Path.Combine(_folder, "course");
        Directory.CreateDirectory(course);
        foreach (string name in new[] { "state", "parameters" }) File.Copy(TestNotebooks.PathOf(name), Path.Combine(course, name + ".ipynb"));
        var ok = Nbcnn("run", "course", "--timeout", "120");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Matches(@"^parameters\.ipynb: 2 cells run, 0 errors, 0 PASS, 0 FAIL, 0 NOTE, \d+\.\d s\nstate\.ipynb: 4 cells run, 0 errors, 0 PASS, 0 FAIL, 0 NOTE, \d+\.\d s\n$", ok.Stdout);
        Assert.Contains("[2/2] cell 2: ok", ok.Stderr);
        foreach (string file in new[] { "parameters.ipynb", "parameters.html", "state.ipynb", "state.html", "index.html" })
            Assert.True(File.Exists(Path.Combine(_folder, "out", file)), file);
        // A folder is a course: an index of its pages, and each page links to its neighbours.
        string index = File.ReadAllText(Path.Combine(_folder, "out", "index.html"));
        Assert.Contains("<a href=\"parameters.html\">parameters</a>", index);
        Assert.Contains("<a href=\"state.html\">", index);
        Assert.Contains("rel=\"next\" href=\"state.html\"", File.ReadAllText(Path.Combine(_folder, "out", "parameters.html")));
        Assert.Contains("rel=\"prev\" href=\"parameters.html\"", File.ReadAllText(Path.Combine(_folder, "out", "state.html")));

        var failing = Nbcnn("run", TestNotebooks.PathOf("error"), "--out", "errors");
        Assert.Equal(1, failing.ExitCode);
        Assert.StartsWith("error.ipynb: 2 cells run, 1 errors", failing.Stdout);

        var allowed = Nbcnn("run", TestNotebooks.PathOf("error"), "--out", "errors", "--allow-errors");
        Assert.Equal(0, allowed.ExitCode);
        Assert.StartsWith("error.ipynb: 3 cells run, 1 errors", allowed.Stdout);

        var unknown = Nbcnn("run", TestNotebooks.PathOf("parameters"), "-p", "nope=1");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Parameter 'nope' names no variable", unknown.Stderr);

        var overwrite = Nbcnn("run", TestNotebooks.PathOf("state"), "--out", TestNotebooks.Folder);
        Assert.Equal(2, overwrite.ExitCode);
        Assert.Contains("Refusing to write over the input", overwrite.Stderr);
    }
    [Fact]
    public void Every_fail_line_reaches_the_console_with_its_cell_and_strict_exits_3()
    {
        var run = Nbcnn("run", TestNotebooks.PathOf("checks"), "--out", "checks", "--allow-errors");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches(@"^checks\.ipynb, cell 3: FAIL: two — look at the loop bounds\nchecks\.ipynb: 5 cells run, 2 errors, 1 PASS, 1 FAIL, 1 NOTE, \d+\.\d s\n$", run.Stdout);

        var strict = Nbcnn("run", TestNotebooks.PathOf("checks"), "--out", "checks", "--allow-errors", "--strict");
        Assert.Equal(3, strict.ExitCode);
        Assert.Contains("cell 3: FAIL: two", strict.Stdout);

        // A cell error outranks --strict: the notebook did not run through.
        var errors = Nbcnn("run", TestNotebooks.PathOf("checks"), "--out", "checks", "--strict");
        Assert.Equal(1, errors.ExitCode);
        Assert.Contains("(stopped at cell 4)", errors.Stdout);

        var passing = Nbcnn("run", TestNotebooks.PathOf("state"), "--out", "state", "--strict");
        Assert.True(passing.ExitCode == 0, passing.Stderr);
    }

    [Fact]
    public void One_cell_numbering_in_progress_errors_tracebacks_and_pages_counts_code_cells_only()
    {
        var run = Nbcnn("run", TestNotebooks.PathOf("checks"), "--out", "checks", "--allow-errors");
        // Markdown cells stand between the code cells: code cell 4 is the notebook's 8th cell.
        Assert.Contains("[4/5] cell 4: error", run.Stderr);
        Assert.Contains("[5/5] cell 5: error", run.Stderr);
        var executed = Notebook.Load(Path.Combine(_folder, "checks", "checks.ipynb"));
        var code = executed.Cells.OfType<System.Text.Json.Nodes.JsonObject>().Where(c => (string?)c["cell_type"] == "code").ToList();
        Assert.Equal([1, 2, 3, 4, 5], code.Select(c => c["execution_count"]!.GetValue<int>()));
        string Traceback(int cell) => string.Join("\n", code[cell - 1]["outputs"]!.AsArray().Single(o => (string?)o!["output_type"] == "error")!["traceback"]!.AsArray().Select(l => (string?)l));
        Assert.Contains("in cell 4", Traceback(4));
        // The error of cell 5 happened in the method cell 2 defined: its traceback points there.
        Assert.Contains("at cell 2, line 1", Traceback(5));
        string page = File.ReadAllText(Path.Combine(_folder, "checks", "checks.html"));
        Assert.Contains("In&nbsp;[4]:", page);
        Assert.Contains("In&nbsp;[5]:", page);
    }

    [Fact]
    public void A_wrong_parameter_is_refused_with_exit_code_2_before_any_notebook_runs()
    {
        string course = Path.Combine(_folder, "course");
        Directory.CreateDirectory(course);
        foreach (string name in new[] { "parameters", "ranges" }) File.Copy(TestNotebooks.PathOf(name), Path.Combine(course, name + ".ipynb"));
        foreach (var (value, message) in new[]
        {
            ("epochs=0", "ranges.ipynb: Parameter 'epochs' must lie in 1..100 (passes over the data), got 0."),
            ("epochs=2.5", "ranges.ipynb: Parameter 'epochs' expects a whole number, got '2.5'."),
            ("epochs=1e400", "ranges.ipynb: Parameter 'epochs' expects a whole number, got '1e400'."),
        })
        {
            var run = Nbcnn("run", TestNotebooks.PathOf("ranges"), "--out", "refused", "-p", value);
            Assert.Equal(2, run.ExitCode);
            Assert.Equal("nbcnn: " + message + "\n", run.Stderr);
            Assert.False(Directory.Exists(Path.Combine(_folder, "refused")), "nothing may run or be written");
        }
        foreach (string value in new[] { "learningRate=1e400", "learningRate=NaN", "learningRate=Infinity", "learningRate=-Infinity", "learningRate=2" })
        {
            var run = Nbcnn("run", TestNotebooks.PathOf("ranges"), "--out", "refused", "-p", value);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("Parameter 'learningRate'", run.Stderr);
        }
        // The folder's first notebook declares no 'epochs' or 'quick' of that kind: refused before parameters.ipynb runs.
        var folder = Nbcnn("run", "course", "--out", "refused", "-p", "seed=7");
        Assert.Equal(2, folder.ExitCode);
        Assert.Contains("parameters.ipynb: Parameter 'seed' names no variable", folder.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_folder, "refused")), "nothing may run or be written");

        var ok = Nbcnn("run", TestNotebooks.PathOf("ranges"), "--out", "ranges", "-p", "epochs=100", "-p", "learningRate=1e-3", "-p", "seed=1000000");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
    }

    [Fact]
    public async Task The_nbcnn_script_at_the_repository_root_runs_the_runner_with_its_arguments()
    {
        string script = Path.Combine(CourseNotebookTests.RepositoryRoot, "nbcnn");
        Assert.True(File.Exists(script), $"no script at {script}");
        if (!OperatingSystem.IsWindows())
            Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, "./nbcnn must be executable");
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        start.ArgumentList.Add("--help");
        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // a build may come first
        await process.WaitForExitAsync(limit.Token);
        string stdout = await stdoutTask;
        Assert.True(process.ExitCode == 0, stderr);
        Assert.Contains("run <notebook>", stdout);
        Assert.Contains("kernel", stdout);
    }

    [Fact]
    public void Assign_writes_the_student_version_and_the_key_and_grade_refuses_a_missing_key()
    {
        string teacher = Path.Combine(AppContext.BaseDirectory, "classroom", "teacher.ipynb");
        var assign = Nbcnn("assign", teacher, "--out", "assignment");
        Assert.True(assign.ExitCode == 0, assign.Stderr);
        Assert.StartsWith("teacher.ipynb: 4 questions, 6 points, 1 hidden-test cells\n", assign.Stdout);
        Assert.True(File.Exists(Path.Combine(_folder, "assignment", "teacher.ipynb")));
        Assert.True(File.Exists(Path.Combine(_folder, "assignment", "grading-key.json")));

        var again = Nbcnn("assign", Path.Combine("assignment", "teacher.ipynb"), "--out", "assignment");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("Refusing to write the student version over the teacher's", again.Stderr);

        var noKey = Nbcnn("grade", "assignment", "--key", "nowhere.json");
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("No grading key at", noKey.Stderr);
    }
}
