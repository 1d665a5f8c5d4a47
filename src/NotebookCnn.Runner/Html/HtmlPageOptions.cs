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

    /// <summary>The course this page belongs to (links to the previous and next chapter and to the index); null for a lone page.</summary>
    public CourseLinks? Course { get; init; }
}

/// <summary>Where a course page links to: its neighbours in the course and the course's <c>index.html</c>.</summary>
/// <param name="Previous">The previous chapter's page (file name) and title, or null for the first.</param>
/// <param name="Next">The next chapter's page (file name) and title, or null for the last.</param>
/// <param name="Index">The course index's file name, beside the pages.</param>
public sealed record CourseLinks((string Href, string Title)? Previous, (string Href, string Title)? Next, string Index = "index.html");
