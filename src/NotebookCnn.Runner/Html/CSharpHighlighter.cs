using System.Text;

namespace NotebookCnn.Runner.Html;

/// <summary>
/// A small C# highlighter for code cells: keywords, strings, comments, numbers and notebook directives
/// (<c>#r</c>, <c>#!import</c>, <c>#!csharp</c>) become spans with <c>tok-*</c> classes; everything is escaped.
/// It reads tokens, not syntax, which is enough for colour and cannot fail on code that does not compile.
/// </summary>
internal static class CSharpHighlighter
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "async", "await", "base", "bool", "break", "byte", "case", "catch", "char", "checked",
        "class", "const", "continue", "decimal", "default", "delegate", "do", "double", "dynamic", "else", "enum",
        "event", "explicit", "extern", "false", "finally", "fixed", "float", "for", "foreach", "get", "goto", "if",
        "implicit", "in", "init", "int", "interface", "internal", "is", "lock", "long", "nameof", "namespace", "new",
        "not", "null", "object", "operator", "out", "override", "params", "private", "protected", "public",
        "readonly", "record", "ref", "required", "return", "sbyte", "sealed", "set", "short", "sizeof", "stackalloc",
        "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong",
        "unchecked", "unsafe", "ushort", "using", "var", "virtual", "void", "volatile", "when", "where", "while",
        "with", "yield", "and", "or",
    ];

    /// <summary>Returns the code as HTML with highlighting spans.</summary>
    public static string Highlight(string code)
    {
        var html = new StringBuilder(code.Length * 2);
        int i = 0;
        bool lineStart = true; // only whitespace so far on this line
        while (i < code.Length)
        {
            char c = code[i];
            int end;
            if (c == '\n')
            {
                html.Append('\n');
                i++;
                lineStart = true;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                html.Append(c);
                i++;
                continue;
            }
            if (lineStart && c == '#')
            {
                end = LineEnd(code, i); // #r "nuget: …", #!import, #nullable: the whole line
                Span(html, "tok-dir", code, i, end);
            }
            else if (StartsWith(code, i, "//"))
            {
                end = LineEnd(code, i);
                Span(html, "tok-com", code, i, end);
            }
            else if (StartsWith(code, i, "/*"))
            {
                int close = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = close < 0 ? code.Length : close + 2;
                Span(html, "tok-com", code, i, end);
            }
            else if (StringEnd(code, i) is int stringEnd)
            {
                end = stringEnd;
                Span(html, "tok-str", code, i, end);
            }
            else if (c == '\'')
            {
                end = QuotedEnd(code, i + 1, '\'');
                Span(html, "tok-str", code, i, end);
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < code.Length && char.IsAsciiDigit(code[i + 1])))
            {
                end = NumberEnd(code, i);
                Span(html, "tok-num", code, i, end);
            }
            else if (char.IsLetter(c) || c == '_' || (c == '@' && i + 1 < code.Length && char.IsLetter(code[i + 1])))
            {
                end = i + 1;
                while (end < code.Length && (char.IsLetterOrDigit(code[end]) || code[end] == '_'))
                {
                    end++;
                }
                string word = code[i..end];
                if (Keywords.Contains(word))
                {
                    Span(html, "tok-kw", code, i, end);
                }
                else
                {
                    html.Append(HtmlText.Escape(word));
                }
            }
            else
            {
                end = i + 1;
                html.Append(HtmlText.Escape(c.ToString()));
            }
            i = end;
            lineStart = false;
        }
        return html.ToString();
    }

    /// <summary>If a string literal starts at <paramref name="start"/> (with its $ and @ prefixes), the index after it.</summary>
    private static int? StringEnd(string code, int start)
    {
        int i = start;
        bool verbatim = false;
        while (i < code.Length && (code[i] == '$' || code[i] == '@'))
        {
            verbatim |= code[i] == '@';
            i++;
        }
        if (i >= code.Length || code[i] != '"')
        {
            return null;
        }
        if (StartsWith(code, i, "\"\"\""))
        {
            // Raw string literal: closed by as many quotes as opened it.
            int quotes = 0;
            while (i + quotes < code.Length && code[i + quotes] == '"')
            {
                quotes++;
            }
            int close = code.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
            return close < 0 ? code.Length : close + quotes;
        }
        if (verbatim)
        {
            // Verbatim string: "" is a quote, may span lines.
            int j = i + 1;
            while (j < code.Length)
            {
                if (code[j] == '"')
                {
                    if (j + 1 < code.Length && code[j + 1] == '"')
                    {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return code.Length;
        }
        return QuotedEnd(code, i + 1, '"');
    }

    /// <summary>End of a regular string or char literal: backslash escapes, stops at the quote or the line end.</summary>
    private static int QuotedEnd(string code, int i, char quote)
    {
        while (i < code.Length && code[i] != '\n')
        {
            if (code[i] == '\\')
            {
                i += 2;
                continue;
            }
            if (code[i] == quote)
            {
                return i + 1;
            }
            i++;
        }
        return Math.Min(i, code.Length);
    }

    private static int NumberEnd(string code, int i)
    {
        int end = i;
        while (end < code.Length)
        {
            char ch = code[end];
            bool exponentSign = (ch == '+' || ch == '-') && end > i && (code[end - 1] == 'e' || code[end - 1] == 'E')
                                && !code[i..end].StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            bool decimalPoint = ch == '.' && end + 1 < code.Length && char.IsAsciiDigit(code[end + 1]);
            if (char.IsAsciiLetterOrDigit(ch) || ch == '_' || exponentSign || decimalPoint)
            {
                end++;
            }
            else
            {
                break;
            }
        }
        return end;
    }

    private static int LineEnd(string code, int i)
    {
        int newline = code.IndexOf('\n', i);
        return newline < 0 ? code.Length : newline;
    }

    private static bool StartsWith(string code, int i, string text) => string.CompareOrdinal(code, i, text, 0, text.Length) == 0;

    private static void Span(StringBuilder html, string cssClass, string code, int start, int end) =>
        html.Append("<span class=\"").Append(cssClass).Append("\">").Append(HtmlText.Escape(code[start..end])).Append("</span>");
}
