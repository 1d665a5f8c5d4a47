namespace NotebookCnn.Runner;

/// <summary>The outcome of running one notebook.</summary>
/// <param name="Name">The notebook's name (file name without extension).</param>
/// <param name="Executed">The executed notebook, outputs filled in.</param>
/// <param name="CellsRun">How many code cells ran (skipped and unreached cells not counted).</param>
/// <param name="Errors">How many cells ended in an error (a timeout included).</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
/// <param name="StoppedAtCell">The 1-based number of the cell after which the run stopped early, or null if every cell was reached.</param>
public sealed record NotebookResult(string Name, Notebook Executed, int CellsRun, int Errors, TimeSpan Elapsed, int? StoppedAtCell)
{
    /// <summary>True when a cell ran past the time limit (the run stopped there, whatever <c>--allow-errors</c> says).</summary>
    public bool TimedOut { get; init; }

    /// <summary>Where the executed .ipynb was written, if it was.</summary>
    public string? NotebookPath { get; init; }

    /// <summary>Where the HTML page was written, if it was.</summary>
    public string? HtmlPath { get; init; }

    /// <summary>The summary line the command line prints, e.g. <c>01-mlp.ipynb: 24 cells run, 0 errors, 12.3 s</c>.</summary>
    public string Summary =>
        FormattableString.Invariant($"{Name}.ipynb: {CellsRun} cells run, {Errors} errors, {Elapsed.TotalSeconds:0.0} s")
        + (StoppedAtCell is int cell ? $" (stopped at cell {cell})" : "");
}
