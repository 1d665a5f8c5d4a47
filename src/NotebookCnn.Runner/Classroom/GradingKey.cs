using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// What <c>assign</c> keeps for grading (<c>grading-key.json</c>): per assignment the hidden-test cells,
/// the cells students must not change with their checksums, and the points of every question.
/// The teacher keeps it; students never see it.
/// </summary>
public sealed class GradingKey
{
    /// <summary>The key's file name inside the <c>assign</c> output folder.</summary>
    public const string FileName = "grading-key.json";

    /// <summary>The format tag written into every key, checked when a key is read.</summary>
    public const string CurrentFormat = "nbcnn-grading-key/1";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The format tag (<see cref="CurrentFormat"/>).</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>The file the key was read from (null for a key made in memory); grading hides it from submissions.</summary>
    [JsonIgnore]
    public string? LoadedFrom { get; private set; }

    /// <summary>One entry per teacher notebook.</summary>
    public List<AssignmentKey> Assignments { get; init; } = [];

    /// <summary>Writes the key as indented JSON.</summary>
    public void Save(string path) => Notebook.WriteAtomically(Path.GetFullPath(path), JsonSerializer.Serialize(this, JsonOptions) + "\n");

    /// <summary>Reads a key file, or the <see cref="FileName"/> inside a folder.</summary>
    public static GradingKey Load(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file)) throw new RunnerException($"No grading key at {Path.GetFullPath(file)} (assign writes {FileName} into its --out folder).");
        GradingKey? key;
        try
        {
            key = JsonSerializer.Deserialize<GradingKey>(File.ReadAllText(file), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new RunnerException($"{Path.GetFileName(file)} is not a grading key: {e.Message}");
        }
        if (key is null || key.Format != CurrentFormat)
            throw new RunnerException($"{Path.GetFileName(file)} is not a grading key: format '{key?.Format}', expected '{CurrentFormat}'.");
        key.LoadedFrom = Path.GetFullPath(file);
        return key;
    }

    /// <summary>
    /// The checksum of a cell's source: SHA-256 of the text with line ends as "\n" and trailing
    /// spaces of lines and of the cell ignored, so an editor's whitespace habits are not tampering.
    /// </summary>
    public static string Checksum(string source)
    {
        string normal = string.Join("\n", source.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).TrimEnd();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
    }
}

/// <summary>The key of one assignment (one teacher notebook).</summary>
public sealed class AssignmentKey
{
    /// <summary>The teacher notebook's name without extension; student versions carry it in their metadata.</summary>
    public required string Name { get; init; }

    /// <summary>The teacher notebook's folder when it was assigned: relative paths (<c>#r</c>, <c>#!import</c>) resolve against it when grading.</summary>
    public required string SourceDirectory { get; init; }

    /// <summary>The ids of all the teacher notebook's cells in order, to put hidden tests back where they were.</summary>
    public required List<string> CellIds { get; init; }

    /// <summary>The cells grading restores from the key: hidden tests, checks and read-only cells.</summary>
    public required List<KeyCell> Cells { get; init; }

    /// <summary>
    /// What the teacher notebook's cells load with <c>#r</c> (the assembly's folder) and <c>#!import</c> (the file, and
    /// what it loads), as full paths: grading shows them to submissions read-only, and nothing else of the teacher's folders.
    /// </summary>
    public List<string> CourseFiles { get; init; } = [];

    /// <summary>The questions (cells with points), in notebook order.</summary>
    [JsonIgnore]
    public IEnumerable<KeyCell> Questions => Cells.Where(c => c.Points > 0);

    /// <summary>The most points a submission can score.</summary>
    [JsonIgnore]
    public int MaxPoints => Questions.Sum(q => q.Points);
}

/// <summary>A cell the key keeps.</summary>
public sealed class KeyCell
{
    /// <summary>The cell's id (nbformat 4.5), the same in the teacher and the student version.</summary>
    public required string Id { get; init; }

    /// <summary>A name for the teacher: the heading above the cell, e.g. "Exercise 2 — Square".</summary>
    public required string Title { get; init; }

    /// <summary>The points the cell is worth (from its <c>points:N</c> tag); 0 for a cell that is not a question.</summary>
    public int Points { get; init; }

    /// <summary>True for a <c>hidden-tests</c> cell: not in the student version, put back when grading.</summary>
    public bool Hidden { get; init; }

    /// <summary>
    /// True when the student's version of the cell is what runs (a question cell holding a solution
    /// block); false when the key's source replaces whatever the submission holds.
    /// </summary>
    public bool StudentCode { get; init; }

    /// <summary>The teacher's source of the cell.</summary>
    public required string Source { get; init; }

    /// <summary>The cell's metadata (kernel, tags), restored with it.</summary>
    public System.Text.Json.Nodes.JsonObject? Metadata { get; init; }

    /// <summary>The checksum of the source the student saw (<see cref="GradingKey.Checksum"/>).</summary>
    public required string Checksum { get; init; }
}
