namespace NotebookCnn.Runner;

/// <summary>
/// Hears the outputs of a cell as <see cref="CellOutputs"/> records them, in the order they happen: the kernel
/// front door publishes each one to the Jupyter front end while the cell still runs. Calls come from whichever
/// thread the cell wrote from, under the outputs' lock.
/// </summary>
public interface ICellOutputListener
{
    /// <summary>The cell wrote <paramref name="text"/> to <c>stdout</c> or <c>stderr</c> (<paramref name="name"/>).</summary>
    void StreamAppended(string name, string text);

    /// <summary><c>display(x)</c> showed a value (MIME type → text) under <paramref name="displayId"/>.</summary>
    void DisplayAdded(string displayId, IReadOnlyDictionary<string, string> data);

    /// <summary>The display <paramref name="displayId"/> was replaced (<c>DisplayedValue.Update</c>).</summary>
    void DisplayUpdated(string displayId, IReadOnlyDictionary<string, string> data);

    /// <summary>The cell's final expression has this value.</summary>
    void ResultAdded(int executionCount, IReadOnlyDictionary<string, string> data);

    /// <summary>The cell failed: exception type (or error name), message and the lines saying where.</summary>
    void ErrorAdded(string name, string message, IReadOnlyList<string> traceback);
}
