using System.Globalization;
using System.Text;

namespace NotebookCnn.Runner.Html;

/// <summary>One chapter's row in the course index.</summary>
/// <param name="Page">The chapter page's file name, beside the index (<c>01-mlp.html</c>).</param>
/// <param name="Info">Its title and one-line description.</param>
/// <param name="Passed">PASS lines its checks printed.</param>
/// <param name="Failed">FAIL lines its checks printed.</param>
/// <param name="Errors">Cells that ended in an error.</param>
/// <param name="Elapsed">How long the chapter ran.</param>
public sealed record CourseIndexEntry(string Page, ChapterInfo Info, int Passed, int Failed, int Errors, TimeSpan Elapsed);

/// <summary>
/// The course's <c>index.html</c>: a table of the chapters a folder run wrote (number, title linked to the page,
/// description, PASS/FAIL counts, run time). Plain HTML with the pages' style, no script.
/// </summary>
public static class CourseIndex
{
    /// <summary>The index page for <paramref name="chapters"/>, in order.</summary>
    public static string Render(IReadOnlyList<CourseIndexEntry> chapters, string title)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"generator\" content=\"nbcnn\">\n")
            .Append("<title>").Append(HtmlText.Escape(title)).Append("</title>\n")
            .Append("<style>\n").Append(PageAssets.PageCss).Append("</style>\n")
            .Append("</head>\n<body>\n<main class=\"notebook course-index\">\n")
            .Append("<h1>").Append(HtmlText.Escape(title)).Append("</h1>\n");
        TimeSpan total = TimeSpan.FromTicks(chapters.Sum(c => c.Elapsed.Ticks));
        page.Append(CultureInfo.InvariantCulture, $"<p class=\"course-summary\">{chapters.Count} chapters, {chapters.Sum(c => c.Passed)} PASS, ")
            .Append(CultureInfo.InvariantCulture, $"{chapters.Sum(c => c.Failed)} FAIL, run in {Time(total)}.</p>\n");
        page.Append("<table class=\"chapters\">\n<thead><tr><th>#</th><th>Chapter</th><th class=\"count\">PASS</th><th class=\"count\">FAIL</th><th class=\"time\">Run time</th></tr></thead>\n<tbody>\n");
        foreach (var chapter in chapters)
        {
            string number = new(Path.GetFileNameWithoutExtension(chapter.Page).TakeWhile(char.IsDigit).ToArray());
            page.Append("<tr><td class=\"number\">").Append(HtmlText.Escape(number)).Append("</td>")
                .Append("<td><a href=\"").Append(HtmlText.Escape(Uri.EscapeDataString(chapter.Page))).Append("\">")
                .Append(HtmlText.Escape(chapter.Info.Title)).Append("</a>");
            if (chapter.Info.Description.Length > 0)
                page.Append("<div class=\"description\">").Append(HtmlText.Escape(chapter.Info.Description)).Append("</div>");
            if (chapter.Errors > 0)
                page.Append("<div class=\"fail\">").Append(chapter.Errors == 1 ? "1 cell failed" : $"{chapter.Errors} cells failed").Append("</div>");
            page.Append("</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"count\">{chapter.Passed}</td>")
                .Append("<td class=\"count").Append(chapter.Failed > 0 ? " fail" : "").Append(CultureInfo.InvariantCulture, $"\">{chapter.Failed}</td>")
                .Append("<td class=\"time\">").Append(Time(chapter.Elapsed)).Append("</td></tr>\n");
        }
        page.Append("</tbody>\n</table>\n</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    private static string Time(TimeSpan time) =>
        time.TotalSeconds < 60
            ? time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : $"{(int)time.TotalMinutes} min {time.Seconds} s";
}
