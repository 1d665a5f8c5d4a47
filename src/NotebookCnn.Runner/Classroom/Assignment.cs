using System.Globalization;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// Turns a teacher's notebook into the student version (solutions stubbed, hidden tests removed,
/// outputs cleared) and the grading key (<c>nbcnn assign</c>).
/// </summary>
public static class Assignment
{
    /// <summary>The tag of a cell kept for grading and removed from the student version.</summary>
    public const string HiddenTestsTag = "hidden-tests";

    /// <summary>The tag of a cell students may look at but not change (checked when grading).</summary>
    public const string ReadOnlyTag = "read-only";

    /// <summary>The tag of an exercise's check cell (also read-only for students).</summary>
    public const string CheckTag = "check";

    /// <summary>The tag of a chapter's setup cell (<c>#r</c>, <c>#!import</c>): read-only for students.</summary>
    public const string SetupTag = "setup";

    /// <summary>The prefix of the tag giving a graded cell's points: <c>points:2</c>.</summary>
    public const string PointsTagPrefix = "points:";

    /// <summary>The notebook metadata key that names the assignment in a student version.</summary>
    public const string MetadataKey = "nbcnn_assignment";

    /// <summary>
    /// Makes the student version of every notebook in <paramref name="teacherNotebooks"/> as
    /// <c>OUT/&lt;name&gt;.ipynb</c>, writes the key to <c>OUT/grading-key.json</c> and returns it.
    /// Checks every notebook before writing anything; refuses to write over an input, or over an existing
    /// key unless <paramref name="force"/>.
    /// </summary>
    public static GradingKey AssignFiles(IReadOnlyList<string> teacherNotebooks, string outDirectory, TextWriter log, bool force = false)
    {
        string output = Path.GetFullPath(outDirectory);
        string keyPath = Path.Combine(output, GradingKey.FileName);
        // A source notebook is never overwritten, whatever else is wrong: checked first.
        foreach (string input in teacherNotebooks.Select(Path.GetFullPath))
            if (string.Equals(Path.GetDirectoryName(input), output.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
                throw new RunnerException($"Refusing to write the student version over the teacher's {input}: choose another --out folder.");
        if (File.Exists(keyPath) && !force)
            throw new RunnerException($"{keyPath} exists: submissions are graded against the key their notebook came with. "
                + "Pass --force to replace it (only if no student has the notebooks it was made with), or choose another --out folder.");
        var key = new GradingKey();
        var students = new List<(string Path, Notebook Notebook)>();
        foreach (string file in teacherNotebooks)
        {
            string input = Path.GetFullPath(file);
            string name = Path.GetFileNameWithoutExtension(input);
            string studentPath = Path.Combine(output, name + ".ipynb");
            Notebook teacher;
            try
            {
                teacher = Notebook.Load(input);
            }
            catch (InvalidDataException e)
            {
                throw new RunnerException(e.Message);
            }
            var (student, assignmentKey) = Make(teacher, name, Path.GetDirectoryName(input)!);
            key.Assignments.Add(assignmentKey);
            students.Add((studentPath, student));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}.ipynb: {assignmentKey.Questions.Count()} questions, {assignmentKey.MaxPoints} points, "
                + $"{assignmentKey.Cells.Count(c => c.Hidden)} hidden-test cells"));
        }
        // Everything is checked before anything is written.
        foreach (var (path, notebook) in students) notebook.Save(path);
        key.Save(keyPath);
        return key;
    }

    /// <summary>
    /// The student version of <paramref name="teacher"/> (not modified) and its key. Throws
    /// <see cref="RunnerException"/> for a broken solution block or a bad <c>points:</c> tag.
    /// </summary>
    public static (Notebook Student, AssignmentKey Key) Make(Notebook teacher, string name, string sourceDirectory)
    {
        var copy = teacher.Clone();
        copy.UpgradeToCurrentFormat();   // every cell gets an id: the key finds cells by id
        var cells = copy.Cells;
        var keyCells = new List<KeyCell>();
        var ids = new List<string>();
        string title = name;
        var student = new JsonArray();

        for (int i = 0; i < cells.Count; i++)
        {
            var cell = (JsonObject)cells[i]!;
            string id = cell["id"]!.GetValue<string>();
            ids.Add(id);
            string type = cell["cell_type"]?.GetValue<string>() ?? "";
            string source = Notebook.SourceOf(cell);
            if (type == "markdown" && HeadingOf(source) is string heading) title = heading;
            TeacherMistakes.Check(type, source, Notebook.TagsOf(cell), $"{name}.ipynb, cell {i + 1} ({id})");
            if (type != "code")
            {
                student.Add(cell.DeepClone());
                continue;
            }

            var tags = Notebook.TagsOf(cell);
            string where = $"{name}.ipynb, cell {i + 1} ({id})";
            int points = PointsOf(tags, where);
            bool hidden = tags.Contains(HiddenTestsTag);
            bool solution = SolutionMarkers.HasSolution(source);
            string studentSource;
            try
            {
                studentSource = SolutionMarkers.Strip(source, where);
            }
            catch (FormatException e)
            {
                throw new RunnerException(e.Message);
            }
            if (hidden && solution)
                throw new RunnerException($"{where}: a hidden-tests cell holds a solution block; students never see it, so they could not write it.");

            bool readOnly = tags.Contains(ReadOnlyTag) || tags.Contains(CheckTag) || tags.Contains(SetupTag) || tags.Contains(Parameters.Tag) || cell["metadata"]?["editable"]?.GetValue<bool>() == false;
            if (hidden || points > 0 || readOnly)
            {
                string question = hidden ? $"{title} (hidden tests)" : title;
                keyCells.Add(new KeyCell
                {
                    Id = id,
                    Title = question,
                    Points = points,
                    Hidden = hidden,
                    StudentCode = solution,
                    Source = source,
                    Metadata = cell["metadata"]?.DeepClone() as JsonObject,
                    Checksum = GradingKey.Checksum(hidden ? source : studentSource),
                });
            }
            if (hidden) continue;

            var kept = (JsonObject)cell.DeepClone();
            kept["source"] = Notebook.SplitLines(studentSource);
            kept["outputs"] = new JsonArray();
            kept["execution_count"] = null;
            student.Add(kept);
        }

        var studentRoot = (JsonObject)copy.Root.DeepClone();
        studentRoot["cells"] = student;
        var metadata = studentRoot["metadata"] as JsonObject ?? new JsonObject();
        metadata[MetadataKey] = new JsonObject { ["name"] = name };
        studentRoot["metadata"] = metadata;

        var courseFiles = cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code")
            .SelectMany(c => LoadedFiles(Notebook.SourceOf(c), sourceDirectory)).Distinct(StringComparer.Ordinal).ToList();
        var key = new AssignmentKey
        {
            Name = name, SourceDirectory = Path.GetFullPath(sourceDirectory), CellIds = ids, Cells = keyCells, CourseFiles = courseFiles,
        };
        return (new Notebook(studentRoot), key);
    }

    /// <summary>
    /// The files a cell loads, as full paths: for <c>#r "path"</c> the assembly's folder (its dependencies sit beside
    /// it), for <c>#!import file</c> the file and, in turn, what it loads.
    /// </summary>
    public static IEnumerable<string> LoadedFiles(string source, string directory, int depth = 0)
    {
        if (depth > 4) yield break;
        foreach (var directive in CellDirectives.Parse(source).Directives)
        {
            string path = Path.GetFullPath(Path.Combine(directory, directive.Value));
            if (directive.Kind == DirectiveKind.ReferencePath && File.Exists(path)) yield return Path.GetDirectoryName(path)!;
            if (directive.Kind == DirectiveKind.Import && File.Exists(path))
            {
                yield return path;
                foreach (string inner in LoadedFiles(File.ReadAllText(path), Path.GetDirectoryName(path)!, depth + 1)) yield return inner;
            }
        }
    }

    /// <summary>The points of a cell from its <c>points:N</c> tag, 0 without one.</summary>
    public static int PointsOf(IReadOnlyList<string> tags, string where)
    {
        int points = 0;
        foreach (string tag in tags.Where(t => t.StartsWith(PointsTagPrefix, StringComparison.Ordinal)))
        {
            if (!int.TryParse(tag[PointsTagPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out points) || points <= 0)
                throw new RunnerException($"{where}: tag '{tag}' should be points:N with N a whole number of points ≥ 1.");
        }
        return points;
    }

    // "### Exercise 2 — Square" → "Exercise 2 — Square".
    private static string? HeadingOf(string markdown)
    {
        string first = markdown.TrimStart().Split('\n')[0].Trim();
        return first.StartsWith('#') ? first.TrimStart('#').Trim() : null;
    }
}
