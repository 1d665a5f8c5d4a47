using System.Diagnostics;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Executes notebooks through Jupyter's own client (Debian's nbclient, <c>tests/jupyter/execute.py</c>) in a real
/// kernel, as a student's editor does. The kernels are registered in a private Jupyter folder,
/// <c>.tools/jupyter</c> in the repository (or <c>$NBCNN_JUPYTER_PATH</c>), by <c>tests/install-tools.sh</c>.
/// </summary>
internal static class Jupyter
{
    /// <summary>The final .NET Interactive kernel's C# kernelspec name.</summary>
    public const string DotNetInteractive = ".net-csharp";

    /// <summary>Debian's Python, which has nbclient and jupyter_client.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The Jupyter data folder whose <c>kernels/</c> holds the test kernelspecs.</summary>
    public static string DataFolder =>
        Environment.GetEnvironmentVariable("NBCNN_JUPYTER_PATH") is { Length: > 0 } path
            ? path
            : Path.Combine(CourseNotebookTests.RepositoryRoot, ".tools", "jupyter");

    /// <summary>Fails with what to install when the kernel or Jupyter's client is missing.</summary>
    public static void RequireKernel(string kernel)
    {
        string spec = Path.Combine(DataFolder, "kernels", kernel, "kernel.json");
        Assert.True(File.Exists(Python) && File.Exists(spec),
            $"The kernel '{kernel}' is not registered at {spec} (or {Python} is missing). "
            + "Run `bash tests/install-tools.sh` once: it installs Debian's Jupyter client and the kernels the tests drive.");
    }

    /// <summary>
    /// Executes <paramref name="notebook"/> in <paramref name="kernel"/> with its folder as working directory,
    /// parameters injected papermill-style, errors kept in the outputs. Returns the executed notebook.
    /// </summary>
    public static JsonObject Execute(string notebook, string kernel, TimeSpan timeout, params (string Name, string Value)[] parameters)
    {
        RequireKernel(kernel);
        string output = Path.Combine(Directory.CreateTempSubdirectory("nbcnn-jupyter-").FullName, Path.GetFileName(notebook));
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(notebook)!,
        };
        start.ArgumentList.Add(Path.Combine(CourseNotebookTests.RepositoryRoot, "tests", "jupyter", "execute.py"));
        start.ArgumentList.Add(notebook);
        start.ArgumentList.Add(kernel);
        start.ArgumentList.Add(output);
        foreach (var (name, value) in parameters) start.ArgumentList.Add($"{name}={value}");
        start.Environment["JUPYTER_PATH"] = DataFolder;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(notebook)} in kernel '{kernel}' did not finish within {timeout.TotalSeconds:0} s.");
        }
        Assert.True(process.ExitCode == 0 && File.Exists(output),
            $"Jupyter could not execute {Path.GetFileName(notebook)} in kernel '{kernel}' (exit {process.ExitCode}):\n{stderr.Result}\n{stdout.Result}");
        return JsonNode.Parse(File.ReadAllText(output))!.AsObject();
    }
}
