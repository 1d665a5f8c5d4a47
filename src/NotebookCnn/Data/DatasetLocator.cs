namespace NotebookCnn;

/// <summary>
/// Finds the repository's <c>datasets/</c> folder, wherever the code runs from: a notebook (whose working
/// folder is <c>notebooks/</c>), a test (running in <c>tests/…/bin/…</c>) or the notebook runner.
/// </summary>
/// <remarks>
/// Looks, in this order: in the <c>directory</c> argument if one is given (and nowhere else); in the folder named
/// by the environment variable <see cref="EnvironmentVariable"/>; then in every parent of the current folder,
/// of the application's folder and of the folder holding this library, for a <c>datasets</c> subfolder.
/// A folder given explicitly may be the <c>datasets</c> folder itself or a folder that contains it.
/// </remarks>
public static class DatasetLocator
{
    /// <summary>The environment variable that may name the <c>datasets</c> folder.</summary>
    public const string EnvironmentVariable = "NOTEBOOKCNN_DATASETS";

    /// <summary>The name of the folder that holds the shipped datasets.</summary>
    public const string FolderName = "datasets";

    /// <summary>
    /// The full path of <c>datasets/<paramref name="subfolder"/></c> (e.g. "mnist").
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Nothing found; the message lists every folder that was tried.</exception>
    public static string Find(string subfolder, string? directory = null) =>
        Find(subfolder, directory, Environment.GetEnvironmentVariable(EnvironmentVariable), DefaultStartFolders());

    /// <summary>The search itself, with its inputs explicit so tests can control them.</summary>
    internal static string Find(string subfolder, string? directory, string? environmentValue, IEnumerable<string> startFolders)
    {
        var tried = new List<string>();
        string? Try(string candidate)
        {
            string full = Path.GetFullPath(candidate);
            if (tried.Contains(full)) return null;
            tried.Add(full);
            return Directory.Exists(full) ? full : null;
        }

        if (!string.IsNullOrWhiteSpace(directory))
        {
            string? found = Try(Path.Combine(directory, subfolder)) ?? Try(Path.Combine(directory, FolderName, subfolder));
            return found ?? throw NotFound(subfolder, tried, $"the folder you passed ('{directory}')");
        }

        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            string? found = Try(Path.Combine(environmentValue, subfolder)) ?? Try(Path.Combine(environmentValue, FolderName, subfolder));
            if (found != null) return found;
        }

        foreach (string start in startFolders)
        {
            for (var folder = new DirectoryInfo(Path.GetFullPath(start)); folder != null; folder = folder.Parent)
            {
                string? found = Try(Path.Combine(folder.FullName, FolderName, subfolder));
                if (found != null) return found;
            }
        }
        throw NotFound(subfolder, tried, "the folders above the current folder and the program");
    }

    private static IEnumerable<string> DefaultStartFolders()
    {
        yield return Directory.GetCurrentDirectory();
        yield return AppContext.BaseDirectory;
        // A notebook's kernel runs from its own folder, but loads this library from the repository's src/…/bin.
        string library = typeof(DatasetLocator).Assembly.Location;
        if (!string.IsNullOrEmpty(library) && Path.GetDirectoryName(library) is { } libraryFolder)
            yield return libraryFolder;
    }

    private static DirectoryNotFoundException NotFound(string subfolder, List<string> tried, string where) =>
        new($"Could not find the dataset folder '{FolderName}/{subfolder}' in {where}. Looked in:\n  " +
            string.Join("\n  ", tried) +
            $"\nRun from inside the NotebookCnn repository, set the environment variable {EnvironmentVariable} " +
            "to its datasets folder, or pass that folder as the directory argument.");
}
