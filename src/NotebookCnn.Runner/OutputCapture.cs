using System.Text;

namespace NotebookCnn.Runner;

/// <summary>
/// Sends <see cref="Console.Out"/> and <see cref="Console.Error"/> to the running cell's stream
/// outputs while a notebook runs; text written when no cell runs (a runaway thread after a
/// timeout) is dropped.
/// </summary>
public sealed class OutputCapture : IDisposable
{
    private readonly TextWriter _originalOut;
    private readonly TextWriter _originalError;

    /// <summary>Redirects the console to the cell <paramref name="currentCell"/> returns.</summary>
    public OutputCapture(Func<CellOutputs?> currentCell)
    {
        _originalOut = Console.Out;
        _originalError = Console.Error;
        Console.SetOut(TextWriter.Synchronized(new CellWriter(currentCell, "stdout")));
        Console.SetError(TextWriter.Synchronized(new CellWriter(currentCell, "stderr")));
    }

    /// <summary>The console's error stream as it was before the capture (for progress lines).</summary>
    public TextWriter OriginalError => _originalError;

    /// <summary>Restores the console.</summary>
    public void Dispose()
    {
        Console.SetOut(_originalOut);
        Console.SetError(_originalError);
    }

    private sealed class CellWriter(Func<CellOutputs?> currentCell, string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => currentCell()?.AppendStream(stream, value.ToString());

        public override void Write(string? value)
        {
            if (value is not null) currentCell()?.AppendStream(stream, value);
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => Write(value + "\n");

        public override void WriteLine() => Write("\n");
    }
}
