namespace NotebookCnn;

/// <summary>
/// The short text shipped in <c>datasets/text/tiny.txt</c> (ten lines about a lamp keeper, written for this
/// project) for character-level models small enough to train in seconds.
/// </summary>
public static class TinyText
{
    /// <summary>The file name inside <c>datasets/text</c>.</summary>
    public const string FileName = "tiny.txt";

    /// <summary>The text, with line endings normalised to "\n".</summary>
    /// <param name="directory">The datasets folder (or a folder containing it); found automatically when null (see <see cref="DatasetLocator"/>).</param>
    public static string Load(string? directory = null)
    {
        string path = Path.Combine(DatasetLocator.Find("text", directory), FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"TinyText: expected the bundled text at {path}, but there is no such file.", path);
        return File.ReadAllText(path).Replace("\r\n", "\n");
    }
}
