using System.Text;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// The kernel's own messages (what it dropped, interrupts, shutdown), one line each, prefixed "nbcnn kernel:", on the
/// process's standard error, which Jupyter front ends show in their logs. Kept apart from the cells' console, which
/// goes to the running cell. Thread-safe.
/// </summary>
internal sealed class KernelLog(TextWriter destination) : TextWriter
{
    private readonly object _gate = new();

    public override Encoding Encoding => destination.Encoding;

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            destination.WriteLine("nbcnn kernel: " + value);
            destination.Flush();
        }
    }

    public override void Write(char value)
    {
        lock (_gate) destination.Write(value);
    }

    public override void Flush()
    {
        lock (_gate) destination.Flush();
    }
}
