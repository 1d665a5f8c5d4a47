namespace NotebookCnn.Runner;

/// <summary>How <see cref="NotebookRunner"/> runs notebooks (the command line's options).</summary>
public sealed class RunOptions
{
    /// <summary>The default per-cell time limit: generous, since a training cell may take minutes.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromSeconds(600);

    /// <summary>Where the executed .ipynb and the .html go (<c>--out</c>).</summary>
    public string OutputDirectory { get; init; } = "out";

    /// <summary>Values for the parameters cell (<c>-p name=value</c>), in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>How long one cell may run before it is stopped and reported (<c>--timeout</c>).</summary>
    public TimeSpan CellTimeout { get; init; } = DefaultCellTimeout;

    /// <summary>Keep running after a cell fails and exit 0 anyway (<c>--allow-errors</c>).</summary>
    public bool AllowErrors { get; init; }

    /// <summary>
    /// After a cell times out, go on with the next cell instead of stopping (used by <c>grade</c>, so one
    /// runaway answer costs only its own question). The runaway cell's work is abandoned: later cells see
    /// the state from before it, and anything it still prints is dropped.
    /// </summary>
    public bool ContinueAfterTimeout { get; init; }

    /// <summary>
    /// Called before each code cell is read and run, with the cell; it may change the cell's source (the
    /// grader's worker puts a graded cell's source in place only now, so it is in the process only while it runs).
    /// </summary>
    public Action<System.Text.Json.Nodes.JsonObject>? CellStarting { get; init; }

    /// <summary>
    /// Called after each code cell with the cell (outputs filled in) and whether it timed out; the grader's
    /// worker process reports progress through it, so a killed run still tells which cells finished.
    /// </summary>
    public Action<System.Text.Json.Nodes.JsonObject, bool>? CellFinished { get; init; }

    /// <summary>
    /// The notebooks of the course this run belongs to, in order (a folder run): each page links to its neighbours and
    /// to <c>index.html</c>. Empty for a lone notebook.
    /// </summary>
    public IReadOnlyList<string> Course { get; init; } = [];

    /// <summary>Where progress and summary lines go; null means the console's error stream.</summary>
    public TextWriter? Log { get; init; }
}
