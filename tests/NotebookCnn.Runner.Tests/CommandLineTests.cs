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
        Assert.Matches(@"^parameters\.ipynb: 2 cells run, 0 errors, \d+\.\d s\nstate\.ipynb: 4 cells run, 0 errors, \d+\.\d s\n$", ok.Stdout);
        Assert.Contains("[3/3] cell 3: ok", ok.Stderr);
        foreach (string file in new[] { "parameters.ipynb", "parameters.html", "state.ipynb", "state.html" })
            Assert.True(File.Exists(Path.Combine(_folder, "out", file)), file);

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
