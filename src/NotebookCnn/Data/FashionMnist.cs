namespace NotebookCnn;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando Research, 2017): 28×28 greyscale photos of ten kinds of
/// clothing, a drop-in replacement for MNIST that is harder to classify. The repository ships 10,000 training
/// images (1,000 per class) and the full 10,000-image test set; <see cref="LoadFromDirectory"/> reads the full
/// original files.
/// </summary>
public static class FashionMnist
{
    /// <summary>The folder under <c>datasets/</c> that holds the shipped files.</summary>
    public const string BundledFolder = "fashion-mnist";

    /// <summary>The class names, in label order, as the dataset's authors give them.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    // SHA-256 of each shipped file's uncompressed IDX content, as printed by datasets/make-datasets.sh.
    private static readonly Dictionary<string, string> ContentSha256 = new()
    {
        ["train-images-idx3-ubyte.gz"] = "9b7f5f0875b9de3b0ac83603fbbc6f4806e5faaf7fe711273d1f15a3f9df634a",
        ["train-labels-idx1-ubyte.gz"] = "e6cc28b1cb85166ed43415e5f12f53d96cba42ea7dc574417ae4687c30172850",
        ["test-images-idx3-ubyte.gz"] = "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ["test-labels-idx1-ubyte.gz"] = "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    };

    /// <summary>
    /// The shipped images: 10,000 training and 10,000 test images [N, 1, 28, 28] with pixels in [0, 1].
    /// Checksums are verified. <paramref name="directory"/> may name the <c>datasets</c> folder (or the folder
    /// holding it); by default it is found by <see cref="DatasetLocator"/>.
    /// </summary>
    /// <exception cref="DatasetException">A file is damaged or changed.</exception>
    /// <exception cref="DirectoryNotFoundException">The datasets folder was not found.</exception>
    public static TrainTestSplit LoadBundled(string? directory = null) =>
        IdxDatasetLoader.LoadBundled(BundledFolder, directory, "fashion-mnist", ClassNames, ContentSha256);

    /// <summary>
    /// The full original Fashion-MNIST (60,000 training and 10,000 test images) from a folder holding the
    /// original files (same names as MNIST's: <c>train-images-idx3-ubyte.gz</c>, <c>t10k-…</c>), gzip-compressed or not.
    /// The structure is checked, not the checksums.
    /// </summary>
    public static TrainTestSplit LoadFromDirectory(string path) =>
        IdxDatasetLoader.LoadFromDirectory(path, "fashion-mnist", ClassNames);
}
