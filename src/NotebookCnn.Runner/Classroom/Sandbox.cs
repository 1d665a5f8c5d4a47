using System.Diagnostics;
using System.Globalization;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// The bubblewrap (<c>bwrap</c>) sandbox one submission runs in: no network, its own process, IPC and
/// host-name namespaces (every process it starts dies with it), a private /tmp, the system, the .NET
/// runtime, nbcnn and the course files read-only, and nothing else of the machine: not the grading key,
/// not the teacher's notebooks, not the other submissions, not the output folder. When grading as root
/// it runs as the unprivileged user <c>nobody</c>; <c>prlimit</c> caps processor time, file size,
/// open files, processes and core dumps.
/// </summary>
public sealed class Sandbox
{
    /// <summary>The user id (and group id) submissions run as when the grader is root: nobody.</summary>
    public const int NobodyId = 65534;

    private readonly List<string> _arguments = [];
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal) { "/" };
    private readonly List<string> _bound = ["/usr"];

    /// <summary>The program that makes the sandbox, found on PATH, or null.</summary>
    public static string? BubblewrapPath => Which("bwrap");

    /// <summary>
    /// Checks that a sandbox can be made here by making one that runs <c>true</c>; returns null when it
    /// can, else why not.
    /// </summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux()) return "the sandbox needs Linux (bubblewrap)";
        if (BubblewrapPath is not string bwrap) return "bwrap (bubblewrap) is not installed (Debian: apt-get install bubblewrap)";
        var probe = new Sandbox([]);
        var start = new ProcessStartInfo(bwrap) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in probe.Arguments(["/bin/true"], new Dictionary<string, string>(), 10)) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"bwrap could not make the sandbox: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"bwrap could not be started: {e.Message}";
        }
    }

    /// <summary>
    /// A sandbox that can read <paramref name="readOnly"/> (files or folders) besides the system, the
    /// runtime and nbcnn itself; files in <paramref name="hidden"/> (inside those folders) read as empty.
    /// </summary>
    public Sandbox(IEnumerable<string> readOnly, IEnumerable<string>? hidden = null, IEnumerable<string>? hiddenFolders = null)
    {
        foreach (string top in new[] { "/bin", "/sbin", "/lib", "/lib64", "/lib32" })
        {
            var info = new FileInfo(top);
            if (info.LinkTarget is string target) _arguments.AddRange(["--symlink", target, top]);
            else if (Directory.Exists(top)) _arguments.AddRange(["--ro-bind", top, top]);
        }
        _arguments.AddRange(["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]);
        _folders.Add("/usr");
        _folders.Add("/tmp");   // a fresh tmpfs: course folders under the host's /tmp are bound into it
        if (File.Exists("/etc/localtime")) Bind("/etc/localtime");
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;   // …/shared/Microsoft.NETCore.App/<version>
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        Bind(dotnetRoot);
        Bind(AppContext.BaseDirectory.TrimEnd('/'));
        foreach (string path in readOnly.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            if (File.Exists(path) || Directory.Exists(path)) Bind(path);
        foreach (string file in (hidden ?? []).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
            if (File.Exists(file) && Visible(file)) _arguments.AddRange(["--ro-bind", "/dev/null", file]);
        foreach (string folder in (hiddenFolders ?? []).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
            if (Directory.Exists(folder) && Visible(folder)) _arguments.AddRange(["--tmpfs", folder]);
    }

    /// <summary>The working folder inside the sandbox.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// bwrap's arguments to run <paramref name="command"/> with only <paramref name="environment"/> set, at most
    /// <paramref name="cpuSeconds"/> of processor time.
    /// </summary>
    public IReadOnlyList<string> Arguments(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, int cpuSeconds)
    {
        var arguments = new List<string>
        {
            "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--clearenv",
        };
        arguments.AddRange(_arguments);
        foreach (var (name, value) in environment.Append(new("PATH", "/usr/bin:/bin")).Append(new("HOME", "/tmp")).Append(new("TMPDIR", "/tmp")))
            arguments.AddRange(["--setenv", name, value]);
        arguments.AddRange(["--chdir", WorkingDirectory ?? "/tmp", "--"]);
        if (Environment.UserName == "root" && Which("setpriv") is string setpriv)
        {
            string id = NobodyId.ToString(CultureInfo.InvariantCulture);
            arguments.AddRange([setpriv, "--reuid", id, "--regid", id, "--clear-groups", "--"]);
        }
        if (Which("prlimit") is string prlimit)
        {
            arguments.AddRange([prlimit, $"--cpu={cpuSeconds.ToString(CultureInfo.InvariantCulture)}", "--core=0",
                $"--fsize={MaxFileBytes.ToString(CultureInfo.InvariantCulture)}", "--nofile=1024", $"--nproc={MaxProcesses.ToString(CultureInfo.InvariantCulture)}", "--"]);
        }
        arguments.AddRange(command);
        return arguments;
    }

    /// <summary>
    /// Starts <paramref name="start"/> (a sandbox, or any process) from a thread of its own that lives until the process
    /// exits. bwrap's <c>--die-with-parent</c> follows the thread that starts it, not this process (Linux's
    /// PR_SET_PDEATHSIG): started from a thread-pool thread, a sandbox would be killed whenever the pool retired that
    /// thread, and the student's submission reported as ended early.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process could not be started.</exception>
    public static Process StartProcess(ProcessStartInfo start)
    {
        Process? process = null;
        Exception? error = null;
        using var started = new ManualResetEventSlim();
        new Thread(() =>
        {
            try
            {
                process = Process.Start(start);
            }
            catch (Exception e)
            {
                error = e;
            }
            started.Set();
            try
            {
                process?.WaitForExit();
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or System.ComponentModel.Win32Exception)
            {
                // Disposed by its owner once it had seen the exit: nothing left to wait for.
            }
        }) { IsBackground = true, Name = "nbcnn sandbox starter" }.Start();
        started.Wait();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return process ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
    }

    /// <summary>The largest file a submission may write (in its private /tmp).</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>The most processes and threads the sandbox's user may have (applies when grading as root: they run as nobody).</summary>
    public const int MaxProcesses = 512;

    // Read-only, at the same path, with the folders above it readable (bwrap would make them 0700).
    private void Bind(string path)
    {
        string full = Path.GetFullPath(path);
        if (_bound.Any(b => full == b || full.StartsWith(b + "/", StringComparison.Ordinal))) return;   // already visible
        _bound.Add(full);
        var above = new List<string>();
        for (string? parent = Path.GetDirectoryName(full); parent is not null && parent != "/"; parent = Path.GetDirectoryName(parent))
            above.Insert(0, parent);
        foreach (string folder in above.Where(_folders.Add)) _arguments.AddRange(["--perms", "0755", "--dir", folder]);
        _arguments.AddRange(["--ro-bind", full, full]);
    }

    private bool Visible(string path) => _bound.Any(b => path.StartsWith(b + "/", StringComparison.Ordinal));

    private static string? Which(string program)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
