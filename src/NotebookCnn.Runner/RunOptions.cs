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

    /// <summary>Where progress and summary lines go; null means the console's error stream.</summary>
    public TextWriter? Log { get; init; }
}
