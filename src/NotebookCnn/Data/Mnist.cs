namespace NotebookCnn;

/// <summary>
/// MNIST handwritten digits (LeCun, Cortes and Burges): 28×28 greyscale images of the digits 0–9.
/// The repository ships 10,000 real MNIST digits, split 8,000 for training and 2,000 for testing,
/// stratified by class (see datasets/README.md); <see cref="LoadFromDirectory"/> reads the full original files.
/// </summary>
public static class Mnist
{
    /// <summary>The folder under <c>datasets/</c> that holds the shipped files.</summary>
    public const string BundledFolder = "mnist";

    /// <summary>The class names: the digits "0" to "9".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    // SHA-256 of each shipped file's uncompressed IDX content, as printed by datasets/make-datasets.sh.
    private static readonly Dictionary<string, string> ContentSha256 = new()
    {
        ["train-images-idx3-ubyte.gz"] = "f83ff550a79a7a7d148ce0871f06e6fbb5afecc36cc87acfe4d38c4e3e9dd664",
        ["train-labels-idx1-ubyte.gz"] = "5e5043f02b88c70974fa3ec4b9c8b8d81f82cf8cc632e92b0e86e84bf9d2fa61",
        ["test-images-idx3-ubyte.gz"] = "38eef79526b41992d384b9cfd7406eba6e89352dece4f69d4373c49c5928c810",
        ["test-labels-idx1-ubyte.gz"] = "ec4dcd58602e0cb5248ba0ba58a25cd7188308374adf42d2d7a4bf07e9889954",
    };

    /// <summary>
    /// The shipped digits: 8,000 training and 2,000 test images [N, 1, 28, 28] with pixels in [0, 1].
    /// Checksums are verified. <paramref name="directory"/> may name the <c>datasets</c> folder (or the folder
    /// holding it); by default it is found by <see cref="DatasetLocator"/>.
    /// </summary>
    /// <exception cref="DatasetException">A file is damaged or changed.</exception>
    /// <exception cref="DirectoryNotFoundException">The datasets folder was not found.</exception>
    public static TrainTestSplit LoadBundled(string? directory = null) =>
        IdxDatasetLoader.LoadBundled(BundledFolder, directory, "mnist", ClassNames, ContentSha256);

    /// <summary>
    /// The full original MNIST (60,000 training and 10,000 test images) from a folder holding
    /// <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and
    /// <c>t10k-labels-idx1-ubyte</c>, gzip-compressed or not. The structure is checked, not the checksums.
    /// </summary>
    public static TrainTestSplit LoadFromDirectory(string path) =>
        IdxDatasetLoader.LoadFromDirectory(path, "mnist", ClassNames);
}
