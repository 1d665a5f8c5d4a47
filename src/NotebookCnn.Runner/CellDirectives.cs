using System.Text;
using System.Text.RegularExpressions;

namespace NotebookCnn.Runner;

/// <summary>What a directive line in a code cell asks for.</summary>
public enum DirectiveKind
{
    /// <summary><c>#r "path.dll"</c>: reference an assembly file.</summary>
    ReferencePath,
    /// <summary><c>#r "nuget: Name, Version"</c>: reference a package.</summary>
    ReferencePackage,
    /// <summary><c>#i "nuget: source"</c>: add a package source (ignored, with a note).</summary>
    PackageSource,
    /// <summary><c>#!import path</c>: run a .cs/.csx file as script.</summary>
    Import,
    /// <summary>A <c>#!</c> magic command the runner does not support.</summary>
    Unsupported,
}

/// <summary>One directive line, with its 1-based line number in the cell.</summary>
public sealed record Directive(DirectiveKind Kind, int Line, string Text, string Value, string? Version = null);

/// <summary>
/// A code cell split into the directives the notebook kernel understands and the C# code that
/// remains. Directive lines are replaced by blank lines so error line numbers still match the cell.
/// </summary>
public sealed partial class CellDirectives
{
    /// <summary>The kernel names that mean C#.</summary>
    private static readonly HashSet<string> CSharpKernels = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#", "C#" };

    /// <summary>Kernels of other languages: their cells are skipped with a note.</summary>
    private static readonly HashSet<string> OtherKernels = new(StringComparer.OrdinalIgnoreCase)
    {
        "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md", "mermaid",
        "sql", "kql", "python", "r", "http", "vscode", "value",
    };

    /// <summary>The C# code with every directive line blanked.</summary>
    public string Code { get; }

    /// <summary>The directives, in order of appearance.</summary>
    public IReadOnlyList<Directive> Directives { get; }

    /// <summary>The other kernel this cell is written for (e.g. "fsharp"), or null for C#.</summary>
    public string? OtherKernel { get; }

    private CellDirectives(string code, IReadOnlyList<Directive> directives, string? otherKernel)
    {
        Code = code;
        Directives = directives;
        OtherKernel = otherKernel;
    }

    /// <summary>
    /// Parses a cell. <paramref name="metadataKernel"/> is the kernel named in the cell's Polyglot
    /// metadata, if any; a <c>#!name</c> first line overrides it, as in the kernel.
    /// </summary>
    public static CellDirectives Parse(string source, string? metadataKernel = null)
    {
        string[] lines = source.Replace("\r\n", "\n").Split('\n');
        var directives = new List<Directive>();
        var code = new StringBuilder();
        string? kernel = metadataKernel;
        bool firstCodeLine = true;

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.Trim();
            int lineNumber = i + 1;
            bool blank = true;

            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                string name = trimmed[2..].Split(' ', 2)[0];
                string argument = trimmed.Length > 2 + name.Length ? trimmed[(2 + name.Length)..].Trim() : "";
                if (firstCodeLine && (CSharpKernels.Contains(name) || OtherKernels.Contains(name)) && argument.Length == 0)
                    kernel = name;
                else if (name == "import")
                    directives.Add(new Directive(DirectiveKind.Import, lineNumber, trimmed, Unquote(argument)));
                else
                    directives.Add(new Directive(DirectiveKind.Unsupported, lineNumber, trimmed, name));
            }
            else if (ReferenceLine().Match(trimmed) is { Success: true } reference)
            {
                bool isSource = reference.Groups["kind"].Value == "i";
                string value = reference.Groups["value"].Value.Trim();
                if (value.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
                {
                    string package = value["nuget:".Length..].Trim();
                    if (isSource)
                        directives.Add(new Directive(DirectiveKind.PackageSource, lineNumber, trimmed, package));
                    else
                    {
                        string[] parts = package.Split(',', 2, StringSplitOptions.TrimEntries);
                        directives.Add(new Directive(DirectiveKind.ReferencePackage, lineNumber, trimmed, parts[0],
                            parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null));
                    }
                }
                else if (isSource)
                    directives.Add(new Directive(DirectiveKind.PackageSource, lineNumber, trimmed, value));
                else
                    directives.Add(new Directive(DirectiveKind.ReferencePath, lineNumber, trimmed, value));
            }
            else
            {
                code.Append(line);
                blank = false;
                if (trimmed.Length > 0) firstCodeLine = false;
            }
            if (blank && trimmed.Length > 0) firstCodeLine = false;
            if (i < lines.Length - 1) code.Append('\n');
        }

        string? other = kernel is not null && !CSharpKernels.Contains(kernel) ? kernel : null;
        return new CellDirectives(code.ToString(), directives, other);
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : text;

    [GeneratedRegex("""^#(?<kind>[ri])\s+"(?<value>[^"]*)"\s*(//.*)?$""")]
    private static partial Regex ReferenceLine();
}
