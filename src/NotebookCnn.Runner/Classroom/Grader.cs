using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Classroom;

/// <summary>How <see cref="Grader"/> grades (the <c>grade</c> command's options).</summary>
public sealed class GradeOptions
{
    /// <summary>Where feedback pages, executed submissions and the gradebook go (<c>--out</c>).</summary>
    public string OutputDirectory { get; init; } = "graded";

    /// <summary>How long one cell may run; a cell past it scores 0 and the run goes on (<c>--timeout</c>).</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long one submission's process may run in all before it is killed (<c>--time-limit</c>).</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>The managed heap cap of a submission's process in MiB (<c>--memory</c>), set through <c>DOTNET_GCHeapHardLimit</c>.</summary>
    public int MemoryLimitMegabytes { get; init; } = 2048;

    /// <summary>Values for the parameters cell (<c>-p name=value</c>), e.g. quick=true.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>The folder relative paths resolve against; null means the teacher notebook's folder recorded in the key (<c>--workdir</c>).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Run submissions without the bubblewrap sandbox (<c>--unsafe-no-sandbox</c>): for machines where it cannot be
    /// made. Submissions can then read and change whatever the teacher's account can (see docs/teachers.md).
    /// </summary>
    public bool UnsafeNoSandbox { get; init; }

    /// <summary>The largest submission file graded (<c>--max-size</c>, in KiB); a larger one scores 0 with a flag.</summary>
    public long MaxSubmissionBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Cancelled to stop grading (Ctrl-C): the running worker is killed and the gradebook keeps the students graded so far.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>More files or folders submissions may read (<c>--share</c>), e.g. data a notebook loads; read-only in the sandbox.</summary>
    public IReadOnlyList<string> SharedPaths { get; init; } = [];

    /// <summary>Where progress lines go; null means the console's error stream.</summary>
    public TextWriter? Log { get; init; }
}

/// <summary>
/// Grades submissions against a key (<c>nbcnn grade</c>): each submission runs in a child process
/// with the hidden tests put back in place and the read-only cells restored, and every question
/// scores all or nothing.
/// </summary>
public static partial class Grader
{
    /// <summary>
    /// The submissions in <paramref name="target"/>: a file (student = its name), or a folder whose
    /// .ipynb files are students by file name, or by sub-folder name for files one level down.
    /// </summary>
    public static IReadOnlyList<(string Student, string Path)> Submissions(string target)
    {
        if (File.Exists(target)) return [(Path.GetFileNameWithoutExtension(target), Path.GetFullPath(target))];
        if (!Directory.Exists(target)) throw new RunnerException($"No submission or folder at {Path.GetFullPath(target)}.");
        var found = new List<(string, string)>();
        foreach (string file in Directory.GetFiles(target, "*.ipynb").Order(StringComparer.Ordinal))
            found.Add((Path.GetFileNameWithoutExtension(file), Path.GetFullPath(file)));
        foreach (string folder in Directory.GetDirectories(target).Order(StringComparer.Ordinal))
        {
            var files = Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            string student = Path.GetFileName(folder);
            foreach (string file in files)
                found.Add((files.Count == 1 ? student : $"{student}/{Path.GetFileNameWithoutExtension(file)}", Path.GetFullPath(file)));
        }
        return found.Count > 0 ? found : throw new RunnerException($"No .ipynb submissions in {Path.GetFullPath(target)}.");
    }

    /// <summary>
    /// Grades every submission in turn, each in its own sandboxed worker; writes its feedback page and
    /// (atomically, after every student) the gradebook; returns the grades. One submission that is
    /// malformed, crashes or misbehaves costs only its own student.
    /// </summary>
    public static async Task<IReadOnlyList<StudentGrade>> GradeAsync(IReadOnlyList<(string Student, string Path)> submissions, GradingKey key, GradeOptions options)
    {
        var log = options.Log ?? Console.Error;
        string output = Path.GetFullPath(options.OutputDirectory);
        Sandbox? sandbox = null;
        if (!options.UnsafeNoSandbox)
        {
            if (Sandbox.WhyUnavailable() is string why)
                throw new RunnerException($"Cannot sandbox the submissions: {why}. Grading runs students' code; "
                    + "pass --unsafe-no-sandbox to grade without the sandbox (see docs/teachers.md for what that loses).");
            sandbox = SandboxFor(key, output, submissions, options.SharedPaths);
        }
        Directory.CreateDirectory(output);
        var grades = new List<StudentGrade>();
        foreach (var (student, path) in submissions)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            log.WriteLine($"{student}: grading {Path.GetFileName(path)}");
            StudentGrade grade;
            try
            {
                grade = await GradeOneAsync(student, path, key, options, output, sandbox, log).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                grade = Unreadable(student, path, ByFileName(path, key), $"grading failed: {e.GetType().Name}: {e.Message}");
            }
            log.WriteLine($"{student}: {grade.Points}/{grade.Max} points" + (grade.Flags.Count > 0 ? $", {grade.Flags.Count} flag(s)" : ""));
            grades.Add(grade);
            Gradebook.Write(output, grades);
        }
        Gradebook.Write(output, grades);
        return grades;
    }

    /// <summary>
    /// The sandbox for a key: the course folders read-only (the teacher notebooks' folders and what their
    /// read-only cells load with #r and #!import), with every notebook, key and submission in them hidden.
    /// </summary>
    public static Sandbox SandboxFor(GradingKey key, string output, IEnumerable<(string Student, string Path)> submissions, IEnumerable<string> shared)
    {
        var readOnly = new List<string>(shared);
        foreach (var assignment in key.Assignments)
        {
            readOnly.Add(assignment.SourceDirectory);
            readOnly.AddRange(assignment.CourseFiles);
            // The library looks for data sets in a "datasets" folder above the notebook's folder.
            for (var folder = new DirectoryInfo(assignment.SourceDirectory); folder is not null; folder = folder.Parent)
            {
                if (Directory.Exists(Path.Combine(folder.FullName, DataSetsFolder)))
                {
                    readOnly.Add(Path.Combine(folder.FullName, DataSetsFolder));
                    break;
                }
            }
            foreach (var cell in assignment.Cells.Where(c => !c.Hidden))
                readOnly.AddRange(Assignment.LoadedFiles(cell.Source, assignment.SourceDirectory));
        }
        var hidden = new List<string>();
        foreach (string folder in readOnly.Where(Directory.Exists))
        {
            try
            {
                hidden.AddRange(Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true })
                    .Where(f => f.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)
                        || Path.GetFileName(f).Equals(GradingKey.FileName, StringComparison.OrdinalIgnoreCase)));
            }
            catch (IOException)
            {
            }
        }
        hidden.AddRange(submissions.Select(s => s.Path));
        if (key.LoadedFrom is string keyFile) hidden.Add(keyFile);
        // A course folder that holds the output or the submissions would show them: hide those too.
        var hiddenFolders = new List<string> { output };
        hiddenFolders.AddRange(submissions.Select(s => Path.GetDirectoryName(s.Path)!).Distinct(StringComparer.Ordinal)
            .Where(f => !readOnly.Any(r => Path.GetFullPath(r).StartsWith(f, StringComparison.Ordinal))));
        return new Sandbox(readOnly, hidden, hiddenFolders) { WorkingDirectory = key.Assignments.Count > 0 ? Path.GetFullPath(key.Assignments[0].SourceDirectory) : null };
    }

    private static async Task<StudentGrade> GradeOneAsync(string student, string path, GradingKey key, GradeOptions options, string output,
        Sandbox? sandbox, TextWriter log)
    {
        Notebook submission;
        try
        {
            submission = SubmissionCheck.Load(path, options.MaxSubmissionBytes);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Unreadable(student, path, ByFileName(path, key), $"the submission could not be read: {e.Message}");
        }
        var assignment = AssignmentOf(submission, path, key);
        if (assignment is null)
            return Unreadable(student, path, null,
                $"no assignment of the key matches it (the key holds {string.Join(", ", key.Assignments.Select(a => a.Name))})");

        var (grading, flags) = Prepare(submission, assignment);
        NotebookRunner.InjectParameters(grading, options.Parameters);
        flags.AddRange(SuspiciousCode(grading, assignment));

        string directory = Path.GetFullPath(options.WorkingDirectory ?? assignment.SourceDirectory);
        var clock = Stopwatch.StartNew();
        var skipped = new Dictionary<string, CellRecord>(StringComparer.Ordinal);
        WorkerReport report;
        string? stopped;
        for (int attempt = 0; ; attempt++)
        {
            var (sent, sources) = ForWorker(WithoutCells(grading, skipped.Keys), assignment, skipped.Keys);
            report = await WorkerProcess.RunAsync(sent, sources, directory, sandbox, options, options.TimeLimit - clock.Elapsed,
                options.Cancellation).ConfigureAwait(false);
            string stderr = report.ErrorTail;
            stopped = report.End switch
            {
                WorkerEnd.Finished => null,
                WorkerEnd.TimeLimit => FormattableString.Invariant($"the submission ran past its time limit of {options.TimeLimit.TotalSeconds:0.#} s and was stopped"),
                WorkerEnd.OutputLimit => $"the submission wrote more than {WorkerProcess.MaxOutputBytes / (1024 * 1024)} MiB of output and was stopped",
                _ when stderr.Contains("OutOfMemory", StringComparison.OrdinalIgnoreCase) || stderr.Contains("Out of memory", StringComparison.OrdinalIgnoreCase)
                    => $"the submission ran out of memory (cap {options.MemoryLimitMegabytes} MiB) and its process ended",
                _ when stderr.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase)
                    => "the submission overflowed the stack (endless recursion?) and its process ended",
                _ => $"the submission's process ended early (exit code {report.ExitCode}{LastLine(stderr)})",
            };
            foreach (var (id, record) in skipped) report.Cells[id] = record;
            if (stopped is null) break;

            // A crash (not the time limit) is pinned on the cell that was running: grade again
            // without that cell, so it costs only its own question.
            string? culprit = RunningCell(grading, report.Cells);
            if (report.End is WorkerEnd.TimeLimit or WorkerEnd.OutputLimit || culprit is null || attempt >= MaxRestarts || clock.Elapsed >= options.TimeLimit)
            {
                flags.Add(Capitalised(stopped) + "; only the results reported before that count.");
                log.WriteLine($"{student}: {stopped}");
                break;
            }
            flags.Add($"Cell {culprit}: {stopped} while it ran; graded again without that cell.");
            log.WriteLine($"{student}: {stopped} in cell {culprit}; grading again without it");
            var error = new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = "ProcessEndedError",
                ["evalue"] = $"While this cell ran, {stopped}. It was skipped and the rest graded again without it.",
                ["traceback"] = new JsonArray($"ProcessEndedError: while this cell ran, {stopped}."),
            };
            skipped[culprit] = new CellRecord(false, null, new JsonArray(error));
        }
        if (report.Rejected > 0)
            flags.Add($"{report.Rejected} line(s) of the submission's output claimed to be grading results but did not verify; they were ignored.");

        var executed = Apply(grading, report.Cells);
        var questions = Score(assignment, executed, report, stopped);
        var grade = new StudentGrade(student, assignment.Name, path, questions, flags);

        string safe = SafeName(student);
        executed.Save(Path.Combine(output, "executed", safe + ".ipynb"));
        string feedbackPath = Path.Combine(output, "feedback", safe + ".html");
        Directory.CreateDirectory(Path.GetDirectoryName(feedbackPath)!);
        Notebook.WriteAtomically(feedbackPath, Feedback.Render(grade, executed, assignment));
        return grade with { FeedbackPath = feedbackPath };
    }

    /// <summary>
    /// What the worker gets: the notebook with every graded cell (a question or a hidden test) blank,
    /// and those cells' sources in order, handed out one at a time as they run. Skipped cells are not graded.
    /// </summary>
    private static (Notebook Notebook, List<(string Id, string Source)> Sources) ForWorker(Notebook grading, AssignmentKey assignment, IEnumerable<string> skipped)
    {
        var graded = assignment.Cells.Where(c => c.Hidden || c.Points > 0).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        graded.ExceptWith(skipped);
        var copy = grading.Clone();
        var sources = new List<(string, string)>();
        foreach (var cell in copy.Cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code"))
        {
            string id = cell["id"]!.GetValue<string>();
            if (!graded.Contains(id)) continue;
            sources.Add((id, Notebook.SourceOf(cell)));
            cell["source"] = "";
        }
        return (copy, sources);
    }

    /// <summary>
    /// Flags for code in the student's cells that reaches past the notebook: reflection, the console's
    /// streams, the process, native code. Such code is not refused (it may be innocent), but a teacher
    /// should look: it is how an in-process attack on grading would start (see docs/teachers.md).
    /// </summary>
    public static IEnumerable<string> SuspiciousCode(Notebook grading, AssignmentKey assignment)
    {
        var fixedCells = assignment.Cells.Where(c => !c.StudentCode).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var cell in grading.Cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code"))
        {
            string id = cell["id"]!.GetValue<string>();
            if (fixedCells.Contains(id) || Notebook.TagsOf(cell).Contains(Parameters.InjectedTag)) continue;
            string source = Notebook.SourceOf(cell);
            var found = SuspiciousWords.Where(w => source.Contains(w, StringComparison.Ordinal)).ToList();
            if (found.Count > 0) yield return $"Cell {id} uses {string.Join(", ", found)}: look at it (grading results are only taken from the grader's own checks).";
        }
    }

    private static readonly string[] SuspiciousWords =
    [
        "System.Reflection", "BindingFlags", "GetField(", "GetMethod(", "GetProperty(", "Activator.", "Assembly.Load", "AppDomain",
        "Console.SetOut", "Console.SetError", "OpenStandardOutput", "OpenStandardInput", "Environment.Exit", "Environment.FailFast",
        "System.Diagnostics.Process", "Process.Start", "DllImport", "LibraryImport", "Marshal.", "unsafe", "NotebookCnn.Runner", "GradeWorker",
        "/proc/", "System.IO.File", "File.", "Directory.",
    ];

    /// <summary>The folder the library finds data sets in, looked for above the notebook's folder and shown to submissions read-only.</summary>
    public const string DataSetsFolder = "datasets";

    /// <summary>How often a submission is graded again after a cell ended its process.</summary>
    private const int MaxRestarts = 3;

    private static string Capitalised(string text) => text[..1].ToUpperInvariant() + text[1..];

    // The first code cell without a progress record: the one that was running when the process ended.
    private static string? RunningCell(Notebook grading, IReadOnlyDictionary<string, CellRecord> records) =>
        grading.Cells.OfType<JsonObject>()
            .Where(c => c["cell_type"]?.GetValue<string>() == "code")
            .Select(c => c["id"]!.GetValue<string>())
            .FirstOrDefault(id => !records.ContainsKey(id));

    // A copy in which the given cells hold only a comment, so a rerun passes over them.
    private static Notebook WithoutCells(Notebook grading, IEnumerable<string> ids)
    {
        var copy = grading.Clone();
        var skip = ids.ToHashSet(StringComparer.Ordinal);
        foreach (var cell in copy.Cells.OfType<JsonObject>().Where(c => skip.Contains(c["id"]!.GetValue<string>())))
            cell["source"] = Notebook.SplitLines("// nbcnn grade: skipped, it ended the submission's process in an earlier attempt.");
        return copy;
    }

    private static StudentGrade Unreadable(string student, string path, AssignmentKey? assignment, string why) =>
        new(student, assignment?.Name ?? "", path,
            assignment?.Questions.Select(q => new QuestionGrade(q.Id, q.Title, 0, q.Points, QuestionStatus.NotRun, [why])).ToList() ?? [],
            [char.ToUpperInvariant(why[0]) + why[1..]]);

    /// <summary>The assignment a submission answers: named in its metadata by <c>assign</c>, else the only one, else by file name.</summary>
    public static AssignmentKey? AssignmentOf(Notebook submission, string path, GradingKey key)
    {
        string? named = submission.Root["metadata"]?[Assignment.MetadataKey]?["name"]?.GetValue<string>();
        if (named is not null && key.Assignments.FirstOrDefault(a => a.Name == named) is { } byName) return byName;
        return ByFileName(path, key);
    }

    // The only assignment of the key, or the one whose name the file name contains (the longest such).
    private static AssignmentKey? ByFileName(string path, GradingKey key)
    {
        if (key.Assignments.Count == 1) return key.Assignments[0];
        string file = Path.GetFileNameWithoutExtension(path);
        return key.Assignments.Where(a => file.Contains(a.Name, StringComparison.OrdinalIgnoreCase)).MaxBy(a => a.Name.Length);
    }

    /// <summary>
    /// The notebook that is run for a submission (the submission is not modified): hidden tests put back
    /// where the teacher had them, read-only cells restored from the key, outputs cleared; and the flags
    /// for cells the student changed or deleted.
    /// </summary>
    public static (Notebook Grading, List<string> Flags) Prepare(Notebook submission, AssignmentKey assignment)
    {
        var grading = submission.Clone();
        grading.UpgradeToCurrentFormat();
        var flags = new List<string>();
        var cells = grading.Cells;
        var keyed = assignment.Cells.ToDictionary(c => c.Id, StringComparer.Ordinal);

        // Hidden tests in the submission (a student holding the teacher's copy) are replaced by the key's.
        for (int i = cells.Count - 1; i >= 0; i--)
        {
            var cell = (JsonObject)cells[i]!;
            string id = cell["id"]!.GetValue<string>();
            bool hiddenId = keyed.TryGetValue(id, out var k) && k.Hidden;
            if (!hiddenId && !Notebook.TagsOf(cell).Contains(Assignment.HiddenTestsTag)) continue;
            if (!hiddenId || GradingKey.Checksum(Notebook.SourceOf(cell)) != k!.Checksum)
                flags.Add($"Hidden-test cell {id} ({(k?.Title ?? "not in the key")}) was changed; graded with the key's version.");
            cells.RemoveAt(i);
        }

        foreach (var key in assignment.Cells.Where(c => !c.Hidden && !c.StudentCode))
        {
            if (IndexOf(cells, key.Id) is int at)
            {
                var cell = (JsonObject)cells[at]!;
                if (GradingKey.Checksum(Notebook.SourceOf(cell)) != key.Checksum)
                    flags.Add($"Read-only cell {key.Id} ({key.Title}) was changed; graded with the original.");
                cell["source"] = Notebook.SplitLines(key.Source);
                cell["metadata"] = key.Metadata?.DeepClone() ?? new JsonObject();
            }
            else
            {
                flags.Add($"Read-only cell {key.Id} ({key.Title}) was deleted; graded with the original put back.");
                Insert(cells, key, assignment);
            }
        }
        foreach (var key in assignment.Cells.Where(c => c.StudentCode && IndexOf(cells, c.Id) is null))
            flags.Add($"Answer cell {key.Id} ({key.Title}) was deleted; it scores 0.");
        foreach (var key in assignment.Cells.Where(c => c.Hidden)) Insert(cells, key, assignment);

        foreach (var cell in cells.OfType<JsonObject>().Where(c => c["cell_type"]?.GetValue<string>() == "code"))
        {
            cell["outputs"] = new JsonArray();
            cell["execution_count"] = null;
        }
        return (grading, flags);
    }

    // Puts a key cell after the nearest cell that came before it in the teacher's notebook.
    private static void Insert(JsonArray cells, KeyCell key, AssignmentKey assignment)
    {
        int position = 0;
        int teacherIndex = assignment.CellIds.IndexOf(key.Id);
        for (int i = teacherIndex - 1; i >= 0; i--)
        {
            if (IndexOf(cells, assignment.CellIds[i]) is int before)
            {
                position = before + 1;
                break;
            }
        }
        cells.Insert(position, new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = key.Id,
            ["metadata"] = key.Metadata?.DeepClone() ?? new JsonObject(),
            ["outputs"] = new JsonArray(),
            ["source"] = Notebook.SplitLines(key.Source),
        });
    }

    private static int? IndexOf(JsonArray cells, string id)
    {
        for (int i = 0; i < cells.Count; i++)
            if (cells[i]?["id"]?.GetValue<string>() == id) return i;
        return null;
    }

    private static Notebook Apply(Notebook grading, Dictionary<string, CellRecord> records)
    {
        var executed = grading.Clone();
        foreach (var cell in executed.Cells.OfType<JsonObject>())
        {
            if (cell["id"]?.GetValue<string>() is string id && records.TryGetValue(id, out var record))
            {
                cell["outputs"] = record.Outputs.DeepClone();
                cell["execution_count"] = record.ExecutionCount?.DeepClone();
            }
        }
        return executed;
    }

    /// <summary>
    /// Scores each question from what the worker reported, authenticated, never from printed text: full
    /// points when its cell ran to the end without an error and every verdict of the key's check helper
    /// in it passed (at least one, when the key's cell calls <c>Check</c>); else 0.
    /// </summary>
    public static List<QuestionGrade> Score(AssignmentKey assignment, Notebook executed, WorkerReport report, string? stopped)
    {
        var records = report.Cells;
        // The cell that was running when the process ended is the first code cell without a record.
        string? runningWhenStopped = stopped is null ? null : executed.Cells.OfType<JsonObject>()
            .Where(c => c["cell_type"]?.GetValue<string>() == "code")
            .Select(c => c["id"]!.GetValue<string>())
            .FirstOrDefault(id => !records.ContainsKey(id));

        var grades = new List<QuestionGrade>();
        var codeIds = executed.Cells.OfType<JsonObject>()
            .Where(c => c["cell_type"]?.GetValue<string>() == "code")
            .Select(c => c["id"]!.GetValue<string>()).ToList();
        var questionIds = assignment.Questions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var question in assignment.Questions)
        {
            // The answer cells since the previous question: their errors explain a failing check.
            var earlier = new List<string>();
            bool earlierTimedOut = false;
            int at = codeIds.IndexOf(question.Id);
            for (int i = at - 1; i >= 0 && !questionIds.Contains(codeIds[i]); i--)
            {
                if (!records.TryGetValue(codeIds[i], out var before)) continue;
                earlierTimedOut |= before.TimedOut;
                earlier.InsertRange(0, before.Outputs.OfType<JsonObject>().Where(o => (string?)o["output_type"] == "error")
                    .Select(o => $"cell {codeIds[i]}: {o["ename"]?.GetValue<string>()}: {o["evalue"]?.GetValue<string>()}"));
            }

            if (!records.TryGetValue(question.Id, out var record))
            {
                bool present = IndexOf(executed.Cells, question.Id) is not null;
                var (status, message) = !present ? (QuestionStatus.NotRun, "The answer cell was deleted.")
                    : question.Id == runningWhenStopped ? (QuestionStatus.Stopped, $"This cell was running when {stopped}.")
                    : (QuestionStatus.NotRun, stopped is null ? "The cell was not run." : $"Not run: {stopped} at an earlier cell.");
                grades.Add(new QuestionGrade(question.Id, question.Title, 0, question.Points, status, [message]));
                continue;
            }

            var outputs = record.Outputs.OfType<JsonObject>().ToList();
            var verdicts = (report.Verdicts.TryGetValue(question.Id, out var v) ? v : [])
                .Select(x => x.Ok ? $"PASS: {x.What}" : x.Hint.Length > 0 ? $"FAIL: {x.What} — {x.Hint}" : $"FAIL: {x.What}").ToList();
            bool missing = verdicts.Count == 0 && CallsCheck().IsMatch(question.Source);
            if (missing) verdicts.Add("FAIL: the check reported no result (did the cell run the key's checks?)");
            var errors = outputs.Where(o => (string?)o["output_type"] == "error")
                .Select(o => $"{o["ename"]?.GetValue<string>()}: {o["evalue"]?.GetValue<string>()}").ToList();

            string result = record.TimedOut ? QuestionStatus.Timeout
                : errors.Count > 0 ? QuestionStatus.Error
                : missing || verdicts.Any(l => l.StartsWith("FAIL", StringComparison.Ordinal)) ? QuestionStatus.Failed
                : QuestionStatus.Passed;
            // A check that fails because the answer cell above it ran away is reported as that timeout.
            if (result != QuestionStatus.Passed && earlierTimedOut) result = QuestionStatus.Timeout;
            var messages = result == QuestionStatus.Passed ? verdicts : [.. earlier, .. verdicts, .. errors];
            grades.Add(new QuestionGrade(question.Id, question.Title, result == QuestionStatus.Passed ? question.Points : 0,
                question.Points, result, messages));
        }
        return grades;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bCheck\s*\(")]
    private static partial System.Text.RegularExpressions.Regex CallsCheck();

    // The runtime's last word (e.g. "Out of memory."), skipping the worker's own progress lines.
    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('[') && !l.Contains(".ipynb: ", StringComparison.Ordinal)).ToList();
        return lines.Count == 0 ? "" : ": " + lines[^1];
    }

    private static string SafeName(string student) =>
        string.Concat(student.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
