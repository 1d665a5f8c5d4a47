using System.Diagnostics;
using Xunit.Abstractions;

namespace NotebookCnn.Tests;

public class BundledDatasetTests(ITestOutputHelper output)
{
    // Loaded once for all tests in this class: the sets are read-only here.
    private static readonly Lazy<TrainTestSplit> MnistSets = new(() => Mnist.LoadBundled());
    private static readonly Lazy<TrainTestSplit> FashionSets = new(() => FashionMnist.LoadBundled());

    [Fact]
    public void Mnist_has_8000_training_and_2000_test_images_of_shape_1_28_28()
    {
        var (train, test) = MnistSets.Value;
        Assert.Equal(new[] { 8000, 1, 28, 28 }, train.Inputs.ShapeArray());
        Assert.Equal(new[] { 2000, 1, 28, 28 }, test.Inputs.ShapeArray());
        Assert.Equal(("mnist-train", "mnist-test"), (train.Name, test.Name));
        Assert.Equal(Mnist.ClassNames, train.ClassNames);
    }

    [Fact]
    public void Mnist_split_is_stratified_by_class()
    {
        // The package holds 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 digits of 0…9; 20 % of each
        // (largest remainder, so the total is exactly 2000) went to the test set.
        var (train, test) = MnistSets.Value;
        Assert.Equal(new[] { 801, 902, 793, 826, 784, 690, 811, 856, 755, 782 }, train.CountPerClass());
        Assert.Equal(new[] { 200, 225, 198, 206, 196, 173, 203, 214, 189, 196 }, test.CountPerClass());
    }

    [Fact]
    public void Mnist_pixels_lie_in_0_1_with_the_familiar_mean_of_about_0_13()
    {
        var (train, test) = MnistSets.Value;
        foreach (var set in new[] { train, test })
        {
            Assert.Equal(0f, set.Inputs.Data.Min());
            Assert.Equal(1f, set.Inputs.Data.Max());
            // Measured: 0.1311 (train), 0.1313 (test); the full MNIST training set has 0.1307.
            Assert.InRange(set.Inputs.Mean(), 0.130, 0.132);
        }
    }

    [Fact]
    public void Mnist_first_test_image_is_a_known_two()
    {
        var (_, test) = MnistSets.Value;
        Assert.Equal(2, test.Labels[0]);
        var first = test.Take(1).Inputs;
        // Its 784 bytes sum to 29610, so the scaled pixels sum to 29610 / 255.
        Assert.Equal(29610 / 255.0, first.Sum(), 3);
        Assert.Equal(new[] { 2, 7, 4, 5, 1, 5, 0, 3, 4, 5 }, test.Labels[..10]);
    }

    [Fact]
    public void Fashion_mnist_has_10000_training_and_10000_test_images_with_1000_per_class()
    {
        var (train, test) = FashionSets.Value;
        Assert.Equal(new[] { 10000, 1, 28, 28 }, train.Inputs.ShapeArray());
        Assert.Equal(new[] { 10000, 1, 28, 28 }, test.Inputs.ShapeArray());
        Assert.All(train.CountPerClass(), count => Assert.Equal(1000, count));
        Assert.All(test.CountPerClass(), count => Assert.Equal(1000, count));
    }

    [Fact]
    public void Fashion_mnist_has_the_class_names_its_authors_give()
    {
        var (train, _) = FashionSets.Value;
        Assert.Equal(new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" },
            train.ClassNames);
    }

    [Fact]
    public void Fashion_mnist_pixels_lie_in_0_1_and_its_first_test_image_is_an_ankle_boot()
    {
        var (train, test) = FashionSets.Value;
        Assert.Equal(0f, test.Inputs.Data.Min());
        Assert.Equal(1f, test.Inputs.Data.Max());
        // Measured: 0.2876 (train subset), 0.2869 (test); the full training set has 0.2860.
        Assert.InRange(train.Inputs.Mean(), 0.285, 0.290);
        Assert.InRange(test.Inputs.Mean(), 0.285, 0.290);
        Assert.Equal("Ankle boot", test.ClassNames[test.Labels[0]]);
        Assert.Equal(33456 / 255.0, test.Take(1).Inputs.Sum(), 3);
    }

    [Fact]
    public void Loading_again_gives_fresh_but_identical_tensors_and_reports_its_time()
    {
        // The time is printed for whoever runs the tests, not asserted (machines differ). What is asserted: a second
        // load reads the files again into new arrays (a notebook may change a batch in place without spoiling the
        // next load) and gets exactly the same digits and labels (the loader is deterministic).
        var clock = Stopwatch.StartNew();
        var first = Mnist.LoadBundled();
        long mnist = clock.ElapsedMilliseconds;
        FashionMnist.LoadBundled();
        output.WriteLine($"MNIST loaded in {mnist} ms, Fashion-MNIST in {clock.ElapsedMilliseconds - mnist} ms.");
        var second = Mnist.LoadBundled();
        Assert.NotSame(first.Train.Inputs.Data, second.Train.Inputs.Data);
        Assert.Equal(first.Train.Inputs.Data, second.Train.Inputs.Data);
        Assert.Equal(first.Train.Labels, second.Train.Labels);
        Assert.Equal(first.Test.Inputs.Data, second.Test.Inputs.Data);
    }

    [Fact]
    public void A_changed_shipped_file_fails_its_checksum_naming_the_file()
    {
        string root = CopyOfBundledMnist();
        try
        {
            // Change one label to another valid label: the structure stays fine, only the checksum can catch it.
            string labels = Path.Combine(root, "datasets", "mnist", "test-labels-idx1-ubyte.gz");
            var content = IdxFiles.Gunzip(File.ReadAllBytes(labels));
            content[8] = (byte)((content[8] + 1) % 10);
            File.WriteAllBytes(labels, IdxFiles.Gzip(content));

            var e = Assert.Throws<DatasetException>(() => Mnist.LoadBundled(root));
            Assert.Contains("test-labels-idx1-ubyte.gz", e.Message);
            Assert.Contains("checksum", e.Message);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void A_truncated_shipped_file_is_rejected_naming_the_file()
    {
        string root = CopyOfBundledMnist();
        try
        {
            string images = Path.Combine(root, "datasets", "mnist", "train-images-idx3-ubyte.gz");
            var bytes = File.ReadAllBytes(images);
            File.WriteAllBytes(images, bytes[..(bytes.Length / 3)]);

            var e = Assert.Throws<DatasetException>(() => Mnist.LoadBundled(Path.Combine(root, "datasets")));
            Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void Full_original_files_load_from_a_folder_with_their_original_names_plain_or_gzip()
    {
        string folder = IdxFiles.TempFolder();
        try
        {
            // Stand-ins for the originals: MNIST's names, the training files plain, the test files gzip.
            string bundled = DatasetLocator.Find("mnist");
            File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"),
                IdxFiles.Gunzip(File.ReadAllBytes(Path.Combine(bundled, "train-images-idx3-ubyte.gz"))));
            File.WriteAllBytes(Path.Combine(folder, "train-labels.idx1-ubyte"),
                IdxFiles.Gunzip(File.ReadAllBytes(Path.Combine(bundled, "train-labels-idx1-ubyte.gz"))));
            File.Copy(Path.Combine(bundled, "test-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
            File.Copy(Path.Combine(bundled, "test-labels-idx1-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));

            var (train, test) = Mnist.LoadFromDirectory(folder);
            Assert.Equal(MnistSets.Value.Train.Inputs.Data, train.Inputs.Data);
            Assert.Equal(MnistSets.Value.Test.Labels, test.Labels);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Images_and_labels_that_disagree_in_count_are_rejected_naming_both_files()
    {
        string folder = IdxFiles.TempFolder();
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), IdxFiles.Images(3, 28, 28));
            File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), IdxFiles.Labels(1, 2));
            File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte"), IdxFiles.Images(1, 28, 28));
            File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), IdxFiles.Labels(1));

            var e = Assert.Throws<DatasetException>(() => Mnist.LoadFromDirectory(folder));
            Assert.Contains("train-images-idx3-ubyte", e.Message);
            Assert.Contains("train-labels-idx1-ubyte", e.Message);
            Assert.Contains("3 images but", e.Message);
            Assert.Contains("2 labels", e.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Labels_outside_the_classes_and_images_of_the_wrong_size_are_rejected()
    {
        string folder = IdxFiles.TempFolder();
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), IdxFiles.Images(2, 28, 28));
            File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), IdxFiles.Labels(1, 10));
            File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte"), IdxFiles.Images(1, 28, 28));
            File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), IdxFiles.Labels(1));
            var e = Assert.Throws<DatasetException>(() => FashionMnist.LoadFromDirectory(folder));
            Assert.Contains("label 1 is 10", e.Message);

            File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), IdxFiles.Images(2, 32, 32));
            e = Assert.Throws<DatasetException>(() => FashionMnist.LoadFromDirectory(folder));
            Assert.Contains("32×32", e.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void A_missing_file_is_reported_with_the_names_looked_for()
    {
        string folder = IdxFiles.TempFolder();
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => Mnist.LoadFromDirectory(folder));
            Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
            Assert.Contains(folder, e.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>A temp folder holding datasets/mnist with copies of the shipped files.</summary>
    private static string CopyOfBundledMnist()
    {
        string root = IdxFiles.TempFolder();
        string target = Directory.CreateDirectory(Path.Combine(root, "datasets", "mnist")).FullName;
        foreach (string file in Directory.GetFiles(DatasetLocator.Find("mnist")))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return root;
    }
}
