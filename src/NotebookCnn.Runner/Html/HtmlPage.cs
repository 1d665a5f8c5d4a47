using System.Text;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Html;

/// <summary>
/// Writes an executed notebook as one self-contained HTML page: markdown with typeset formulas (KaTeX),
/// code with its outputs, charts drawn by plotly.js. Everything the page needs is inside it, so it opens
/// offline and makes no network request; plotly.js and KaTeX are embedded only when the notebook uses them.
/// </summary>
public static class HtmlPage
{
    /// <summary>Renders <paramref name="executedNotebook"/> (nbformat 4 JSON) with the default options.</summary>
    /// <param name="executedNotebook">The notebook with its outputs, as the runner writes it.</param>
    /// <param name="title">The page title, usually the notebook's name.</param>
    /// <returns>The page as an HTML string; write it as UTF-8.</returns>
    public static string Render(JsonObject executedNotebook, string title) => Render(executedNotebook, title, HtmlPageOptions.Default);

    /// <summary>Renders <paramref name="executedNotebook"/> (nbformat 4 JSON) as one self-contained HTML page.</summary>
    /// <param name="executedNotebook">The notebook with its outputs, as the runner writes it.</param>
    /// <param name="title">The page title, usually the notebook's name.</param>
    /// <param name="options">What to show; see <see cref="HtmlPageOptions"/>.</param>
    /// <returns>The page as an HTML string; write it as UTF-8.</returns>
    public static string Render(JsonObject executedNotebook, string title, HtmlPageOptions options)
    {
        ArgumentNullException.ThrowIfNull(executedNotebook);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(options);
        if (executedNotebook["cells"] is not JsonArray cells)
        {
            throw new ArgumentException("HTML page: the notebook has no \"cells\" list; expected nbformat 4 JSON.", nameof(executedNotebook));
        }

        var body = new StringBuilder();
        var outputs = new List<JsonObject>();
        int number = 0;
        foreach (JsonObject cell in cells.OfType<JsonObject>())
        {
            number++;
            string id = HtmlText.Escape(NotebookJson.String(cell, "id") is { Length: > 0 } cellId ? cellId : number.ToString());
            switch (NotebookJson.String(cell, "cell_type"))
            {
                case "markdown":
                    string markdown = MarkdownRenderer.Render(NotebookJson.Text(cell["source"]), cell["attachments"] as JsonObject, options.EscapeMarkdownHtml);
                    body.Append($"<section class=\"cell markdown-cell\" id=\"cell-{id}\">\n").Append(markdown).Append("</section>\n");
                    break;
                case "code":
                    List<JsonObject> cellOutputs = (cell["outputs"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
                    outputs.AddRange(cellOutputs);
                    RenderCodeCell(cell, id, cellOutputs, options, body);
                    break;
                case "raw":
                    // Raw cells are for other converters; like Jupyter's HTML export, keep only those meant as HTML.
                    string format = NotebookJson.String(cell["metadata"] as JsonObject, "format") ?? "";
                    if (format is "text/html" or "html")
                    {
                        body.Append($"<section class=\"cell raw-cell\" id=\"cell-{id}\">").Append(NotebookJson.Text(cell["source"])).Append("</section>\n");
                    }
                    break;
            }
        }

        string cellsHtml = body.ToString();
        bool hasChart = OutputRenderer.HasChart(outputs);
        bool hasMath = MarkdownRenderer.HasMath(cellsHtml);
        int errors = outputs.Count(o => NotebookJson.String(o, "output_type") == "error");

        var page = new StringBuilder(cellsHtml.Length + (hasChart ? PageAssets.PlotlyJs.Length : 0) + (hasMath ? 800_000 : 0) + 20_000);
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"color-scheme\" content=\"light\">\n")
            .Append("<meta name=\"generator\" content=\"nbcnn\">\n")
            .Append("<title>").Append(HtmlText.Escape(title)).Append("</title>\n")
            .Append("<style>\n").Append(PageAssets.PageCss).Append("</style>\n");
        if (hasMath)
        {
            page.Append("<style id=\"katex-css\">").Append(PageAssets.KatexCss).Append("</style>\n");
        }
        if (hasChart)
        {
            // Once, before any chart's script calls Plotly.newPlot.
            page.Append("<script id=\"plotly-js\">").Append(PageAssets.PlotlyJs).Append("</script>\n");
        }
        page.Append("</head>\n<body>\n<main class=\"notebook\">\n");
        AppendCourseLinks(options.Course, page);
        AppendHeader(executedNotebook, title, options, errors, page);
        page.Append(cellsHtml);
        AppendCourseLinks(options.Course, page);
        page.Append("</main>\n");
        if (hasMath)
        {
            page.Append("<script id=\"katex-js\">").Append(PageAssets.KatexJs).Append("</script>\n")
                .Append("<script>").Append(PageAssets.RenderMathJs).Append("</script>\n");
        }
        page.Append("</body>\n</html>\n");
        return page.ToString();
    }

    // Previous · contents · next, above the header and again below the last cell.
    private static void AppendCourseLinks(CourseLinks? course, StringBuilder page)
    {
        if (course is null) return;
        page.Append("<nav class=\"course-links\">");
        page.Append(course.Previous is var (previousHref, previousTitle)
            ? $"<a class=\"previous\" rel=\"prev\" href=\"{HtmlText.Escape(previousHref)}\">← {HtmlText.Escape(previousTitle)}</a>"
            : "<span class=\"previous\"></span>");
        page.Append($"<a class=\"contents\" href=\"{HtmlText.Escape(course.Index)}\">Contents</a>");
        page.Append(course.Next is var (nextHref, nextTitle)
            ? $"<a class=\"next\" rel=\"next\" href=\"{HtmlText.Escape(nextHref)}\">{HtmlText.Escape(nextTitle)} →</a>"
            : "<span class=\"next\"></span>");
        page.Append("</nav>\n");
    }

    private static void AppendHeader(JsonObject notebook, string title, HtmlPageOptions options, int errors, StringBuilder page)
    {
        string? kernel = NotebookJson.String((notebook["metadata"] as JsonObject)?["kernelspec"] as JsonObject, "display_name");
        page.Append("<header class=\"page-header\"><span class=\"page-title\">").Append(HtmlText.Escape(title)).Append("</span>");
        if (kernel is not null)
        {
            page.Append("<span class=\"page-kernel\">").Append(HtmlText.Escape(kernel)).Append("</span>");
        }
        if (options.Subtitle is not null)
        {
            page.Append("<span class=\"page-subtitle\">").Append(HtmlText.Escape(options.Subtitle)).Append("</span>");
        }
        if (errors > 0)
        {
            page.Append("<span class=\"page-errors\">").Append(errors == 1 ? "1 error" : $"{errors} errors").Append("</span>");
        }
        page.Append("</header>\n");
    }

    private static void RenderCodeCell(JsonObject cell, string id, IReadOnlyList<JsonObject> outputs, HtmlPageOptions options, StringBuilder html)
    {
        int? count = NotebookJson.Int(cell, "execution_count");
        html.Append($"<section class=\"cell code-cell\" id=\"cell-{id}\">\n");
        if (options.ShowCode)
        {
            string language = CellLanguage(cell);
            string source = NotebookJson.Text(cell["source"]);
            html.Append("<div class=\"row input\"><div class=\"prompt in-prompt\">In&nbsp;[").Append(count is int n ? n.ToString() : "&nbsp;").Append("]:</div><div class=\"input-body\">");
            foreach (string tag in NotebookJson.Tags(cell).Where(t => t is "parameters" or "injected-parameters"))
            {
                html.Append("<span class=\"cell-tag\">").Append(tag == "parameters" ? "parameters" : "injected parameters").Append("</span>");
            }
            if (language != "csharp")
            {
                html.Append("<span class=\"cell-language\">").Append(HtmlText.Escape(language)).Append("</span>");
            }
            string code = language == "csharp" ? CSharpHighlighter.Highlight(source) : HtmlText.Escape(source);
            html.Append($"<pre class=\"source\"><code class=\"language-{HtmlText.Escape(language)}\">").Append(code).Append("</code></pre></div></div>\n");
        }
        if (outputs.Count > 0)
        {
            html.Append("<div class=\"outputs\">\n");
            OutputRenderer.Render(outputs, count, html);
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>The cell's language as Polyglot Notebooks records it; C# when the cell does not say.</summary>
    private static string CellLanguage(JsonObject cell)
    {
        var metadata = cell["metadata"] as JsonObject;
        string? language = NotebookJson.String(metadata?["polyglot_notebook"] as JsonObject, "kernelName")
                           ?? NotebookJson.String(metadata?["dotnet_interactive"] as JsonObject, "language");
        return string.IsNullOrWhiteSpace(language) ? "csharp" : language;
    }
}
