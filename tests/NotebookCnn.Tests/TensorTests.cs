namespace NotebookCnn.Tests;

public class TensorTests
{
    [Fact]
    public void Reshape_shares_data_and_infers_minus_one()
    {
        var t = new Tensor(2, 3, 4);
        var r = t.Reshape(6, -1);
        Assert.Equal(new[] { 6, 4 }, r.ShapeArray());
        r[5, 3] = 7f;
        Assert.Equal(7f, t[1, 2, 3]);
    }

    [Fact]
    public void Reshape_to_a_different_size_throws_with_both_shapes()
    {
        var t = new Tensor(2, 3);
        var e = Assert.Throws<ArgumentException>(() => t.Reshape(4, 2));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 2]", e.Message);
    }

    [Fact]
    public void Same_seed_gives_the_same_random_tensor()
    {
        var a = Tensor.RandomNormal(1f, Rng.Create(7), 100);
        var b = Tensor.RandomNormal(1f, Rng.Create(7), 100);
        var c = Tensor.RandomNormal(1f, Rng.Create(8), 100);
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, c.Data);
    }

    [Fact]
    public void Random_normal_has_the_requested_standard_deviation()
    {
        var t = Tensor.RandomNormal(0.5f, Rng.Create(1), 100_000);
        double mean = t.Mean();
        double variance = t.Data.Sum(v => (v - mean) * (v - mean)) / t.Length;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(Math.Sqrt(variance), 0.49, 0.51);
    }

    [Fact]
    public void ToString_shows_shape_and_first_values()
    {
        var t = new Tensor([1f, 2.5f, 3f, 4f], 2, 2);
        Assert.Equal("Tensor [2, 2] [1, 2.5, 3, 4]", t.ToString());
    }

    [Fact]
    public void Index_out_of_range_names_the_dimension()
    {
        var t = new Tensor(2, 3);
        var e = Assert.Throws<IndexOutOfRangeException>(() => t[0, 3]);
        Assert.Contains("dimension 1 of size 3", e.Message);
    }

    [Fact]
    public void Negative_dimension_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Tensor(2, -1));
    }
}
