using System.Text;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// The teacher's markers inside a code cell: the lines between <c>// BEGIN SOLUTION</c> and
/// <c>// END SOLUTION</c> are the answer; in the student version they become the lines the teacher
/// wrote after <c>// STUB:</c> inside the block, or <c>throw new NotImplementedException();</c>.
/// </summary>
public static class SolutionMarkers
{
    /// <summary>The line that opens a solution block.</summary>
    public const string Begin = "// BEGIN SOLUTION";

    /// <summary>The line that closes a solution block.</summary>
    public const string End = "// END SOLUTION";

    /// <summary>The prefix of a stub line inside a solution block (the rest of the line is the stub).</summary>
    public const string Stub = "// STUB:";

    /// <summary>What replaces a block without stub lines: the student's code fails loudly until written.</summary>
    public const string DefaultStub = "throw new NotImplementedException(); // your code here";

    /// <summary>True when <paramref name="source"/> holds a solution block.</summary>
    public static bool HasSolution(string source) => source.Split('\n').Any(l => l.Trim() == Begin);

    /// <summary>
    /// The student version of a cell's source. Throws <see cref="FormatException"/> naming
    /// <paramref name="where"/> for a block that is not closed, an END without BEGIN, or nested blocks.
    /// </summary>
    public static string Strip(string source, string where)
    {
        var output = new StringBuilder();
        var stub = new List<string>();
        string? indent = null;   // the BEGIN line's indentation while inside a block
        int beginLine = 0;
        string[] lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            string trimmed = line.Trim();
            bool last = i == lines.Length - 1;
            if (trimmed == Begin)
            {
                if (indent is not null)
                    throw new FormatException($"{where}, line {i + 1}: {Begin} inside the block opened on line {beginLine}; close it with {End} first.");
                indent = line[..(line.Length - line.TrimStart().Length)];
                beginLine = i + 1;
                stub.Clear();
            }
            else if (trimmed == End)
            {
                if (indent is null)
                    throw new FormatException($"{where}, line {i + 1}: {End} without a {Begin} above it.");
                if (stub.Count == 0) stub.Add(indent + DefaultStub);
                foreach (string s in stub) output.Append(s).Append('\n');
                indent = null;
            }
            else if (indent is not null)
            {
                if (trimmed.StartsWith(Stub, StringComparison.Ordinal))
                {
                    // "// STUB: return 0;" written at the block's indentation gives "return 0;" there.
                    string text = trimmed[Stub.Length..];
                    if (text.StartsWith(' ')) text = text[1..];
                    stub.Add(line[..(line.Length - line.TrimStart().Length)] + text);
                }
            }
            else
            {
                output.Append(line);
                if (!last) output.Append('\n');
            }
        }
        if (indent is not null)
            throw new FormatException($"{where}: the {Begin} on line {beginLine} has no {End} after it.");
        // A block on the last line leaves a trailing newline the source did not have.
        string text2 = output.ToString();
        return source.EndsWith('\n') || !text2.EndsWith('\n') ? text2 : text2[..^1];
    }
}
