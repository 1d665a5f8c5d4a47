using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookCnn.Runner.Html;

/// <summary>
/// The outputs of one code cell as HTML, the way Jupyter shows them: streams as text (stderr marked),
/// the richest representation of each display/result, errors as a red box.
/// </summary>
internal static partial class OutputRenderer
{
    /// <summary>Representations in the order a page prefers them; the first one a bundle has is shown.</summary>
    private static readonly string[] PreferredMimeTypes =
    [
        Formatting.ChartHtml.PlotlyMimeType, "text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif",
        "text/markdown", "text/latex", "application/json", "text/plain",
    ];

    /// <summary>The marker of a chart output: the engine draws charts with <c>Plotly.newPlot</c>.</summary>
    public const string ChartMarker = "Plotly.newPlot";

    /// <summary>True when any output of the notebook draws a Plotly chart, so the page needs plotly.js.</summary>
    public static bool HasChart(IEnumerable<JsonObject> outputs) =>
        outputs.Any(o => o["data"] is JsonObject data
                         && (data.ContainsKey(Formatting.ChartHtml.PlotlyMimeType)
                             || data.Any(kv => NotebookJson.Text(kv.Value).Contains(ChartMarker, StringComparison.Ordinal))));

    /// <summary>Appends the outputs of a code cell; consecutive stream outputs of the same name merge into one block.</summary>
    public static void Render(IReadOnlyList<JsonObject> outputs, int? cellExecutionCount, StringBuilder html)
    {
        for (int i = 0; i < outputs.Count; i++)
        {
            JsonObject output = outputs[i];
            switch (NotebookJson.String(output, "output_type"))
            {
                case "stream":
                    string name = NotebookJson.String(output, "name") ?? "stdout";
                    var text = new StringBuilder(NotebookJson.Text(output["text"]));
                    while (i + 1 < outputs.Count && NotebookJson.String(outputs[i + 1], "output_type") == "stream"
                           && (NotebookJson.String(outputs[i + 1], "name") ?? "stdout") == name)
                    {
                        text.Append(NotebookJson.Text(outputs[++i]["text"]));
                    }
                    RenderStream(name, text.ToString(), html);
                    break;
                case "execute_result":
                    int? count = NotebookJson.Int(output, "execution_count") ?? cellExecutionCount;
                    RenderBundle(output, $"Out[{(count is int n ? n.ToString() : " ")}]:", html);
                    break;
                case "display_data":
                    RenderBundle(output, "", html);
                    break;
                case "error":
                    RenderError(output, html);
                    break;
                default:
                    // update_display_data and unknown types have no place in a saved notebook; show nothing.
                    break;
            }
        }
    }

    /// <summary>Base64 data of an image in a mime bundle, with the line breaks some writers insert removed.</summary>
    public static string Base64(JsonNode? data)
    {
        string text = NotebookJson.Text(data);
        return text.Any(char.IsWhiteSpace) ? string.Concat(text.Where(c => !char.IsWhiteSpace(c))) : text;
    }

    private static void RenderStream(string name, string text, StringBuilder html)
    {
        text = HtmlText.ApplyCarriageReturns(HtmlText.StripAnsi(text));
        if (text.EndsWith('\n'))
        {
            text = text[..^1]; // the block ends anyway; a trailing newline would add an empty line
        }
        string kind = name == "stderr" ? "stderr" : "stdout";
        Row("", $"output output-stream output-{kind}", $"<pre>{HtmlText.Escape(text)}</pre>", html);
    }

    private static void RenderBundle(JsonObject output, string prompt, StringBuilder html)
    {
        if (output["data"] is not JsonObject data)
        {
            return;
        }
        string? mime = PreferredMimeTypes.FirstOrDefault(data.ContainsKey);
        if (mime is null)
        {
            return;
        }
        JsonNode? value = data[mime];
        string size = ImageSize(output["metadata"] as JsonObject, mime);
        (string cssClass, string body) = mime switch
        {
            // A figure is drawn by the page's own script with the plotly.js the page embeds: no network.
            Formatting.ChartHtml.PlotlyMimeType => ("output-html", PlotlyFigure(value, html.Length)),
            // Trusted: outputs are what the notebook's own code displayed (tables, charts).
            "text/html" => ("output-html", RemoveExternalScripts(NotebookJson.Text(value))),
            "image/svg+xml" => ("output-image",
                $"<img src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(NotebookJson.Text(value)))}\"{size} alt=\"\">"),
            "image/png" or "image/jpeg" or "image/gif" => ("output-image", $"<img src=\"data:{mime};base64,{Base64(value)}\"{size} alt=\"\">"),
            "text/markdown" => ("output-markdown markdown-cell", MarkdownRenderer.Render(NotebookJson.Text(value))),
            "text/latex" => ("output-latex", $"<div class=\"math\">{HtmlText.Escape(NotebookJson.Text(value))}</div>"),
            _ => ("output-text", $"<pre>{HtmlText.Escape(HtmlText.StripAnsi(NotebookJson.Text(value)).TrimEnd('\n'))}</pre>"),
        };
        Row(prompt, $"output {cssClass}", body, html);
    }

    private static void RenderError(JsonObject output, StringBuilder html)
    {
        string ename = NotebookJson.String(output, "ename") ?? "Error";
        string evalue = NotebookJson.String(output, "evalue") ?? "";
        string traceback = output["traceback"] is JsonArray lines
            ? string.Join('\n', lines.Select(l => HtmlText.StripAnsi(NotebookJson.Text(l)).TrimEnd('\n')))
            : "";
        var body = new StringBuilder();
        body.Append("<div class=\"error-title\">").Append(HtmlText.Escape(ename));
        if (evalue.Length > 0)
        {
            body.Append(": ").Append(HtmlText.Escape(HtmlText.StripAnsi(evalue)));
        }
        body.Append("</div>");
        if (traceback.Trim().Length > 0)
        {
            body.Append("<pre class=\"traceback\">").Append(HtmlText.Escape(traceback)).Append("</pre>");
        }
        Row("", "output output-error", body.ToString(), html);
    }

    /// <summary>
    /// A div and the page's script that draws a plotly.js figure (<c>{"data": [...], "layout": {...}}</c>) into it.
    /// <paramref name="position"/>, where the page is written up to, makes the id unique and the page reproducible.
    /// </summary>
    private static string PlotlyFigure(JsonNode? figure, int position)
    {
        string id = "page-chart-" + position;
        // "<\/" keeps a "</script>" inside a title from ending the script early; it means the same in JSON.
        string data = (figure?["data"]?.ToJsonString() ?? "[]").Replace("</", "<\\/", StringComparison.Ordinal);
        string layout = (figure?["layout"]?.ToJsonString() ?? "{}").Replace("</", "<\\/", StringComparison.Ordinal);
        return $"<div class=\"plotly-chart\" id=\"{id}\"></div>"
            + $"<script type=\"text/javascript\">Plotly.newPlot('{id}', {data}, {layout}, {{\"responsive\": true}});</script>";
    }

    /// <summary>Width and height attributes from the output's metadata (<c>metadata["image/png"].width</c>), as Jupyter honours them.</summary>
    private static string ImageSize(JsonObject? metadata, string mime)
    {
        if (!mime.StartsWith("image/", StringComparison.Ordinal) || metadata?[mime] is not JsonObject image)
        {
            return "";
        }
        int? width = NotebookJson.Int(image, "width");
        int? height = NotebookJson.Int(image, "height");
        return (width is int w ? $" width=\"{w}\"" : "") + (height is int h ? $" height=\"{h}\"" : "");
    }

    /// <summary>
    /// Removes &lt;script src="https://…"&gt; elements (e.g. a CDN copy of plotly.js or require.js that a
    /// formatter added): the page embeds plotly.js itself and must not reach the network.
    /// </summary>
    private static string RemoveExternalScripts(string html) =>
        html.Contains("<script", StringComparison.OrdinalIgnoreCase)
            ? ExternalScript().Replace(html, "<!-- external script removed: the page works offline -->")
            : html;

    [GeneratedRegex(@"<script\b[^>]*\bsrc\s*=\s*[""']?(?:https?:)?//[^>]*>\s*</script\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalScript();

    private static void Row(string prompt, string cssClass, string body, StringBuilder html) =>
        html.Append("<div class=\"row\"><div class=\"prompt out-prompt\">").Append(HtmlText.Escape(prompt))
            .Append("</div><div class=\"").Append(cssClass).Append("\">").Append(body).Append("</div></div>\n");
}
