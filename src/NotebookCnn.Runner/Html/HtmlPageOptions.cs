namespace NotebookCnn.Runner.Html;

/// <summary>Choices for <see cref="HtmlPage.Render(System.Text.Json.Nodes.JsonObject, string, HtmlPageOptions)"/>.</summary>
public sealed record HtmlPageOptions
{
    /// <summary>The options <see cref="HtmlPage.Render(System.Text.Json.Nodes.JsonObject, string)"/> uses.</summary>
    public static HtmlPageOptions Default { get; } = new();

    /// <summary>Show the source of code cells (true), or only markdown and outputs, for a report to read rather than a lesson to follow.</summary>
    public bool ShowCode { get; init; } = true;

    /// <summary>
    /// Show raw HTML written in markdown cells as text instead of passing it through (for pages made from
    /// notebooks someone else wrote, such as grading feedback): a <c>&lt;script&gt;</c> in a cell does not run.
    /// </summary>
    public bool EscapeMarkdownHtml { get; init; }

    /// <summary>An extra line for the page header, e.g. "executed 2025-01-31 in 42 s"; null for none.</summary>
    public string? Subtitle { get; init; }
}
