using System.Security.Cryptography;

namespace NotebookCnn;

/// <summary>
/// Loads a train/test pair of IDX image and label files from one folder — the part that MNIST and
/// Fashion-MNIST share — and checks that each pair agrees.
/// </summary>
internal static class IdxDatasetLoader
{
    /// <summary>The four files of a train/test split.</summary>
    internal sealed record FileNames(string TrainImages, string TrainLabels, string TestImages, string TestLabels);

    /// <summary>The names the shipped files use in datasets/mnist and datasets/fashion-mnist.</summary>
    internal static readonly FileNames Bundled = new(
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "test-images-idx3-ubyte.gz", "test-labels-idx1-ubyte.gz");

    /// <summary>Loads the shipped files of <paramref name="subfolder"/> and checks their SHA-256 sums.</summary>
    internal static TrainTestSplit LoadBundled(string subfolder, string? directory, string name,
        IReadOnlyList<string> classNames, IReadOnlyDictionary<string, string> contentSha256)
    {
        string folder = DatasetLocator.Find(subfolder, directory);
        return Load(name, classNames, 28,
            (Path.Combine(folder, Bundled.TrainImages), Path.Combine(folder, Bundled.TrainLabels)),
            (Path.Combine(folder, Bundled.TestImages), Path.Combine(folder, Bundled.TestLabels)),
            contentSha256);
    }

    /// <summary>
    /// Loads a user's copy of the original files from <paramref name="path"/>: the names the originals use
    /// ("train-…", "t10k-…"), with "-idx3-ubyte" or ".idx3-ubyte" endings, gzip-compressed or not.
    /// Only the structure is checked; the user's files have no known checksums.
    /// </summary>
    internal static TrainTestSplit LoadFromDirectory(string path, string name, IReadOnlyList<string> classNames)
    {
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"{name}: the folder '{Path.GetFullPath(path)}' does not exist.");
        return Load(name, classNames, 28,
            (FindOne(path, ["train"], "images", 3), FindOne(path, ["train"], "labels", 1)),
            (FindOne(path, ["t10k", "test"], "images", 3), FindOne(path, ["t10k", "test"], "labels", 1)),
            contentSha256: null);
    }

    private static string FindOne(string folder, string[] prefixes, string kind, int dimensions)
    {
        var tried = new List<string>();
        foreach (string prefix in prefixes)
            foreach (string separator in new[] { "-", "." })
                foreach (string extension in new[] { ".gz", "" })
                {
                    string file = $"{prefix}-{kind}{separator}idx{dimensions}-ubyte{extension}";
                    tried.Add(file);
                    string candidate = Path.Combine(folder, file);
                    if (File.Exists(candidate)) return candidate;
                }
        throw new FileNotFoundException(
            $"No {kind} file in '{Path.GetFullPath(folder)}'. Looked for: {string.Join(", ", tried)}.");
    }

    private static TrainTestSplit Load(string name, IReadOnlyList<string> classNames, int side,
        (string Images, string Labels) train, (string Images, string Labels) test,
        IReadOnlyDictionary<string, string>? contentSha256)
    {
        var trainSet = LoadPart($"{name}-train", classNames, side, train.Images, train.Labels, contentSha256);
        var testSet = LoadPart($"{name}-test", classNames, side, test.Images, test.Labels, contentSha256);
        return new TrainTestSplit(trainSet, testSet);
    }

    private static Dataset LoadPart(string name, IReadOnlyList<string> classNames, int side,
        string imagesPath, string labelsPath, IReadOnlyDictionary<string, string>? contentSha256)
    {
        var images = Idx.ReadImages(ReadChecked(imagesPath, contentSha256), imagesPath);
        byte[] labels = Idx.ReadLabels(ReadChecked(labelsPath, contentSha256), labelsPath);

        if (images.Rows != side || images.Columns != side)
            throw new DatasetException(imagesPath,
                $"holds images of {images.Rows}×{images.Columns} pixels; {name} images are {side}×{side}.");
        if (images.Count != labels.Length)
            throw new DatasetException(imagesPath,
                $"holds {images.Count} images but its label file '{labelsPath}' holds {labels.Length} labels; they must match one to one.");
        int[] classes = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classNames.Count)
                throw new DatasetException(labelsPath,
                    $"label {i} is {labels[i]}, but {name} has classes 0…{classNames.Count - 1} only.");
            classes[i] = labels[i];
        }
        return new Dataset(images.ToTensor(), classes, classNames, name);
    }

    /// <summary>The file's uncompressed IDX bytes, checked against the expected SHA-256 sum if one is known.</summary>
    private static byte[] ReadChecked(string path, IReadOnlyDictionary<string, string>? contentSha256)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Dataset file '{path}' does not exist.", path);
        byte[] content = Idx.Decompress(File.ReadAllBytes(path), path);
        if (contentSha256 == null) return content;

        // The sum is of the uncompressed IDX content, so a file gzip-compressed again by a different zlib still loads.
        string fileName = Path.GetFileName(path);
        if (!contentSha256.TryGetValue(fileName, out string? expected))
            throw new DatasetException(path, "is not one of the shipped files; no checksum is known for it.");
        string actual = Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
        if (actual != expected)
            throw new DatasetException(path,
                $"checksum mismatch: its content has SHA-256 {actual}, the shipped file has {expected}. " +
                "The file was changed or damaged; restore it (git checkout -- datasets) or rerun datasets/make-datasets.sh.");
        return content;
    }
}
