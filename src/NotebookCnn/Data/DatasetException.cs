namespace NotebookCnn;

/// <summary>
/// A dataset file is damaged or is not what it claims to be: wrong magic number, wrong counts, truncated,
/// extra bytes, images and labels that disagree, or a checksum that does not match the shipped file.
/// The message names the file and the problem. (An <see cref="IOException"/>: <see cref="InvalidDataException"/>, the closer fit, is sealed.)
/// </summary>
public sealed class DatasetException : IOException
{
    /// <summary>Creates the exception for <paramref name="fileName"/> with a description of <paramref name="problem"/>.</summary>
    public DatasetException(string fileName, string problem, Exception? innerException = null)
        : base($"Dataset file '{fileName}': {problem}", innerException)
    {
        FileName = fileName;
        Problem = problem;
    }

    /// <summary>The file (or, for data read from memory, the name given to it) that was rejected.</summary>
    public string FileName { get; }

    /// <summary>What is wrong with the file, without the file name.</summary>
    public string Problem { get; }
}
