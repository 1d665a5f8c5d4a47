using System.Runtime.InteropServices;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>The kernel process's own console, which cells never see: their console is the running cell's output.</summary>
internal static class KernelConsole
{
    /// <summary>
    /// Gives cells an empty standard input (a front end has no terminal to type into) and, on Unix, points the
    /// process's standard output at /dev/null. A kernel started from a terminal (<c>jupyter lab</c>) inherits that
    /// terminal as its standard output; the library's progress bar draws only on a terminal and would otherwise send
    /// its escape codes into the cell.
    /// </summary>
    public static void Detach()
    {
        Console.SetIn(TextReader.Null);
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
        const int standardOutput = 1;
        _ = dup2((int)devNull.DangerousGetHandle(), standardOutput);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int dup2(int oldDescriptor, int newDescriptor);
}
