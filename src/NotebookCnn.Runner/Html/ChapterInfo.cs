using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;

namespace NotebookCnn.Runner.Html;

/// <summary>
/// What a course's table of contents says about a notebook: its title (the first <c># </c> heading) and a one-line
/// description (the first paragraph or list after it, as plain text; a paragraph that leads into a list, such as
/// "In this chapter you will", takes the list with it).
/// </summary>
/// <param name="Title">The first level-1 heading's text, or the file name when there is none.</param>
/// <param name="Description">The first paragraph or list after the title as one line of plain text, or "".</param>
public sealed partial record ChapterInfo(string Title, string Description)
{
    /// <summary>Longest description kept; longer ones are cut at a word and end in "…".</summary>
    public const int DescriptionLength = 220;

    /// <summary>Reads the title and description of <paramref name="notebook"/> (nbformat 4 JSON); <paramref name="name"/> stands in for a missing title.</summary>
    public static ChapterInfo Of(JsonObject notebook, string name)
    {
        string? title = null;
        string? lead = null;
        foreach (var cell in (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (NotebookJson.String(cell, "cell_type") != "markdown") continue;
            string markdown = NotebookJson.Text(cell["source"]);
            foreach (var block in Markdown.Parse(markdown))
            {
                if (title is null)
                {
                    if (block is HeadingBlock { Level: 1 } heading) title = PlainText(markdown, heading);
                    continue;
                }
                if (block is ListBlock) return new ChapterInfo(title, Shorten(lead is null ? PlainText(markdown, block) : lead + " " + PlainText(markdown, block)));
                if (lead is not null) return new ChapterInfo(title, Shorten(lead));
                if (block is not ParagraphBlock) continue;
                string paragraph = PlainText(markdown, block);
                // A paragraph that ends without a full stop leads into what follows ("In this chapter you will").
                if (paragraph.EndsWith('.') || paragraph.EndsWith('!') || paragraph.EndsWith('?')) return new ChapterInfo(title, Shorten(paragraph));
                lead = paragraph.TrimEnd(':');
            }
        }
        return new ChapterInfo(title ?? name, lead is null ? "" : Shorten(lead));
    }

    private static string PlainText(string markdown, Block block)
    {
        string source = markdown.Substring(block.Span.Start, Math.Min(block.Span.Length, markdown.Length - block.Span.Start));
        if (block is HeadingBlock) source = source.TrimStart('#', ' ');
        // The list's items as one line: "a; b; c".
        if (block is ListBlock)
            source = string.Join("; ", source.Split('\n').Select(l => ListMarker().Replace(l, "").Trim().TrimEnd(',', ';', '.')).Where(l => l.Length > 0));
        string text = Markdown.ToPlainText(source).Trim();
        return Whitespace().Replace(text, " ");
    }

    private static string Shorten(string text)
    {
        if (text.Length <= DescriptionLength) return text;
        int cut = text.LastIndexOf(' ', DescriptionLength - 1);
        return text[..(cut > DescriptionLength / 2 ? cut : DescriptionLength - 1)].TrimEnd(',', ';', ':', ' ') + " …";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^\s*([-*+]|\d+[.)])\s+")]
    private static partial Regex ListMarker();
}
