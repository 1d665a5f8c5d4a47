using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// The child side of <c>grade</c> (the hidden <c>grade-worker</c> subcommand): runs one prepared
/// notebook with errors and timeouts allowed, and appends one JSON line per finished code cell to a
/// progress file, so the parent knows what finished even if it has to kill this process.
/// </summary>
public static class GradeWorker
{
    /// <summary>Runs <paramref name="notebookPath"/> with <paramref name="directory"/> as working folder, writing progress lines to <paramref name="progressPath"/>.</summary>
    public static async Task<int> RunAsync(string notebookPath, string directory, string progressPath, TimeSpan cellTimeout)
    {
        var notebook = Notebook.Load(notebookPath);
        // The first compilation loads and compiles the compiler itself (seconds on a busy machine):
        // pay for it here, not out of the first cell's time limit.
        await new ScriptSession(new ScriptGlobals(() => null)).RunAsync("1", "warm-up.csx").ConfigureAwait(false);
        using var progress = new StreamWriter(new FileStream(progressPath, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        var options = new RunOptions
        {
            AllowErrors = true,
            ContinueAfterTimeout = true,
            CellTimeout = cellTimeout,
            CellFinished = (cell, timedOut) =>
            {
                var line = new JsonObject
                {
                    ["id"] = cell["id"]?.GetValue<string>(),
                    ["timedOut"] = timedOut,
                    ["execution_count"] = cell["execution_count"]?.DeepClone(),
                    ["outputs"] = cell["outputs"]?.DeepClone(),
                };
                lock (progress) progress.WriteLine(line.ToJsonString());
            },
        };
        var result = await NotebookRunner.ExecuteAsync(notebook, directory, Path.GetFileNameWithoutExtension(notebookPath), options).ConfigureAwait(false);
        Console.Error.WriteLine(result.Summary);
        return 0;
    }

    /// <summary>Reads the progress lines: cell id → (timed out, execution count, outputs). A half-written last line is ignored.</summary>
    public static Dictionary<string, (bool TimedOut, JsonNode? ExecutionCount, JsonArray Outputs)> ReadProgress(string progressPath)
    {
        var records = new Dictionary<string, (bool, JsonNode?, JsonArray)>(StringComparer.Ordinal);
        if (!File.Exists(progressPath)) return records;
        using var reader = new StreamReader(new FileStream(progressPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is string line)
        {
            JsonObject? record;
            try
            {
                record = JsonNode.Parse(line) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                continue;
            }
            if (record?["id"]?.GetValue<string>() is not string id) continue;
            records[id] = (record["timedOut"]?.GetValue<bool>() == true, record["execution_count"]?.DeepClone(),
                record["outputs"]?.DeepClone() as JsonArray ?? []);
        }
        return records;
    }
}
