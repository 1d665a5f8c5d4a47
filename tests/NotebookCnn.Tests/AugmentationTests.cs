namespace NotebookCnn.Tests;

public class AugmentationTests
{
    // A slow, obvious reference: out[i, c, h, w] = in[i, c, h − dy, w − dx], 0 outside.
    private static Tensor NaiveShift(Tensor x, int[] dy, int[] dx)
    {
        var y = x.ZerosLike();
        for (int i = 0; i < x.Dim(0); i++)
            for (int c = 0; c < x.Dim(1); c++)
                for (int h = 0; h < x.Dim(2); h++)
                    for (int w = 0; w < x.Dim(3); w++)
                    {
                        int sh = h - dy[i], sw = w - dx[i];
                        if (sh >= 0 && sh < x.Dim(2) && sw >= 0 && sw < x.Dim(3)) y[i, c, h, w] = x[i, c, sh, sw];
                    }
        return y;
    }

    [Fact]
    public void Shift_moves_a_3x3_image_one_pixel_down_and_right_filling_with_zeros()
    {
        var x = new Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);
        var y = Augmentation.Shift(x, [1], [1]);
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 2, 0, 4, 5 }, y.Data);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, x.Data); // the input is not changed
    }

    [Fact]
    public void Shift_moves_up_and_left_for_negative_amounts()
    {
        var x = new Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);
        var y = Augmentation.Shift(x, [-1], [-2]);
        Assert.Equal(new float[] { 6, 0, 0, 9, 0, 0, 0, 0, 0 }, y.Data);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 5)]
    [InlineData(3, 7, 4)]
    public void Shift_matches_a_naive_loop_for_every_move_up_to_past_the_border(int channels, int height, int width)
    {
        var moves = new List<(int Dy, int Dx)>();
        for (int dy = -height - 1; dy <= height + 1; dy++)
            for (int dx = -width - 1; dx <= width + 1; dx++) moves.Add((dy, dx));
        var x = Tensor.RandomNormal(1f, Rng.Create(3), moves.Count, channels, height, width);
        int[] dys = moves.Select(m => m.Dy).ToArray(), dxs = moves.Select(m => m.Dx).ToArray();
        Assert.Equal(NaiveShift(x, dys, dxs).Data, Augmentation.Shift(x, dys, dxs).Data);
    }

    [Fact]
    public void Random_shift_keeps_labels_and_moves_each_image_by_at_most_max_shift()
    {
        // One bright pixel in the middle of each 9×9 image: its new position tells the move.
        const int n = 200, size = 9, maxShift = 2;
        var x = new Tensor(n, 1, size, size);
        for (int i = 0; i < n; i++) x[i, 0, 4, 4] = 1f;
        var labels = Enumerable.Range(0, n).Select(i => i % 10).ToArray();
        var data = new Dataset(x, labels, Mnist.ClassNames, "dots");

        var shifted = Augmentation.RandomShift(data, maxShift, Rng.Create(5));

        Assert.Equal(labels, shifted.Labels);
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < n; i++)
        {
            int at = Array.IndexOf(shifted.Inputs.Data, 1f, i * size * size, size * size) - i * size * size;
            Assert.True(at >= 0, $"image {i} lost its pixel");
            int dy = at / size - 4, dx = at % size - 4;
            Assert.InRange(dy, -maxShift, maxShift);
            Assert.InRange(dx, -maxShift, maxShift);
            seen.Add((dy, dx));
        }
        Assert.Equal(25, seen.Count); // all (2·2 + 1)² moves occur among 200 images
    }

    [Fact]
    public void Random_shift_is_repeatable_with_the_same_seed_and_differs_with_another()
    {
        var data = new Dataset(Tensor.RandomUniform(0f, 1f, Rng.Create(1), 20, 1, 6, 6), new int[20], Mnist.ClassNames);
        var a = Augmentation.RandomShift(data, 2, Rng.Create(9));
        var b = Augmentation.RandomShift(data, 2, Rng.Create(9));
        var c = Augmentation.RandomShift(data, 2, Rng.Create(10));
        Assert.Equal(a.Inputs.Data, b.Inputs.Data);
        Assert.NotEqual(a.Inputs.Data, c.Inputs.Data);
    }

    [Fact]
    public void Shift_throws_for_flat_inputs_and_mismatched_move_counts()
    {
        var flat = new Tensor(4, 784);
        var error = Assert.Throws<ArgumentException>(() => Augmentation.Shift(flat, new int[4], new int[4]));
        Assert.Contains("[4, 784]", error.Message);
        var images = new Tensor(4, 1, 5, 5);
        error = Assert.Throws<ArgumentException>(() => Augmentation.Shift(images, new int[3], new int[4]));
        Assert.Contains("4 images", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Augmentation.RandomShift(new Dataset(images, new int[4], Mnist.ClassNames), -1, Rng.Create(0)));
    }
}
