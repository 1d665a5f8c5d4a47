namespace NotebookCnn.Tests.Training;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nbcnn-modelfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TestSequential NewModel(int seed, int hidden = 3)
    {
        var stats = new TestRunningMean("stats", hidden);
        stats.RunningMean.Fill(seed);
        return new TestSequential(new TestLinear("l1", 2, hidden, seed), stats, new TestLinear("l2", hidden, 2, seed + 1));
    }

    private static float[] AllValues(Layer model) =>
        model.Parameters.SelectMany(p => p.Value.Data).Concat(model.Buffers.SelectMany(b => b.Value.Data)).ToArray();

    [Fact]
    public void Save_then_load_restores_parameters_and_buffers_exactly()
    {
        string path = Path.Combine(_folder, "model.nbcnn");
        var saved = NewModel(seed: 1);
        ModelFile.Save(saved, path);
        var loaded = NewModel(seed: 2);
        Assert.NotEqual(AllValues(saved), AllValues(loaded));
        ModelFile.Load(loaded, path);
        Assert.Equal(AllValues(saved), AllValues(loaded));
    }

    [Fact]
    public void File_layout_follows_the_documented_format()
    {
        string path = Path.Combine(_folder, "one.nbcnn");
        var layer = new TestLinear("a", 1, 2, seed: 0);
        layer.Weight.Value.CopyFrom(new Tensor([1.5f, -2f], 1, 2));
        ModelFile.Save(layer, path);
        byte[] bytes = File.ReadAllBytes(path);
        // magic 6 + count 4 + ("a.weight": 4 + 8, rank 4 + dims 8, values 8) + ("a.bias": 4 + 6, rank 4 + dim 4, values 8)
        Assert.Equal(6 + 4 + (4 + 8 + 4 + 8 + 8) + (4 + 6 + 4 + 4 + 8), bytes.Length);
        Assert.Equal("NBCNN1"u8.ToArray(), bytes[..6]);
        Assert.Equal(2, BitConverter.ToInt32(bytes, 6));
        Assert.Equal(1.5f, BitConverter.ToSingle(bytes, 6 + 4 + 4 + 8 + 4 + 8));
        var read = ModelFile.Read(path);
        Assert.Equal(new[] { "a.weight", "a.bias" }, read.Select(t => t.Name));
        Assert.Equal(new[] { 1, 2 }, read[0].Value.ShapeArray());
    }

    [Fact]
    public void Save_overwrites_atomically_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_folder, "model.nbcnn");
        ModelFile.Save(NewModel(seed: 1), path);
        var second = NewModel(seed: 5);
        ModelFile.Save(second, path);
        Assert.Equal(new[] { "model.nbcnn" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
        var loaded = NewModel(seed: 9);
        ModelFile.Load(loaded, path);
        Assert.Equal(AllValues(second), AllValues(loaded));
    }

    [Fact]
    public void Loading_into_a_different_architecture_names_the_first_mismatch()
    {
        string path = Path.Combine(_folder, "model.nbcnn");
        ModelFile.Save(NewModel(seed: 1, hidden: 4), path);
        var other = NewModel(seed: 2, hidden: 3);
        var before = AllValues(other);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(other, path));
        Assert.Contains("model has l1.weight [2, 3], file has l1.weight [2, 4]", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Equal(before, AllValues(other)); // nothing half-loaded
    }

    [Fact]
    public void Loading_into_a_model_with_fewer_tensors_says_how_many_each_has()
    {
        string path = Path.Combine(_folder, "model.nbcnn");
        ModelFile.Save(NewModel(seed: 1), path);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(new TestLinear("l1", 2, 3, 0), path));
        Assert.Contains("holds 5 tensors", e.Message);
        Assert.Contains("has 2", e.Message);
    }

    [Fact]
    public void A_truncated_file_gives_a_clear_error_naming_the_file()
    {
        string path = Path.Combine(_folder, "model.nbcnn");
        ModelFile.Save(NewModel(seed: 1), path);
        byte[] bytes = File.ReadAllBytes(path);
        foreach (int keep in new[] { 8, 20, bytes.Length - 3 })
        {
            File.WriteAllBytes(path, bytes[..keep]);
            var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(NewModel(seed: 2), path));
            Assert.Contains("truncated", e.Message);
            Assert.Contains(path, e.Message);
        }
    }

    [Fact]
    public void A_file_of_another_kind_is_rejected()
    {
        string path = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(path, "hello, this is not a model");
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(NewModel(seed: 2), path));
        Assert.Contains("not a NotebookCnn model file", e.Message);
    }
}
