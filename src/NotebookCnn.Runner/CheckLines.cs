using System.Text.Json.Nodes;

namespace NotebookCnn.Runner;

/// <summary>
/// Counts the lines check cells print on standard output: <c>PASS: </c> (a check held), <c>FAIL: </c> (an exercise
/// check failed) and <c>NOTE: </c> (an expectation about default-parameter results, with other parameters). The counts
/// are for the console; grading never scores from this text.
/// </summary>
public sealed class CheckLines
{
    /// <summary>The prefix of a check that held.</summary>
    public const string Pass = "PASS: ";

    /// <summary>The prefix of a check that failed.</summary>
    public const string Fail = "FAIL: ";

    /// <summary>The prefix of a note about results with non-default parameters.</summary>
    public const string Note = "NOTE: ";

    private readonly List<CheckFailure> _failures = [];

    /// <summary>How many PASS lines were read.</summary>
    public int Passed { get; private set; }

    /// <summary>How many NOTE lines were read.</summary>
    public int Notes { get; private set; }

    /// <summary>Every FAIL line read, with its cell's number, in order.</summary>
    public IReadOnlyList<CheckFailure> Failures => _failures;

    /// <summary>Reads the stdout of executed code cell <paramref name="number"/>.</summary>
    public void Read(JsonObject cell, int number)
    {
        foreach (var output in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (output["output_type"]?.GetValue<string>() != "stream" || output["name"]?.GetValue<string>() != "stdout") continue;
            foreach (string raw in Notebook.JoinText(output["text"]).Split('\n'))
            {
                string line = raw.Trim();
                if (line.StartsWith(Pass, StringComparison.Ordinal)) Passed++;
                else if (line.StartsWith(Note, StringComparison.Ordinal)) Notes++;
                else if (line.StartsWith(Fail, StringComparison.Ordinal)) _failures.Add(new CheckFailure(number, line));
            }
        }
    }
}

/// <summary>A <c>FAIL: </c> line a check cell printed.</summary>
/// <param name="Cell">The cell's number among the notebook's code cells (as in "In [n]").</param>
/// <param name="Line">The line, starting with <c>FAIL: </c>.</param>
public sealed record CheckFailure(int Cell, string Line);
