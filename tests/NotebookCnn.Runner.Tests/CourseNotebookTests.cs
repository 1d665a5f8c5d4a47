using System.Text.Json.Nodes;
using NotebookCnn.Runner;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Executes every chapter in notebooks/ with the runner in quick mode (<c>-p quick=true</c>), and the chapters
/// with target numbers also with their default parameters: no cell may fail, every check cell must print PASS (or, for an
/// expectation about the default parameters run with other values, NOTE) and no FAIL, and every cell tagged <c>plot</c>
/// must draw a chart.
/// </summary>
public class CourseNotebookTests
{
    public static string RepositoryRoot { get; } = FindRoot();

    internal static IEnumerable<string> ChapterFiles() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "notebooks"), "*.ipynb")
            .Select(Path.GetFileName).OfType<string>().Where(name => char.IsDigit(name[0])).Order();

    public static TheoryData<string> Chapters() => new(ChapterFiles());

    /// <summary>
    /// Chapters whose check cells assert published results with their default parameters: BN beats no BN (07),
    /// regularisation shrinks the gap (08), SimpleConvNet's accuracy on MNIST and Fashion-MNIST (09), LeNet-5's (10),
    /// and every chapter with an expectation (<c>Expect(</c>), which asserts only with the defaults.
    /// </summary>
    public static TheoryData<string> ChaptersWithTargets() => new(
        ChapterFiles().Where(c => c.StartsWith("07-") || c.StartsWith("08-") || c.StartsWith("09-") || c.StartsWith("10-")
            || File.ReadAllText(Path.Combine(RepositoryRoot, "notebooks", c)).Contains("Expect(", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(Chapters))]
    public Task Chapter_runs_in_quick_mode_and_every_check_passes(string chapter) => RunChapter(chapter, quick: true);

    [Theory]
    [MemberData(nameof(ChaptersWithTargets))]
    public Task Chapter_reaches_its_target_numbers_with_default_parameters(string chapter) => RunChapter(chapter, quick: false);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, bool), Lazy<Task<(NotebookResult, string)>>> Runs = new();

    /// <summary>
    /// The runner's run of a chapter (quick or with defaults) and its log, made once and shared with the tests that
    /// compare other hosts with it.
    /// </summary>
    public static Task<(NotebookResult Result, string Log)> RunnerRun(string chapter, bool quick) =>
        Runs.GetOrAdd((chapter, quick), key => new Lazy<Task<(NotebookResult, string)>>(() => Run(key.Item1, key.Item2))).Value;

    private static async Task<(NotebookResult, string)> Run(string chapter, bool quick)
    {
        string library = Path.Combine(RepositoryRoot, "src", "NotebookCnn", "bin", "Release", "net8.0", "NotebookCnn.dll");
        Assert.True(File.Exists(library), $"The notebooks #r {library}: build it with `dotnet build src/NotebookCnn -c Release` (or run the tests with -c Release).");

        string output = Directory.CreateTempSubdirectory("nbcnn-course-").FullName;
        var log = new StringWriter();
        var result = await NotebookRunner.RunFileAsync(Path.Combine(RepositoryRoot, "notebooks", chapter), new RunOptions
        {
            OutputDirectory = output,
            Parameters = quick ? [new("quick", "true")] : [],
            CellTimeout = TimeSpan.FromMinutes(quick ? 3 : 10),
            Log = log,
        });
        return (result, log.ToString());
    }

    private static async Task RunChapter(string chapter, bool quick)
    {
        var (result, log) = await RunnerRun(chapter, quick);

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
                Assert.True(stdout.Contains("PASS: ") || (quick && stdout.Contains("NOTE: ")),
                    $"{chapter}: check cell {cell["id"]} printed no PASS{(quick ? " or NOTE" : "")}:\n{stdout}");
            if (!quick)
                Assert.DoesNotContain("NOTE: ", stdout);   // with the defaults every expectation asserts
            if (tags.Contains("plot"))
                Assert.True(Outputs(cell).Any(ExecutedNotebook.IsChart), $"{chapter}: cell {cell["id"]} is tagged plot but drew no chart");
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
