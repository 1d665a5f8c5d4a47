using System.Text.Json.Nodes;

namespace NotebookCnn.Runner;

/// <summary>
/// The outputs of one code cell, in the nbformat 4 JSON shape Jupyter and Polyglot Notebooks write.
/// Thread-safe: a cell may print or update a display from another thread.
/// </summary>
public sealed class CellOutputs
{
    private readonly object _gate = new();
    // Stream outputs grow line by line while a cell prints (a training loop may print thousands of
    // lines), so their text stays in a StringBuilder until the JSON is asked for.
    private readonly List<JsonObject> _outputs = [];
    private readonly Dictionary<JsonObject, System.Text.StringBuilder> _streamText = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, JsonObject> _displays = [];

    /// <summary>The cell's 1-based number among the notebook's cells, used in messages.</summary>
    public int CellNumber { get; }

    /// <summary>Creates the output list of cell <paramref name="cellNumber"/>.</summary>
    public CellOutputs(int cellNumber) => CellNumber = cellNumber;

    /// <summary>
    /// Told of each output as it is added, in order (a kernel publishes them live); null for none. Called under
    /// this object's lock, so it must be quick and must not call back into this object.
    /// </summary>
    public ICellOutputListener? Listener { get; init; }

    /// <summary>Appends text to the stdout or stderr stream, merging with a stream output just before it.</summary>
    public void AppendStream(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            Listener?.StreamAppended(name, text);
            if (_outputs.Count > 0 && _streamText.TryGetValue(_outputs[^1], out var last)
                && _outputs[^1]["name"]!.GetValue<string>() == name)
            {
                last.Append(text);
                return;
            }
            var output = new JsonObject { ["output_type"] = "stream", ["name"] = name };
            _outputs.Add(output);
            _streamText[output] = new System.Text.StringBuilder(text);
        }
    }

    /// <summary>A note from the runner itself (shown on stderr, prefixed so it is not mistaken for the cell's own output).</summary>
    public void AddNote(string note) => AppendStream("stderr", "nbcnn: " + note + "\n");

    /// <summary>Adds a display_data output; <paramref name="displayId"/> lets a later update replace it.</summary>
    public void AddDisplay(string displayId, IReadOnlyDictionary<string, string> data)
    {
        var output = new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = DataObject(data),
            ["metadata"] = new JsonObject(),
        };
        lock (_gate)
        {
            _outputs.Add(output);
            _displays[displayId] = output;
            Listener?.DisplayAdded(displayId, data);
        }
    }

    /// <summary>Replaces the data of an earlier display (Jupyter's update_display_data): the notebook keeps the last value.</summary>
    public void UpdateDisplay(string displayId, IReadOnlyDictionary<string, string> data)
    {
        lock (_gate)
        {
            if (_displays.TryGetValue(displayId, out var output))
                output["data"] = DataObject(data);
            Listener?.DisplayUpdated(displayId, data);
        }
    }

    /// <summary>Adds the value of the cell's final expression.</summary>
    public void AddResult(int executionCount, IReadOnlyDictionary<string, string> data)
    {
        lock (_gate)
        {
            _outputs.Add(new JsonObject
            {
                ["output_type"] = "execute_result",
                ["execution_count"] = executionCount,
                ["data"] = DataObject(data),
                ["metadata"] = new JsonObject(),
            });
            Listener?.ResultAdded(executionCount, data);
        }
    }

    /// <summary>Adds an error output: exception type, message and where it happened.</summary>
    public void AddError(string name, string message, IEnumerable<string> traceback)
    {
        var lines = new JsonArray();
        foreach (string line in traceback) lines.Add(line);
        lock (_gate)
        {
            _outputs.Add(new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = name,
                ["evalue"] = message,
                ["traceback"] = lines,
            });
            Listener?.ErrorAdded(name, message, lines.Select(l => l!.GetValue<string>()).ToList());
        }
    }

    /// <summary>True once an error output was added.</summary>
    public bool HasError
    {
        get { lock (_gate) return _outputs.Any(o => o["output_type"]!.GetValue<string>() == "error"); }
    }

    /// <summary>A JSON array with a copy of the outputs so far.</summary>
    public JsonArray ToJson()
    {
        lock (_gate)
        {
            var array = new JsonArray();
            foreach (var output in _outputs)
            {
                var copy = (JsonObject)output.DeepClone();
                if (_streamText.TryGetValue(output, out var text)) copy["text"] = Notebook.SplitLines(text.ToString());
                array.Add(copy);
            }
            return array;
        }
    }

    private static JsonObject DataObject(IReadOnlyDictionary<string, string> data)
    {
        var obj = new JsonObject();
        foreach (var (mime, text) in data)
            obj[mime] = mime.StartsWith("text/", StringComparison.Ordinal) ? Notebook.SplitLines(text)
                : Formatting.ValueFormatter.IsJson(mime) ? JsonNode.Parse(text)
                : text;
        return obj;
    }
}
