using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner;

/// <summary>
/// An .ipynb file (nbformat 4) held as a JSON tree, so metadata the runner does not know
/// (Polyglot's kernel info, widgets, tags) survives a run unchanged.
/// </summary>
public sealed class Notebook
{
    /// <summary>The nbformat minor version the runner writes; 4.5 gives every cell an <c>id</c>.</summary>
    public const int WrittenMinorVersion = 5;

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        // Keep "<", ">" and non-ASCII readable in the file, as Jupyter does.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The whole document.</summary>
    public JsonObject Root { get; }

    /// <summary>Wraps a parsed notebook document.</summary>
    public Notebook(JsonObject root)
    {
        Root = root;
        if (root["cells"] is not JsonArray)
            throw new InvalidDataException("Not a notebook: the JSON has no \"cells\" array.");
    }

    /// <summary>The cells, in order.</summary>
    public JsonArray Cells => (JsonArray)Root["cells"]!;

    /// <summary>Reads a notebook file.</summary>
    public static Notebook Load(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is not valid notebook JSON: {e.Message}", e);
        }
        if (node is not JsonObject root)
            throw new InvalidDataException($"{Path.GetFileName(path)} is not a notebook: the top level is not a JSON object.");
        try
        {
            return new Notebook(root);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: {e.Message}", e);
        }
    }

    /// <summary>Parses notebook JSON text.</summary>
    public static Notebook Parse(string json) =>
        new(JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("Not a notebook: the top level is not a JSON object."));

    /// <summary>A deep copy, so the executed notebook never aliases the input.</summary>
    public Notebook Clone() => new((JsonObject)Root.DeepClone());

    /// <summary>The notebook as indented JSON text.</summary>
    public string ToJson() => Root.ToJsonString(WriteOptions) + "\n";

    /// <summary>
    /// Writes the notebook atomically (a temporary file moved over the target), so a crash never
    /// leaves half a notebook behind.
    /// </summary>
    public void Save(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        WriteAtomically(full, ToJson());
    }

    /// <summary>Writes text to a file through a temporary file in the same folder.</summary>
    public static void WriteAtomically(string path, string text)
    {
        string temp = path + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temp, text, new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A cell's source as one string (nbformat allows a string or an array of lines).</summary>
    public static string SourceOf(JsonObject cell) => JoinText(cell["source"]);

    /// <summary>Joins an nbformat "multiline string" (a string or an array of strings).</summary>
    public static string JoinText(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        _ => node.GetValue<string>(),
    };

    /// <summary>Splits text into the array-of-lines form Jupyter writes (each line keeps its "\n").</summary>
    public static JsonArray SplitLines(string text)
    {
        var array = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                array.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < text.Length) array.Add(text[start..]);
        return array;
    }

    /// <summary>The cell's tags (metadata.tags), empty when there are none.</summary>
    public static IReadOnlyList<string> TagsOf(JsonObject cell) =>
        cell["metadata"]?["tags"] is JsonArray tags
            ? tags.Select(t => t?.GetValue<string>() ?? "").ToList()
            : [];

    /// <summary>
    /// Brings the document to nbformat 4.5: sets the minor version and gives each cell a
    /// unique <c>id</c> if it has none (ids that exist are kept).
    /// </summary>
    public void UpgradeToCurrentFormat()
    {
        Root["nbformat"] = 4;
        int minor = Root["nbformat_minor"]?.GetValue<int>() ?? 0;
        if (minor < WrittenMinorVersion) Root["nbformat_minor"] = WrittenMinorVersion;
        if (Root["metadata"] is not JsonObject) Root["metadata"] = new JsonObject();

        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Cells.Count; i++)
        {
            var cell = (JsonObject)Cells[i]!;
            string? id = cell["id"]?.GetValue<string>();
            if (id is null || !used.Add(id))
            {
                id = UniqueId($"cell-{i + 1}", used);
                cell["id"] = id;
            }
            if (cell["metadata"] is not JsonObject) cell["metadata"] = new JsonObject();
        }
    }

    /// <summary>An id not yet in <paramref name="used"/>, based on <paramref name="wanted"/>; it is added to the set.</summary>
    public static string UniqueId(string wanted, HashSet<string> used)
    {
        string id = wanted;
        for (int n = 2; !used.Add(id); n++) id = $"{wanted}-{n}";
        return id;
    }
}
