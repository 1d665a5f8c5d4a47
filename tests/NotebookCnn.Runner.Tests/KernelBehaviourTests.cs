using System.Text.Json.Nodes;
using NotebookCnn.Runner.Formatting;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// The behaviours of the final .NET Interactive kernel that the cell engine mirrors (docs/kernel-parity.md), each a
/// cell of one probe notebook executed by both hosts: the kernel through Jupyter's own client, and <c>nbcnn run</c>.
/// Each cell must succeed or fail alike in both, print the same, and show a value in both or in neither; the
/// expected outcome is asserted too, so the two hosts cannot agree by both being wrong.
/// </summary>
public class KernelBehaviourTests
{
    private sealed record Probe(string Id, string Source, bool Fails, string? Stdout = null, string? Shows = null, bool Chart = false);

    private static string Root => CourseNotebookTests.RepositoryRoot;

    private static readonly Probe[] Probes =
    [
        new("setup", $"""
            #r "{Root}/src/NotebookCnn/bin/Release/net8.0/NotebookCnn.dll"
            #r "nuget: Plotly.NET, 6.0.0"
            #r "nuget: Plotly.NET.Interactive, 6.0.0"
            #!import {Root}/notebooks/Course.cs
            #!import {Root}/notebooks/Plots.cs
            """, Fails: false),
        // No globals object: object's members are not in scope.
        new("reference-equals", "ReferenceEquals(1, 2)", Fails: true),
        new("get-type", "GetType()", Fails: true),
        // The kernel's usings: System.Text, System.Collections.Generic, System.Linq, System.Threading.Tasks; not System.IO or System.Threading.
        new("default-usings", "var sb = new StringBuilder(); sb.Append(new List<int> { 1, 2 }.Sum()); await Task.Yield(); Console.WriteLine(sb);", Fails: false, Stdout: "3\n"),
        new("no-system-io", "File.Exists(\"x\")", Fails: true),
        new("no-system-threading", "Thread.Sleep(1);", Fails: true),
        new("fully-qualified", "System.IO.Path.GetFileName(\"a/b.txt\")", Fails: false, Shows: "b.txt"),
        // display is a static of Microsoft.DotNet.Interactive.Kernel, imported with using static.
        new("display", "var shown = display(\"first\"); shown.Update(\"second\");", Fails: false),
        new("kernel-class-not-imported", "Kernel.display(1);", Fails: true),
        // State carries over: methods, variables, usings.
        new("define", "using static System.Math;\nstatic int Twice(int x) => 2 * x;\nvar answer = Twice(21);", Fails: false),
        new("use", "Console.WriteLine($\"{answer} {Sqrt(16)}\");", Fails: false, Stdout: "42 4\n"),
        new("value", "answer", Fails: false, Shows: "42"),
        new("no-value-after-semicolon", "answer;", Fails: true),
        new("statement-no-value", "var nothing = answer;", Fails: false),
        // Library types are shown by Course.cs's formatters, the same in both hosts.
        new("tensor", "new NotebookCnn.Tensor(2, 3)", Fails: false, Shows: "Tensor [2, 3]"),
        new("dataset", "NotebookCnn.Mnist.LoadBundled().Test", Fails: false, Shows: "mnist-test"),
        new("network", "new NotebookCnn.Sequential(new NotebookCnn.Affine(4, 3), new NotebookCnn.Relu())", Fails: false, Shows: "Affine"),
        new("chart", "Plots.Line(new double[] { 0, 1 }, new double[] { 1, 2 }, \"a line\", \"x\", \"y\")", Fails: false, Chart: true),
        new("exception", "throw new InvalidOperationException(\"boom\");", Fails: true),
        new("after-exception", "Console.WriteLine(answer + 1);", Fails: false, Stdout: "43\n"),
    ];

    [Fact]
    public async Task Every_probe_cell_behaves_alike_in_the_final_kernel_and_in_the_runner()
    {
        var notebook = ProbeNotebook();
        string folder = Directory.CreateTempSubdirectory("nbcnn-probe-").FullName;
        string path = Path.Combine(folder, "probe.ipynb");
        File.WriteAllText(path, notebook.ToJsonString());

        var inKernel = Cells(Jupyter.Execute(path, Jupyter.DotNetInteractive, TimeSpan.FromMinutes(5)));
        var runner = await NotebookRunner.ExecuteAsync(Notebook.Load(path), folder, "probe",
            new RunOptions { AllowErrors = true, Log = TextWriter.Null });
        var inRunner = Cells(runner.Executed.Root);

        foreach (var probe in Probes)
        {
            var (kernel, ours) = (inKernel[probe.Id], inRunner[probe.Id]);
            Assert.True(probe.Fails == HasError(kernel), $"{probe.Id}: the kernel {(HasError(kernel) ? "failed" : "succeeded")}: {Describe(kernel)}");
            Assert.True(probe.Fails == HasError(ours), $"{probe.Id}: nbcnn {(HasError(ours) ? "failed" : "succeeded")}: {Describe(ours)}");
            Assert.Equal(Stdout(kernel), Stdout(ours));
            if (probe.Stdout is not null) Assert.Equal(probe.Stdout, Stdout(ours));
            Assert.Equal(Results(kernel).Count, Results(ours).Count);
            if (probe.Shows is not null)
            {
                Assert.Contains(probe.Shows, Shown(kernel));
                Assert.Contains(probe.Shows, Shown(ours));
            }
            Assert.Equal(probe.Chart, Results(kernel).Any(ExecutedNotebook.IsChart));
            Assert.Equal(probe.Chart, Results(ours).Any(ExecutedNotebook.IsChart));
        }
        // The kernel keeps the first value of display(...) because its update carries another display id; nbcnn
        // applies the update, as Jupyter's protocol means it (docs/kernel-parity.md).
        Assert.Equal("second", Notebook.JoinText(Assert.Single(ExecutedNotebook.Outputs(inRunner["display"]))["data"]!["text/plain"]));
        Assert.True(Results(inRunner["chart"]).Single().AsObject()["data"]!.AsObject().ContainsKey(ChartHtml.PlotlyMimeType));
    }

    private static JsonObject ProbeNotebook()
    {
        var cells = new JsonArray();
        foreach (var probe in Probes)
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code", ["id"] = probe.Id, ["execution_count"] = null, ["metadata"] = new JsonObject(),
                ["outputs"] = new JsonArray(), ["source"] = probe.Source,
            });
        return new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["name"] = Jupyter.DotNetInteractive, ["display_name"] = ".NET (C#)", ["language"] = "C#" },
            },
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
    }

    private static Dictionary<string, JsonObject> Cells(JsonObject notebook) =>
        new ExecutedNotebook(notebook).CodeCells.ToDictionary(c => (string)c["id"]!, c => c);

    private static bool HasError(JsonObject cell) => ExecutedNotebook.Outputs(cell).Any(o => (string?)o["output_type"] == "error");

    private static string Stdout(JsonObject cell) => string.Concat(ExecutedNotebook.Outputs(cell)
        .Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout").Select(o => Notebook.JoinText(o["text"])));

    private static List<JsonObject> Results(JsonObject cell) =>
        ExecutedNotebook.Outputs(cell).Where(o => (string?)o["output_type"] == "execute_result").ToList();

    private static string Shown(JsonObject cell) => string.Concat(Results(cell).SelectMany(r => r["data"]!.AsObject()
        .Select(kv => Notebook.JoinText(kv.Value))));

    private static string Describe(JsonObject cell) => ExecutedNotebook.Outputs(cell).Select(o => o.ToJsonString()).FirstOrDefault() ?? "no output";
}
