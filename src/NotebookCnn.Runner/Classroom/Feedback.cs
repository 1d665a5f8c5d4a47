using System.Text;
using System.Text.Json.Nodes;
using NotebookCnn.Runner.Html;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// The page a student gets back: a table of the questions (points, passed or why not) above their
/// executed notebook. Hidden tests show their messages but not their code.
/// </summary>
public static class Feedback
{
    /// <summary>The feedback HTML for one graded submission.</summary>
    public static string Render(StudentGrade grade, Notebook executed, AssignmentKey assignment)
    {
        var page = executed.Clone();
        var hidden = assignment.Cells.Where(c => c.Hidden).ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var cell in page.Cells.OfType<JsonObject>())
        {
            if (cell["id"]?.GetValue<string>() is string id && hidden.TryGetValue(id, out var key))
                cell["source"] = Notebook.SplitLines($"// Hidden tests ({key.Points} points): the code is not shown; their messages are below.");
        }
        page.Cells.Insert(0, new JsonObject
        {
            ["cell_type"] = "markdown",
            ["id"] = "nbcnn-feedback",
            ["metadata"] = new JsonObject(),
            ["source"] = Notebook.SplitLines(Summary(grade)),
        });
        return HtmlPage.Render(page.Root, $"{grade.Student} · {grade.Assignment}");
    }

    /// <summary>The summary as Markdown: total, one table row per question, the messages, and the flags.</summary>
    public static string Summary(StudentGrade grade)
    {
        var text = new StringBuilder();
        text.Append($"# Feedback for {Escape(grade.Student)} · {Escape(grade.Assignment)}\n\n");
        text.Append($"**{grade.Points} of {grade.Max} points.** A question scores its points when its cell runs without an error and prints no line starting with FAIL.\n\n");
        text.Append("| Question | Points | Result |\n|---|---|---|\n");
        foreach (var q in grade.Questions)
            text.Append($"| {Escape(q.Title)} | {q.Points} / {q.Max} | {q.Status} |\n");
        text.Append('\n');
        foreach (var q in grade.Questions.Where(q => q.Messages.Count > 0))
        {
            text.Append($"**{Escape(q.Title)}**\n\n");
            foreach (string message in q.Messages) text.Append("- `").Append(message.Replace("`", "'").Replace("\n", " ")).Append("`\n");
            text.Append('\n');
        }
        foreach (string flag in grade.Flags) text.Append("> **Note:** ").Append(Escape(flag)).Append("\n\n");
        return text.ToString();
    }

    // Keeps a student's or a title's text from being read as Markdown or HTML.
    private static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace("|", "\\|").Replace("<", "&lt;").Replace("*", "\\*").Replace("_", "\\_").Replace("$", "\\$");
}
