using System.Text.Json.Nodes;
using NotebookCnn.Runner;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Executes every chapter in notebooks/ with the runner in quick mode (<c>-p quick=true</c>): no cell may
/// fail, and every exercise check cell must print PASS and no FAIL.
/// </summary>
public class CourseNotebookTests
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static TheoryData<string> Chapters()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(RepositoryRoot, "notebooks"), "*.ipynb").Order())
            if (char.IsDigit(Path.GetFileName(path)[0])) data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public async Task Chapter_runs_in_quick_mode_and_every_check_passes(string chapter)
    {
        string library = Path.Combine(RepositoryRoot, "src", "NotebookCnn", "bin", "Release", "net8.0", "NotebookCnn.dll");
        Assert.True(File.Exists(library), $"The notebooks #r {library}: build it with `dotnet build src/NotebookCnn -c Release` (or run the tests with -c Release).");

        string output = Directory.CreateTempSubdirectory("nbcnn-course-").FullName;
        var log = new StringWriter();
        var result = await NotebookRunner.RunFileAsync(Path.Combine(RepositoryRoot, "notebooks", chapter), new RunOptions
        {
            OutputDirectory = output,
            Parameters = [new("quick", "true")],
            CellTimeout = TimeSpan.FromMinutes(3),
            Log = log,
        });

        var errors = result.Executed.Cells.SelectMany(Outputs)
            .Where(o => (string?)o["output_type"] == "error")
            .Select(o => $"{o["ename"]}: {o["evalue"]}");
        Assert.True(result.Errors == 0, $"{result.Summary}\n{string.Join("\n", errors)}\n{log}");

        foreach (var cell in result.Executed.Cells.OfType<JsonObject>())
        {
            string stdout = string.Concat(Outputs(cell)
                .Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout")
                .Select(o => Notebook.JoinText(o["text"])));
            Assert.DoesNotContain("FAIL", stdout);
            var tags = Notebook.TagsOf(cell);
            if (tags.Contains("check"))
                Assert.True(stdout.Contains("PASS"), $"{chapter}: check cell {cell["id"]} printed no PASS:\n{stdout}");
            if (tags.Contains("plot"))
                Assert.True(Outputs(cell).Any(o => o["data"]?["text/html"] is { } html && Notebook.JoinText(html).Contains("Plotly.newPlot")),
                    $"{chapter}: cell {cell["id"]} is tagged plot but drew no chart");
        }
        Assert.True(File.Exists(result.HtmlPath), "the HTML page was not written");
    }

    private static IEnumerable<JsonObject> Outputs(JsonNode? cell) =>
        (cell?["outputs"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NotebookCnn.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No NotebookCnn.sln above {AppContext.BaseDirectory}.");
    }
}
