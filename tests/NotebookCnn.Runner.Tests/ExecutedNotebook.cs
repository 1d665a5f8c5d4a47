using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Reads what a student would look at in an executed notebook, whichever host ran it: errors, the
/// <c>PASS</c>/<c>FAIL</c> lines the check cells print, and the charts each cell drew.
/// </summary>
internal sealed class ExecutedNotebook(JsonObject root)
{
    public JsonObject Root { get; } = root;

    public IEnumerable<JsonObject> CodeCells =>
        (Root["cells"] as JsonArray ?? []).OfType<JsonObject>().Where(c => (string?)c["cell_type"] == "code");

    public static IEnumerable<JsonObject> Outputs(JsonObject cell) => (cell["outputs"] as JsonArray)?.OfType<JsonObject>() ?? [];

    /// <summary>Every error output, as "ename: evalue" with the cell it came from.</summary>
    public List<string> Errors =>
        CodeCells.SelectMany(c => Outputs(c).Where(o => (string?)o["output_type"] == "error")
                .Select(o => $"cell {c["id"]}: {o["ename"]}: {Notebook.JoinText(o["evalue"])}"))
            .ToList();

    /// <summary>The lines of the cells' standard output, in order.</summary>
    public IEnumerable<string> StdoutLines =>
        CodeCells.SelectMany(c => Outputs(c)
            .Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout")
            .SelectMany(o => Notebook.JoinText(o["text"]).Split('\n')));

    public List<string> Lines(string prefix) => StdoutLines.Where(l => l.TrimStart().StartsWith(prefix, StringComparison.Ordinal)).ToList();

    /// <summary>How many charts each cell drew, by cell id (cells with none left out).</summary>
    public Dictionary<string, int> ChartsPerCell =>
        CodeCells.Select(c => (Id: (string?)c["id"] ?? "", Charts: Outputs(c).Count(IsChart)))
            .Where(c => c.Charts > 0)
            .ToDictionary(c => c.Id, c => c.Charts);

    /// <summary>
    /// A chart output: a plotly figure (<c>application/vnd.plotly.v1+json</c>, as nbcnn writes it) or HTML that
    /// draws one with plotly.js (as Plotly.NET.Interactive writes it in the .NET Interactive kernel).
    /// </summary>
    public static bool IsChart(JsonObject output) =>
        output["data"] is JsonObject data
        && (data.ContainsKey("application/vnd.plotly.v1+json")
            || (data["text/html"] is { } html && Notebook.JoinText(html).Contains("Plotly.newPlot", StringComparison.Ordinal)));
}
