namespace NotebookCnn.Tests;

public class ImageTensorsTests
{
    [Fact]
    public void AsImage_makes_a_batch_of_one_grey_image()
    {
        var image = ImageTensors.AsImage(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal([1, 1, 2, 3], image.ShapeArray());
        Assert.Equal(6f, image[0, 0, 1, 2]);
    }

    [Fact]
    public void Rows_prints_the_first_plane_one_row_per_line()
    {
        var image = ImageTensors.AsImage(new float[,] { { 1, 0.5f }, { -2, 0.1234f } });
        Assert.Equal("[    1,   0.5]\n[   -2, 0.123]", ImageTensors.Rows(image));
        Assert.Equal("[    1,     2]", ImageTensors.Rows(Tensor.FromArray(new[] { 1f, 2f })));
    }

    [Fact]
    public void Channel_copies_one_feature_map_of_the_first_image()
    {
        var maps = new Tensor(Enumerable.Range(0, 2 * 3 * 2 * 2).Select(i => (float)i).ToArray(), 2, 3, 2, 2);
        var second = ImageTensors.Channel(maps, 1);
        Assert.Equal([2, 2], second.ShapeArray());
        Assert.Equal([4f, 5f, 6f, 7f], second.Data);
        second.Data[0] = -1f;
        Assert.Equal(4f, maps.Data[4]); // a copy: changing it leaves the batch alone
    }

    [Fact]
    public void Channel_throws_for_mismatched_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageTensors.Channel(new Tensor(1, 3, 2, 2), 3));
        Assert.Contains("[1, 3, 2, 2]", e.Message);
        Assert.Throws<ArgumentException>(() => ImageTensors.Channel(new Tensor(3, 2, 2), 0));
    }
}
