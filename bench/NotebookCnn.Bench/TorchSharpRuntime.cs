using System.Diagnostics;
using System.Text;

namespace NotebookCnn.Bench;

/// <summary>
/// Finds a way to start the TorchSharp peer. TorchSharp 0.107.0's native glue (libLibTorchSharp.so) was built
/// with GCC ≥ 13 and asks for GLIBCXX_3.4.32; Debian 12's libstdc++ stops at 3.4.30. When the system's
/// libstdc++ is too old, the peer runs under a private copy of Debian 13's C runtime (libc6, libstdc++6,
/// libgcc-s1, unmodified, unpacked by peers/setup-torchsharp-runtime.sh), loaded by that runtime's own
/// dynamic loader through a copy of this bench's launcher whose ELF interpreter points at it.
/// Only the peer process sees that runtime; the bench and NotebookCnn run on the system's.
/// </summary>
internal static class TorchSharpRuntime
{
    private const string RequiredVersion = "GLIBCXX_3.4.32";
    private const string SystemLibStdCxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
    private const string LibraryDirectory = "usr/lib/x86_64-linux-gnu";

    /// <summary>The process to start for the TorchSharp peer, or an exception saying what is missing.</summary>
    public static ProcessStartInfo StartInfo()
    {
        string launcher = Path.Combine(AppContext.BaseDirectory, "NotebookCnn.Bench");
        if (SystemHasLibStdCxx()) return new ProcessStartInfo(launcher);

        string runtime = FindPrivateRuntime()
            ?? throw new InvalidOperationException(
                $"TorchSharp needs {RequiredVersion}, which {SystemLibStdCxx} lacks, and no private runtime was found. " +
                "Run bench/peers/setup-torchsharp-runtime.sh once (see bench/README.md).");
        string libraries = Path.Combine(runtime, LibraryDirectory);
        string loader = Path.Combine(libraries, "ld-linux-x86-64.so.2");
        string patched = launcher + ".torchsharp";
        if (!File.Exists(patched) || File.GetLastWriteTimeUtc(patched) < File.GetLastWriteTimeUtc(launcher))
        {
            File.Copy(launcher, patched, overwrite: true);
            Run("patchelf", "--set-interpreter", loader, patched);
        }
        var start = new ProcessStartInfo(patched);
        start.Environment["LD_LIBRARY_PATH"] = libraries;
        return start;
    }

    /// <summary>A one-line account of how the peer is started, for the report.</summary>
    public static string Describe() => SystemHasLibStdCxx()
        ? $"system libstdc++ has {RequiredVersion}"
        : FindPrivateRuntime() is { } runtime
            ? $"system libstdc++ lacks {RequiredVersion}; peer runs on the private Debian 13 runtime in {runtime}"
            : $"system libstdc++ lacks {RequiredVersion} and no private runtime was set up";

    private static bool SystemHasLibStdCxx()
    {
        if (!File.Exists(SystemLibStdCxx)) return false;
        byte[] bytes = File.ReadAllBytes(SystemLibStdCxx);
        return bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(RequiredVersion + "\0")) >= 0;
    }

    /// <summary>NOTEBOOKCNN_TORCHSHARP_RUNTIME, else bench/.torchsharp-runtime found above the bench's folder.</summary>
    private static string? FindPrivateRuntime()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("NOTEBOOKCNN_TORCHSHARP_RUNTIME");
        if (!string.IsNullOrEmpty(fromEnvironment)) return IsRuntime(fromEnvironment) ? fromEnvironment : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, ".torchsharp-runtime");
            if (IsRuntime(candidate)) return candidate;
        }
        return null;
    }

    private static bool IsRuntime(string directory) =>
        File.Exists(Path.Combine(directory, LibraryDirectory, "ld-linux-x86-64.so.2")) &&
        File.Exists(Path.Combine(directory, LibraryDirectory, "libstdc++.so.6"));

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}");
    }
}
