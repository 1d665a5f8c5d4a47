using System.Net;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Html;

/// <summary>Placeholder page writer (the full one renders markdown, LaTeX and charts with plotly.js embedded once).</summary>
public static class HtmlPage
{
    /// <summary>Renders an executed notebook as a self-contained HTML page.</summary>
    public static string Render(JsonObject executedNotebook, string title)
    {
        ArgumentNullException.ThrowIfNull(executedNotebook);
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(title)
            + "</title></head><body><h1>" + WebUtility.HtmlEncode(title) + "</h1></body></html>\n";
    }
}
