namespace NotebookCnn.Runner;

/// <summary>The outcome of running one notebook.</summary>
/// <param name="Name">The notebook's name (file name without extension).</param>
/// <param name="Executed">The executed notebook, outputs filled in.</param>
/// <param name="CellsRun">How many code cells ran (skipped and unreached cells not counted).</param>
/// <param name="Errors">How many cells ended in an error (a timeout included).</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
/// <param name="StoppedAtCell">The number (among the code cells, as in "In [n]") of the cell after which the run stopped early, or null if every cell was reached.</param>
public sealed record NotebookResult(string Name, Notebook Executed, int CellsRun, int Errors, TimeSpan Elapsed, int? StoppedAtCell)
{
    /// <summary>True when a cell ran past the time limit (the run stopped there, whatever <c>--allow-errors</c> says).</summary>
    public bool TimedOut { get; init; }

    /// <summary>How many <c>PASS: </c> lines the cells printed.</summary>
    public int Passed { get; init; }

    /// <summary>How many <c>NOTE: </c> lines the cells printed (expectations with non-default parameters).</summary>
    public int Notes { get; init; }

    /// <summary>Every <c>FAIL: </c> line the cells printed, with its cell.</summary>
    public IReadOnlyList<CheckFailure> Failures { get; init; } = [];

    /// <summary>Where the executed .ipynb was written, if it was.</summary>
    public string? NotebookPath { get; init; }

    /// <summary>Where the HTML page was written, if it was.</summary>
    public string? HtmlPath { get; init; }

    /// <summary>
    /// The summary line the command line prints, e.g.
    /// <c>01-mlp.ipynb: 24 cells run, 0 errors, 12 PASS, 1 FAIL, 0 NOTE, 12.3 s</c>.
    /// </summary>
    public string Summary =>
        FormattableString.Invariant($"{Name}.ipynb: {CellsRun} cells run, {Errors} errors, {Passed} PASS, {Failures.Count} FAIL, {Notes} NOTE, {Elapsed.TotalSeconds:0.0} s")
        + (StoppedAtCell is int cell ? $" (stopped at cell {cell})" : "");

    /// <summary>The FAIL lines as the command line prints them: <c>01-mlp.ipynb, cell 23: FAIL: …</c>.</summary>
    public IEnumerable<string> FailureLines => Failures.Select(f => $"{Name}.ipynb, cell {f.Cell}: {f.Line}");
}
