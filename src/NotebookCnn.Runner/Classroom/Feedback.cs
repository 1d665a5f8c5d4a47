using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookCnn.Runner.Html;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// The page a student gets back: a table of the questions (points, passed or why not) above their
/// executed notebook. Hidden tests show their messages but not their code. Everything on it came from a
/// submission, so it is made safe to open: raw HTML in markdown shows as text, raw cells and HTML outputs
/// show as text, <c>javascript:</c> links are cut, hidden-test code is cut from outputs, and a
/// Content-Security-Policy forbids the page any network access, frames and forms.
/// </summary>
public static partial class Feedback
{
    /// <summary>The Content-Security-Policy of feedback pages: the page's own inline scripts and styles, data: images and fonts, nothing from anywhere else.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
        + "connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'";

    /// <summary>What replaces a line of hidden-test code found in an output.</summary>
    public const string Redacted = "[hidden test code removed]";

    /// <summary>The feedback HTML for one graded submission.</summary>
    public static string Render(StudentGrade grade, Notebook executed, AssignmentKey assignment)
    {
        var page = executed.Clone();
        var hidden = assignment.Cells.Where(c => c.Hidden).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var secretLines = hidden.Values.SelectMany(c => c.Source.Split('\n')).Select(l => l.Trim())
            .Where(l => l.Length >= 8).Distinct(StringComparer.Ordinal).OrderByDescending(l => l.Length).ToList();
        var cells = page.Cells;
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell) continue;
            string type = cell["cell_type"]?.GetValue<string>() ?? "";
            if (type == "raw")
            {
                // A raw cell meant as HTML would be pasted into the page as it is: show it as text instead.
                cells[i] = new JsonObject
                {
                    ["cell_type"] = "markdown",
                    ["id"] = cell["id"]?.DeepClone(),
                    ["metadata"] = new JsonObject(),
                    ["source"] = "```\n" + Notebook.SourceOf(cell).Replace("```", "'''") + "\n```",
                };
                continue;
            }
            if (cell["id"]?.GetValue<string>() is string id && hidden.TryGetValue(id, out var key))
                cell["source"] = Notebook.SplitLines($"// Hidden tests ({key.Points} points): the code is not shown; their messages are below.");
            if (cell["outputs"] is JsonArray outputs)
                foreach (var output in outputs.OfType<JsonObject>()) MakeSafe(output, secretLines);
        }
        page.Cells.Insert(0, new JsonObject
        {
            ["cell_type"] = "markdown",
            ["id"] = "nbcnn-feedback",
            ["metadata"] = new JsonObject(),
            ["source"] = Notebook.SplitLines(Summary(grade)),
        });
        string html = HtmlPage.Render(page.Root, $"{grade.Student} · {grade.Assignment}", new HtmlPageOptions { EscapeMarkdownHtml = true });
        html = CutScriptUrls(html);
        const string Charset = "<meta charset=\"utf-8\">\n";
        int at = html.IndexOf(Charset, StringComparison.Ordinal);
        string policy = $"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">\n";
        return at < 0 ? policy + html : html.Insert(at + Charset.Length, policy);
    }

    // An output as text only where it could carry markup, and without any line of hidden-test code.
    private static void MakeSafe(JsonObject output, IReadOnlyList<string> secretLines)
    {
        if (output["data"] is JsonObject data)
        {
            foreach (string mime in new[] { "text/html", "text/markdown", "application/javascript", "text/javascript" })
            {
                if (data[mime] is not { } value) continue;
                if (data["text/plain"] is null) data["text/plain"] = Notebook.JoinText(value);
                data.Remove(mime);
            }
            if (data["text/plain"] is { } plain) data["text/plain"] = Redact(Notebook.JoinText(plain), secretLines);
        }
        if (output["text"] is { } text) output["text"] = Redact(Notebook.JoinText(text), secretLines);
        if (output["evalue"] is { } evalue) output["evalue"] = Redact(evalue.GetValue<string>(), secretLines);
        if (output["traceback"] is JsonArray traceback)
            output["traceback"] = new JsonArray(traceback.Select(l => (JsonNode?)Redact(Notebook.JoinText(l), secretLines)).ToArray());
    }

    private static string Redact(string text, IReadOnlyList<string> secretLines)
    {
        foreach (string line in secretLines)
            if (text.Contains(line, StringComparison.Ordinal)) text = text.Replace(line, Redacted, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The summary as Markdown: total, one table row per question, the messages, and the flags.</summary>
    public static string Summary(StudentGrade grade)
    {
        var text = new StringBuilder();
        text.Append($"# Feedback for {Escape(grade.Student)} · {Escape(grade.Assignment)}\n\n");
        text.Append($"**{grade.Points} of {grade.Max} points.** A question scores its points when its cell runs without an error and every check in it passes.\n\n");
        text.Append("| Question | Points | Result |\n|---|---|---|\n");
        foreach (var q in grade.Questions)
            text.Append($"| {Title(q.Title)} | {q.Points} / {q.Max} | {q.Status} |\n");
        text.Append('\n');
        foreach (var q in grade.Questions.Where(q => q.Messages.Count > 0))
        {
            text.Append($"**{Title(q.Title)}**\n\n");
            foreach (string message in q.Messages) text.Append("- `").Append(message.Replace("`", "'").Replace("\n", " ")).Append("`\n");
            text.Append('\n');
        }
        foreach (string flag in grade.Flags) text.Append("> **Note:** ").Append(Escape(flag)).Append("\n\n");
        return text.ToString();
    }

    // A question's title is the teacher's heading from the key: its Markdown and $…$ formulas render as in the
    // chapter; only what would break the table or open an HTML tag is escaped.
    private static string Title(string text) => text.Replace("|", "\\|").Replace("<", "&lt;");

    // Keeps a student's text (names, flags about their code) from being read as Markdown or HTML.
    private static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace("|", "\\|").Replace("<", "&lt;").Replace("*", "\\*").Replace("_", "\\_").Replace("$", "\\$");

    // A link or source whose address runs script (javascript:, vbscript:, an HTML data: address), however
    // it is spelled (entities, spaces, case), points nowhere instead.
    private static string CutScriptUrls(string html) => UrlAttribute().Replace(html, match =>
    {
        string address = string.Concat(System.Net.WebUtility.HtmlDecode(match.Groups["url"].Value).Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)))
            .ToLowerInvariant();
        return address.StartsWith("javascript:", StringComparison.Ordinal) || address.StartsWith("vbscript:", StringComparison.Ordinal)
            || address.StartsWith("data:text/html", StringComparison.Ordinal)
            ? $"{match.Groups["name"].Value}=\"#blocked\""
            : match.Value;
    });

    [GeneratedRegex("(?<name>href|src|action|formaction|xlink:href)\\s*=\\s*\"(?<url>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex UrlAttribute();
}
