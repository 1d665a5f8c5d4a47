using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Every chapter's page, as <c>nbcnn run -p quick=true</c> writes it, opened in headless Chromium: every chart drawn,
/// every formula typeset by KaTeX (display math in display mode), and no text label of a subplot grid over another
/// subplot. The chapters run once, shared with <see cref="CourseNotebookTests"/>.
/// </summary>
public class CoursePageTests
{
    private static readonly Lazy<string> CheckJs = new(() => File.ReadAllText(Fixture("page-check.js")));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<JsonObject>>> Checked = new();

    public static TheoryData<string> Chapters() => CourseNotebookTests.Chapters();

    [Theory]
    [MemberData(nameof(Chapters))]
    public async Task Every_chart_on_the_chapters_page_draws_and_every_formula_is_typeset(string chapter)
    {
        var page = await Check(chapter);
        var charts = page["charts"]!.AsArray();
        var undrawn = charts.Where(c => !c!["drawn"]!.GetValue<bool>()).Select(c => $"cell {c!["cell"]}: {c["title"]}").ToList();
        Assert.True(undrawn.Count == 0, $"{chapter}: plotly.js drew no svg for {undrawn.Count} of {charts.Count} charts: {string.Join("; ", undrawn)}");
        foreach (string key in new[] { "untypeset", "displayNotInDisplayMode", "leftoverDollars", "katexErrors" })
        {
            var found = page[key]!.AsArray().Select(x => x!.ToString()).ToList();
            Assert.True(found.Count == 0, $"{chapter}: {key}: {string.Join("; ", found)}");
        }
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public async Task No_label_of_a_subplot_grid_overlaps_another_subplot(string chapter)
    {
        var page = await Check(chapter);
        var overlapping = page["charts"]!.AsArray()
            .Where(c => c!["overlaps"]!.AsArray().Count > 0)
            .Select(c => $"cell {c!["cell"]} \"{c["title"]}\": {c["overlaps"]!.AsArray().Count} overlaps, e.g. {string.Join("; ", c["overlaps"]!.AsArray().Take(3))}")
            .ToList();
        Assert.True(overlapping.Count == 0, $"{chapter}: labels overlap in {overlapping.Count} charts:\n{string.Join("\n", overlapping)}");
    }

    private static Task<JsonObject> Check(string chapter) =>
        Checked.GetOrAdd(chapter, c => new Lazy<Task<JsonObject>>(async () =>
        {
            var (result, log) = await CourseNotebookTests.RunnerRun(c, quick: true);
            Assert.True(result.HtmlPath is not null && File.Exists(result.HtmlPath), $"{c}: no page was written.\n{log}");
            return Chromium.Measure(await File.ReadAllTextAsync(result.HtmlPath), CheckJs.Value).AsObject();
        })).Value;

    private static string Fixture(string name, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "fixtures", "pages", name);
}
