using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;

namespace NotebookCnn.Runner.Html;

/// <summary>
/// Markdown cells to HTML with Markdig. The advanced extensions include pipe tables and mathematics:
/// <c>$…$</c> becomes <c>&lt;span class="math"&gt;\(…\)&lt;/span&gt;</c>, a one-line <c>$$…$$</c> a
/// <c>span.math.math-display</c> and a <c>$$</c> block a <c>div.math</c>, both holding <c>\[…\]</c>, which the page's
/// KaTeX script typesets (display math centred, full size). Raw HTML in markdown is kept: the notebooks are ours.
/// </summary>
internal static partial class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions() // pipe and grid tables, math, footnotes, task lists, auto links, heading ids, …
        .Use<DisplayMathExtension>() // after the math extension: a one-line $$…$$ stays display math
        .Build();

    // The same, with raw HTML shown as text (pages of notebooks someone else wrote).
    private static readonly MarkdownPipeline EscapingPipeline = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .DisableHtml()
        .Build();

    /// <summary>
    /// Renders markdown text; <paramref name="attachments"/> (a cell's <c>attachments</c>) resolve <c>attachment:name</c>
    /// images; <paramref name="escapeHtml"/> shows raw HTML as text.
    /// </summary>
    public static string Render(string markdown, JsonObject? attachments = null, bool escapeHtml = false)
    {
        string html = Markdown.ToHtml(markdown, escapeHtml ? EscapingPipeline : Pipeline);
        if (attachments is { Count: > 0 })
        {
            html = AttachmentReference().Replace(html, match =>
                AttachmentDataUri(attachments, Uri.UnescapeDataString(match.Groups["name"].Value)) is string uri
                    ? $"{match.Groups["attr"].Value}=\"{uri}\""
                    : match.Value);
        }
        return html;
    }

    /// <summary>True when the rendered HTML holds a formula for KaTeX.</summary>
    public static bool HasMath(string html) =>
        html.Contains("class=\"math\"", StringComparison.Ordinal) || html.Contains("class=\"math math-display\"", StringComparison.Ordinal);

    private static string? AttachmentDataUri(JsonObject attachments, string name)
    {
        if (attachments[name] is not JsonObject bundle)
        {
            return null;
        }
        foreach ((string mime, JsonNode? data) in bundle)
        {
            if (mime.StartsWith("image/", StringComparison.Ordinal))
            {
                return $"data:{HtmlText.Escape(mime)};base64,{OutputRenderer.Base64(data)}";
            }
        }
        return null;
    }

    [GeneratedRegex("(?<attr>src|href)=\"attachment:(?<name>[^\"]+)\"")]
    private static partial Regex AttachmentReference();
}
