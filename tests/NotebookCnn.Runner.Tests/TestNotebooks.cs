using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NotebookCnn.Runner;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NotebookCnn.Runner.Tests;

/// <summary>Runs the test notebooks in-process and reads their outputs.</summary>
internal static class TestNotebooks
{
    private static readonly ConcurrentDictionary<string, NotebookResult> Cache = new();

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "notebooks");

    public static string PathOf(string name) => Path.Combine(Folder, name + ".ipynb");

    /// <summary>Runs a notebook with default options once and keeps the result for other tests.</summary>
    public static NotebookResult Run(string name) => Cache.GetOrAdd(name, n => Run(n, new RunOptions { Log = TextWriter.Null }));

    public static NotebookResult Run(string name, RunOptions options) =>
        NotebookRunner.ExecuteAsync(Notebook.Load(PathOf(name)), Folder, name, options).GetAwaiter().GetResult();

    /// <summary>Names of the notebooks run so far with default options.</summary>
    public static IEnumerable<NotebookResult> Executed => Cache.Values;

    public static JsonObject Cell(this NotebookResult result, int number) => (JsonObject)result.Executed.Cells[number - 1]!;

    public static List<JsonObject> Outputs(this NotebookResult result, int number) =>
        ((JsonArray)result.Cell(number)["outputs"]!).Select(o => (JsonObject)o!).ToList();

    public static string Text(this JsonNode? node) => Notebook.JoinText(node);

    /// <summary>The text of the stream outputs named <paramref name="stream"/> of a cell.</summary>
    public static string Stream(this NotebookResult result, int number, string stream = "stdout") =>
        string.Concat(result.Outputs(number)
            .Where(o => o["output_type"]!.GetValue<string>() == "stream" && o["name"]!.GetValue<string>() == stream)
            .Select(o => o["text"].Text()));

    public static List<JsonObject> OfType(this List<JsonObject> outputs, string type) =>
        outputs.Where(o => o["output_type"]!.GetValue<string>() == type).ToList();
}
