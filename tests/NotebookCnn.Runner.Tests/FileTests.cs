using System.Diagnostics;
using NotebookCnn.Runner;
using NotebookCnn.Runner.Formatting;

namespace NotebookCnn.Runner.Tests;

public sealed class FileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nbcnn-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Running_a_file_writes_the_executed_notebook_and_an_html_page()
    {
        string output = Path.Combine(_folder, "out");
        var result = await NotebookRunner.RunFileAsync(TestNotebooks.PathOf("state"), new RunOptions { OutputDirectory = output, Log = TextWriter.Null });
        Assert.Equal(Path.Combine(output, "state.ipynb"), result.NotebookPath);
        var written = Notebook.Load(result.NotebookPath!);
        Assert.Equal(3, written.Cells[3]!["execution_count"]!.GetValue<int>());
        Assert.Contains("<html", File.ReadAllText(Path.Combine(output, "state.html")));
        Assert.Empty(Directory.GetFiles(output, "*.tmp"));
        Assert.Matches(@"^state\.ipynb: 4 cells run, 0 errors, 0 PASS, 0 FAIL, 0 NOTE, \d+\.\d s$", result.Summary);
    }

    [Fact]
    public async Task The_runner_refuses_to_write_over_its_input_even_through_another_path()
    {
        string copy = Path.Combine(_folder, "state.ipynb");
        File.Copy(TestNotebooks.PathOf("state"), copy);
        string before = File.ReadAllText(copy);
        string sameFolderOtherSpelling = Path.Combine(_folder, "sub", "..");
        Directory.CreateDirectory(Path.Combine(_folder, "sub"));

        var error = await Assert.ThrowsAsync<RunnerException>(() => NotebookRunner.RunFileAsync(copy,
            new RunOptions { OutputDirectory = sameFolderOtherSpelling, Log = TextWriter.Null }));
        Assert.Contains("Refusing to write over the input", error.Message);

        string link = Path.Combine(_folder, "link");
        Directory.CreateSymbolicLink(link, _folder);
        await Assert.ThrowsAsync<RunnerException>(() => NotebookRunner.RunFileAsync(copy,
            new RunOptions { OutputDirectory = link, Log = TextWriter.Null }));
        Assert.Equal(before, File.ReadAllText(copy));
    }

    [Fact]
    public void Executed_notebooks_pass_Jupyter_schema_validation()
    {
        foreach (string name in new[] { "state", "reference", "nuget", "display", "output", "error", "kernels", "markdown", "import", "unknown-package" })
            TestNotebooks.Run(name).Executed.Save(Path.Combine(_folder, name + ".ipynb"));
        TestNotebooks.Run("parameters", new RunOptions { Parameters = [new("epochs", "1")], Log = TextWriter.Null })
            .Executed.Save(Path.Combine(_folder, "parameters.ipynb"));

        const string Script = """
            import glob, sys, nbformat
            for path in sorted(glob.glob(sys.argv[1] + "/*.ipynb")):
                nb = nbformat.read(path, as_version=4)
                nbformat.validate(nb)
                assert (nb.nbformat, nb.nbformat_minor) == (4, 5), path
                print("valid", path)
            """;
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(_folder);
        using var python = Process.Start(start)!;
        string stdout = python.StandardOutput.ReadToEnd();
        string stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, "nbformat validation failed (needs Debian's python3-nbformat):\n" + stderr);
        Assert.Equal(11, stdout.Split('\n').Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));
    }
}
