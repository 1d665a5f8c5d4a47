using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// The kernelspec that makes Jupyter front ends offer "C# (NotebookCnn)": <c>&lt;kernels&gt;/&lt;name&gt;/kernel.json</c>,
/// whose argv starts this nbcnn with absolute paths, so it works from whatever folder the front end starts it in.
/// </summary>
public static partial class KernelSpec
{
    /// <summary>The kernelspec name notebooks and <c>--ExecutePreprocessor.kernel_name</c> refer to.</summary>
    public const string DefaultName = "nbcnn";

    /// <summary>The name front ends show in their kernel pickers.</summary>
    public const string DisplayName = "C# (NotebookCnn)";

    /// <summary>
    /// The kernels folder for <c>--path</c> (the folder itself), <c>--prefix</c> (<c>PREFIX/share/jupyter/kernels</c>) or
    /// the user's Jupyter data folder (the default, also <c>--user</c>). Throws <see cref="RunnerException"/> when more than one is given.
    /// </summary>
    public static string KernelsFolder(bool user, string? prefix, string? path)
    {
        int chosen = (user ? 1 : 0) + (prefix is null ? 0 : 1) + (path is null ? 0 : 1);
        if (chosen > 1) throw new RunnerException("Choose one of --user, --prefix DIR and --path KERNELS_DIR.");
        if (path is not null) return Path.GetFullPath(path);
        if (prefix is not null) return Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
        return Path.Combine(UserDataFolder(), "kernels");
    }

    /// <summary>Jupyter's per-user data folder, where <c>jupyter kernelspec install --user</c> writes.</summary>
    public static string UserDataFolder()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } configured) return Path.GetFullPath(configured);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsWindows()) return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "jupyter");
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        string data = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".local", "share");
        return Path.Combine(data, "jupyter");
    }

    /// <summary>The kernel.json content: argv, display name, language and interrupt by message.</summary>
    public static JsonObject Spec()
    {
        string dll = typeof(KernelSpec).Assembly.Location;
        return new JsonObject
        {
            ["argv"] = new JsonArray(DotnetHost(), dll, "kernel", "--connection-file", "{connection_file}"),
            ["display_name"] = DisplayName,
            ["language"] = "csharp",
            // Interrupts arrive as interrupt_request on the control channel (a signal cannot reach a .NET thread in Thread.Sleep).
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
    }

    /// <summary>Writes <c>&lt;kernelsFolder&gt;/&lt;name&gt;/kernel.json</c> and returns its path.</summary>
    public static string Install(string kernelsFolder, string name)
    {
        string folder = Path.Combine(kernelsFolder, CheckName(name));
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "kernel.json");
        Notebook.WriteAtomically(file, Spec().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return file;
    }

    /// <summary>Removes the kernelspec <paramref name="name"/> from <paramref name="kernelsFolder"/>; returns the folder removed, or null if there was none.</summary>
    public static string? Uninstall(string kernelsFolder, string name)
    {
        string folder = Path.Combine(kernelsFolder, CheckName(name));
        string file = Path.Combine(folder, "kernel.json");
        if (!File.Exists(file)) return null;
        File.Delete(file);
        // Only what install wrote goes: a folder with other files in it is left as it is.
        if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        return folder;
    }

    private static string CheckName(string name) =>
        KernelName().IsMatch(name) && name.Trim('.').Length > 0 ? name
            : throw new RunnerException($"Kernel name '{name}' is not valid: use letters, digits, '.', '_' and '-' (like nbcnn).");

    // The dotnet host that runs nbcnn.dll: this process when started as "dotnet nbcnn.dll", else the one that hosts
    // this runtime (<dotnet>/shared/Microsoft.NETCore.App/<version>/ → <dotnet>/dotnet).
    private static string DotnetHost()
    {
        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } process && Path.GetFileName(process) == executable) return process;
        var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        string? root = runtime.Parent?.Parent?.Parent?.FullName;
        if (root is not null && File.Exists(Path.Combine(root, executable))) return Path.Combine(root, executable);
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        throw new RunnerException("Cannot find the dotnet executable that runs nbcnn: run `dotnet nbcnn.dll kernel install`.");
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex KernelName();
}
