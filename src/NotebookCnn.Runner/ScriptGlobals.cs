using Microsoft.DotNet.Interactive;
using NotebookCnn.Runner.Formatting;

namespace NotebookCnn.Runner;

/// <summary>
/// Where <c>display(...)</c> sends a value: the running cell's outputs. Cells reach it through the static
/// <c>Microsoft.DotNet.Interactive.Kernel.display</c>, imported with <c>using static</c> as in the kernel; cells
/// are compiled without a globals object, so none of this type's members is in scope in a cell.
/// </summary>
public class ScriptGlobals
{
    private readonly Func<CellOutputs?> _currentCell;
    private int _displays;

    /// <summary>Creates globals whose displays go to the cell <paramref name="currentCell"/> returns.</summary>
    public ScriptGlobals(Func<CellOutputs?> currentCell) => _currentCell = currentCell;

    /// <summary>
    /// Shows <paramref name="value"/> as an output of the running cell and returns a handle whose
    /// <c>Update</c> replaces it.
    /// </summary>
#pragma warning disable IDE1006 // lower-case to match the kernel's helper that notebooks call
    public DisplayedValue display(object? value, params string[] mimeTypes)
#pragma warning restore IDE1006
    {
        var cell = _currentCell() ?? new CellOutputs(0);
        string id = "display-" + Interlocked.Increment(ref _displays);
        cell.AddDisplay(id, ValueFormatter.Format(value, mimeTypes));
        return new DisplayedValue(cell, id, mimeTypes, value);
    }
}
