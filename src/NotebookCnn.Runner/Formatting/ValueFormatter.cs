using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookCnn.Runner.Formatting;

/// <summary>
/// Turns a value into a MIME bundle (MIME type → text) with the formatter the notebook kernel uses,
/// so outputs look the same as in Polyglot Notebooks.
/// </summary>
public static class ValueFormatter
{
    /// <summary>The MIME type of HTML outputs.</summary>
    public const string Html = "text/html";

    /// <summary>The MIME type of plain-text outputs.</summary>
    public const string PlainText = "text/plain";

    /// <summary>
    /// Formats <paramref name="value"/>. With no <paramref name="mimeTypes"/>, a string is plain text, a chart
    /// is its plotly.js figure plus HTML that draws it (see <see cref="ChartHtml"/>), and anything else is HTML
    /// plus a plain-text fallback, as the kernel shows them. Values of a <c>+json</c> MIME type are JSON text.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Format(object? value, params string[] mimeTypes)
    {
        Formatters.EnsureRegistered();
        string[] wanted = mimeTypes.Length > 0 ? mimeTypes
            : value is string ? [PlainText]
            : ChartHtml.IsChart(value) ? [ChartHtml.PlotlyMimeType, Html, PlainText]
            : [Html, PlainText];
        var bundle = new Dictionary<string, string>();
        foreach (string mime in wanted.Distinct())
            bundle[mime] = mime == ChartHtml.PlotlyMimeType && ChartHtml.IsChart(value) ? ChartHtml.FigureJson(value!) : FormatAs(value, mime);
        return bundle;
    }

    /// <summary>True for MIME types whose value is JSON rather than text (<c>application/json</c>, <c>…+json</c>).</summary>
    public static bool IsJson(string mimeType) =>
        mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    private static string FormatAs(object? value, string mimeType)
    {
        try
        {
            return Formatter.ToDisplayString(value, mimeType);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A broken formatter must not lose the cell's result: fall back to ToString().
            string text = value?.ToString() ?? "<null>";
            return mimeType == Html ? "<pre>" + System.Net.WebUtility.HtmlEncode(text) + "</pre>" : text;
        }
    }
}
