namespace NotebookCnn.Tests;

public class DatasetLocatorTests
{
    [Fact]
    public void The_repository_datasets_folder_is_found_from_the_test_folder()
    {
        string found = DatasetLocator.Find("mnist");
        Assert.True(File.Exists(Path.Combine(found, "train-images-idx3-ubyte.gz")));
        Assert.Equal("datasets", new DirectoryInfo(found).Parent!.Name);
    }

    [Fact]
    public void Walking_up_finds_datasets_from_a_nested_folder_such_as_notebooks()
    {
        string root = IdxFiles.TempFolder();
        try
        {
            string mnist = Directory.CreateDirectory(Path.Combine(root, "datasets", "mnist")).FullName;
            string notebooks = Directory.CreateDirectory(Path.Combine(root, "notebooks", "chapter")).FullName;
            Assert.Equal(mnist, DatasetLocator.Find("mnist", null, null, [notebooks]));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void An_explicit_folder_may_be_the_datasets_folder_or_the_one_holding_it()
    {
        string root = IdxFiles.TempFolder();
        try
        {
            string mnist = Directory.CreateDirectory(Path.Combine(root, "datasets", "mnist")).FullName;
            Assert.Equal(mnist, DatasetLocator.Find("mnist", root, null, []));
            Assert.Equal(mnist, DatasetLocator.Find("mnist", Path.Combine(root, "datasets"), null, []));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void The_environment_variable_is_tried_before_walking_up()
    {
        string root = IdxFiles.TempFolder();
        string other = IdxFiles.TempFolder();
        try
        {
            string viaVariable = Directory.CreateDirectory(Path.Combine(root, "datasets", "mnist")).FullName;
            Directory.CreateDirectory(Path.Combine(other, "datasets", "mnist"));
            Assert.Equal(viaVariable, DatasetLocator.Find("mnist", null, Path.Combine(root, "datasets"), [other]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void When_nothing_is_found_the_error_lists_every_folder_it_looked_in()
    {
        string root = IdxFiles.TempFolder();
        try
        {
            string start = Directory.CreateDirectory(Path.Combine(root, "a", "b")).FullName;
            var e = Assert.Throws<DirectoryNotFoundException>(() =>
                DatasetLocator.Find("no-such-set", null, Path.Combine(root, "env"), [start]));
            Assert.Contains(Path.Combine(root, "env", "no-such-set"), e.Message);
            Assert.Contains(Path.Combine(root, "a", "b", "datasets", "no-such-set"), e.Message);
            Assert.Contains(Path.Combine(root, "a", "datasets", "no-such-set"), e.Message);
            Assert.Contains(Path.Combine(root, "datasets", "no-such-set"), e.Message);
            Assert.Contains(DatasetLocator.EnvironmentVariable, e.Message);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void An_explicit_folder_that_does_not_hold_the_set_is_an_error_not_a_fallback()
    {
        string root = IdxFiles.TempFolder();
        try
        {
            var e = Assert.Throws<DirectoryNotFoundException>(() => Mnist.LoadBundled(root));
            Assert.Contains(Path.Combine(root, "mnist"), e.Message);
            Assert.Contains(Path.Combine(root, "datasets", "mnist"), e.Message);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
