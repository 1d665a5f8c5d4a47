using System.Text;
using System.Text.RegularExpressions;

namespace NotebookCnn.Runner.Html;

/// <summary>Text helpers for the page: HTML escaping and terminal control codes.</summary>
internal static partial class HtmlText
{
    /// <summary>Escapes text for HTML element content and quoted attribute values; other characters stay as they are (the page is UTF-8).</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            } ?? c.ToString());
        }
        return sb.ToString();
    }

    /// <summary>
    /// Removes ANSI escape sequences (colours, cursor moves, window titles) that console libraries and
    /// exception tracebacks write for terminals; in a page they would show as garbage.
    /// </summary>
    public static string StripAnsi(string text) => text.Contains('\u001b') ? AnsiSequence().Replace(text, "") : text;

    /// <summary>
    /// Applies carriage returns the way a terminal shows them: a progress bar that rewrites its line with '\r'
    /// leaves only its last state. A '\r' right before '\n' (Windows line ends) is simply dropped.
    /// </summary>
    public static string ApplyCarriageReturns(string text)
    {
        if (!text.Contains('\r'))
        {
            return text;
        }
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int lastReturn = line.LastIndexOf('\r');
            lines[i] = lastReturn < 0 ? line : line[(lastReturn + 1)..];
        }
        return string.Join('\n', lines);
    }

    // CSI sequences (ESC [ … final byte), OSC sequences (ESC ] … BEL or ESC \), and two-character escapes.
    [GeneratedRegex(@"\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]")]
    private static partial Regex AnsiSequence();
}
