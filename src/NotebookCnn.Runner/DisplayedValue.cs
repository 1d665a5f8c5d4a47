using NotebookCnn.Runner;
using NotebookCnn.Runner.Formatting;

// Same namespace and shape as the notebook kernel's type, so a notebook that names it compiles in both.
namespace Microsoft.DotNet.Interactive;

/// <summary>
/// The handle <c>display(x)</c> returns: <see cref="Update"/> replaces what was displayed,
/// which is how a cell shows live progress (a training curve redrawn each epoch).
/// </summary>
public sealed class DisplayedValue
{
    private readonly CellOutputs _outputs;

    internal DisplayedValue(CellOutputs outputs, string displayId, string[] mimeTypes, object? value)
    {
        _outputs = outputs;
        DisplayId = displayId;
        MimeTypes = mimeTypes;
        Value = value;
    }

    /// <summary>Identifies this display among the notebook's outputs.</summary>
    public string DisplayId { get; }

    /// <summary>The MIME types shown (empty: the formatter's choice).</summary>
    public IReadOnlyList<string> MimeTypes { get; }

    /// <summary>The value currently displayed.</summary>
    public object? Value { get; private set; }

    /// <summary>Replaces the displayed value with <paramref name="updatedValue"/>.</summary>
    public void Update(object? updatedValue)
    {
        Value = updatedValue;
        _outputs.UpdateDisplay(DisplayId, ValueFormatter.Format(updatedValue, (string[])MimeTypes));
    }
}
