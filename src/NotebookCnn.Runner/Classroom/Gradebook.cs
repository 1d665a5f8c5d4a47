using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotebookCnn.Runner.Classroom;

/// <summary>How a question went: the status words of the gradebook.</summary>
public static class QuestionStatus
{
    /// <summary>Ran without error and printed no FAIL line: full points.</summary>
    public const string Passed = "passed";

    /// <summary>Ran, but printed a line starting with FAIL.</summary>
    public const string Failed = "failed";

    /// <summary>Threw an exception or did not compile.</summary>
    public const string Error = "error";

    /// <summary>Ran past the per-cell time limit (--timeout).</summary>
    public const string Timeout = "timeout";

    /// <summary>The submission's process ended while this cell ran (time limit, memory cap, or the code ended the process).</summary>
    public const string Stopped = "stopped";

    /// <summary>Not reached: the submission's process had ended earlier.</summary>
    public const string NotRun = "not run";
}

/// <summary>The grade of one question of one submission.</summary>
/// <param name="Question">The graded cell's id.</param>
/// <param name="Title">The heading above it (e.g. "Exercise 2 — Square").</param>
/// <param name="Points">Points scored: all or nothing.</param>
/// <param name="Max">Points the question is worth.</param>
/// <param name="Status">One of <see cref="QuestionStatus"/>.</param>
/// <param name="Messages">What the student is told: the PASS/FAIL lines, the error, the timeout.</param>
public sealed record QuestionGrade(string Question, string Title, int Points, int Max, string Status, IReadOnlyList<string> Messages);

/// <summary>The grade of one submission.</summary>
/// <param name="Student">The student (the file name, or the sub-folder a submission sits in).</param>
/// <param name="Assignment">The assignment it was graded against.</param>
/// <param name="Submission">The submission's path.</param>
/// <param name="Questions">Every question of the assignment, in notebook order.</param>
/// <param name="Flags">Why a teacher should look at it: tampered read-only or hidden-test cells, a stopped process.</param>
public sealed record StudentGrade(string Student, string Assignment, string Submission, IReadOnlyList<QuestionGrade> Questions, IReadOnlyList<string> Flags)
{
    /// <summary>Points scored.</summary>
    public int Points => Questions.Sum(q => q.Points);

    /// <summary>Points possible.</summary>
    public int Max => Questions.Sum(q => q.Max);

    /// <summary>Where the feedback page was written.</summary>
    public string? FeedbackPath { get; init; }
}

/// <summary>Writes the gradebook: <c>gradebook.csv</c> (one row per student and question), <c>totals.csv</c> and <c>gradebook.json</c>.</summary>
public static class Gradebook
{
    /// <summary>One row per student and question; the header is <c>student,assignment,question,title,points,max,status,flags</c>.</summary>
    public static string Csv(IEnumerable<StudentGrade> grades)
    {
        var text = new StringBuilder("student,assignment,question,title,points,max,status,flags\n");
        foreach (var grade in grades)
        {
            string flags = string.Join("; ", grade.Flags);
            foreach (var q in grade.Questions)
                Row(text, grade.Student, grade.Assignment, q.Question, q.Title, Number(q.Points), Number(q.Max), q.Status, flags);
        }
        return text.ToString();
    }

    /// <summary>One row per student: <c>student,assignment,points,max,flags</c>.</summary>
    public static string TotalsCsv(IEnumerable<StudentGrade> grades)
    {
        var text = new StringBuilder("student,assignment,points,max,flags\n");
        foreach (var grade in grades)
            Row(text, grade.Student, grade.Assignment, Number(grade.Points), Number(grade.Max), string.Join("; ", grade.Flags));
        return text.ToString();
    }

    /// <summary>Everything, messages included, as JSON (an object with a <c>students</c> array).</summary>
    public static string Json(IEnumerable<StudentGrade> grades)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        var students = grades.Select(g => new
        {
            g.Student, g.Assignment, g.Submission, g.Points, g.Max, g.Flags, g.FeedbackPath, g.Questions,
        });
        return JsonSerializer.Serialize(new { students }, options) + "\n";
    }

    /// <summary>Writes the three files into <paramref name="directory"/>.</summary>
    public static void Write(string directory, IReadOnlyList<StudentGrade> grades)
    {
        Directory.CreateDirectory(directory);
        Notebook.WriteAtomically(Path.Combine(directory, "gradebook.csv"), Csv(grades));
        Notebook.WriteAtomically(Path.Combine(directory, "totals.csv"), TotalsCsv(grades));
        Notebook.WriteAtomically(Path.Combine(directory, "gradebook.json"), Json(grades));
    }

    /// <summary>The console table: one line per student, the questions lost and the flags.</summary>
    public static string Summary(IReadOnlyList<StudentGrade> grades)
    {
        int width = Math.Max("student".Length, grades.Count == 0 ? 0 : grades.Max(g => g.Student.Length));
        var text = new StringBuilder();
        text.Append("student".PadRight(width)).Append("  points  lost\n");
        foreach (var grade in grades)
        {
            var lost = grade.Questions.Where(q => q.Points < q.Max).Select(q => $"{q.Title} [{q.Status}]").ToList();
            text.Append(grade.Student.PadRight(width)).Append("  ")
                .Append($"{grade.Points}/{grade.Max}".PadRight(6)).Append("  ")
                .Append(lost.Count == 0 ? "-" : string.Join(", ", lost)).Append('\n');
            foreach (string flag in grade.Flags) text.Append(' ', width + 2).Append("FLAG: ").Append(flag).Append('\n');
        }
        return text.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Row(StringBuilder text, params string[] fields)
    {
        text.AppendJoin(',', fields.Select(Quote)).Append('\n');
    }

    /// <summary>
    /// A field as written into the CSV: a field a spreadsheet would run as a formula (starting with
    /// <c>= + - @</c>, a tab or a carriage return; student names and flags come from submissions) gets a
    /// leading apostrophe; then RFC 4180 quoting for a comma, a quote or a line break, quotes doubled.
    /// </summary>
    public static string Quote(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r') field = "'" + field;
        return field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
    }
}
