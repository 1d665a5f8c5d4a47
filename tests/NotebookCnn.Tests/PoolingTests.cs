using NotebookCnn.Reference;

namespace NotebookCnn.Tests;

public class PoolingTests
{
    // The 4×4 example of chapter 04: windows [[1,2],[0,1]], [[3,0],[2,4]], [[1,0],[3,2]], [[4,2],[0,1]].
    private static Tensor Example() => new([
        1, 2, 3, 0,
        0, 1, 2, 4,
        1, 0, 4, 2,
        3, 2, 0, 1], 1, 1, 4, 4);

    // kind, size, stride, padding, and an image side that the windows tile exactly.
    public static TheoryData<string, int, int, int, int> Geometries => new()
    {
        { "max", 2, 2, 0, 6 },
        { "max", 3, 2, 1, 7 },  // overlapping windows with padding: an input can be the argmax of two windows
        { "max", 3, 1, 1, 5 },
        { "average", 2, 2, 0, 6 },
        { "average", 3, 2, 1, 7 },
        { "average", 3, 1, 1, 5 },
    };

    private static Pooling Create(string kind, int size, int stride = -1, int padding = 0) =>
        kind == "max" ? new MaxPooling(size, stride, padding) : new AveragePooling(size, stride, padding);

    [Fact]
    public void Max_pooling_takes_the_largest_value_of_each_window()
    {
        var y = new MaxPooling(2).Forward(Example(), training: false);
        Assert.Equal(new[] { 1, 1, 2, 2 }, y.ShapeArray());
        Assert.Equal(new[] { 2f, 4f, 3f, 4f }, y.Data);
    }

    [Fact]
    public void Average_pooling_takes_the_mean_of_each_window()
    {
        var y = new AveragePooling(2).Forward(Example(), training: false);
        Assert.Equal(new[] { 1f, 2.25f, 1.5f, 1.75f }, y.Data);
    }

    [Fact]
    public void Max_pooling_backward_puts_each_gradient_at_the_argmax_only()
    {
        var pool = new MaxPooling(2);
        pool.Forward(Example(), training: true);
        var dx = pool.Backward(new Tensor([10f, 20f, 30f, 40f], 1, 1, 2, 2));
        Assert.Equal(new float[] {
            0, 10, 0, 0,
            0, 0, 0, 20,
            0, 0, 40, 0,
            30, 0, 0, 0 }, dx.Data);
    }

    [Fact]
    public void Average_pooling_backward_spreads_each_gradient_evenly()
    {
        var pool = new AveragePooling(2);
        pool.Forward(Example(), training: true);
        var dx = pool.Backward(new Tensor([4f, 8f, 12f, 16f], 1, 1, 2, 2));
        Assert.Equal(new float[] {
            1, 1, 2, 2,
            1, 1, 2, 2,
            3, 3, 4, 4,
            3, 3, 4, 4 }, dx.Data);
    }

    [Fact]
    public void Max_pooling_gives_a_tie_to_the_first_maximum()
    {
        var pool = new MaxPooling(2);
        pool.Forward(Tensor.Full(7f, 1, 1, 2, 2), training: true);
        Assert.Equal(new[] { 5f, 0f, 0f, 0f }, pool.Backward(Tensor.Full(5f, 1, 1, 1, 1)).Data);
    }

    [Fact]
    public void A_one_pixel_shift_inside_the_window_leaves_the_max_pooled_output_unchanged()
    {
        var image = new Tensor(1, 1, 4, 4);
        image[0, 0, 0, 0] = 1f;   // a bright feature in the top-left window
        image[0, 0, 2, 2] = 0.5f; // and a dimmer one in the bottom-right window
        var shifted = new Tensor(1, 1, 4, 4);
        shifted[0, 0, 0, 1] = 1f;   // each moved one pixel to the right, still in the same window
        shifted[0, 0, 2, 3] = 0.5f;
        var pool = new MaxPooling(2);
        var before = pool.Forward(image, training: false).Data;
        Assert.Equal(before, pool.Forward(shifted, training: false).Data);
        Assert.Equal(new[] { 1f, 0f, 0f, 0.5f }, before);
        Assert.NotEqual(image.Data, shifted.Data);
    }

    [Fact]
    public void Max_pooling_padding_is_never_the_maximum()
    {
        // All inputs are negative; if padding counted as 0, border windows would output 0.
        var y = new MaxPooling(3, stride: 1, padding: 1).Forward(Tensor.Full(-5f, 1, 1, 3, 3), training: false);
        Assert.Equal(Enumerable.Repeat(-5f, 9), y.Data);
    }

    [Fact]
    public void Average_pooling_counts_padded_zeros_in_the_mean()
    {
        var y = new AveragePooling(3, stride: 1, padding: 1).Forward(Tensor.Full(1f, 1, 1, 3, 3), training: false);
        // A corner window holds 4 real ones of 9, an edge window 6, the centre 9.
        float[] expected = [4f / 9, 6f / 9, 4f / 9, 6f / 9, 1f, 6f / 9, 4f / 9, 6f / 9, 4f / 9];
        for (int i = 0; i < 9; i++) Assert.Equal(expected[i], y.Data[i], 6);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 28, 28 }, 2, -1, 0, new[] { 2, 3, 14, 14 })]
    [InlineData(new[] { 1, 1, 5, 5 }, 3, 1, 1, new[] { 1, 1, 5, 5 })] // padding counts: not 3×3
    [InlineData(new[] { 4, 30, 24, 24 }, 2, 2, 0, new[] { 4, 30, 12, 12 })]
    [InlineData(new[] { 1, 2, 7, 7 }, 3, 2, 1, new[] { 1, 2, 4, 4 })]
    public void Output_shape_keeps_channels_and_includes_padding(int[] input, int size, int stride, int padding, int[] expected)
    {
        foreach (var pool in new Pooling[] { new MaxPooling(size, stride, padding), new AveragePooling(size, stride, padding) })
        {
            Assert.Equal(expected, pool.OutputShape(input));
            Assert.Equal(expected, pool.Forward(new Tensor(input), training: false).ShapeArray());
            Assert.Empty(pool.Parameters);
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Gradient_check_passes(string kind, int size, int stride, int padding, int side)
    {
        // Distinct values 0.1 apart keep every window's argmax fixed under the check's ±0.01 steps.
        var x = LayerTesting.DistinctShuffled(seed: 1, 2, 3, side, side);
        LayerTesting.AssertPasses(GradientCheck.Run(Create(kind, size, stride, padding), x, seed: 2));
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Gradient_check_fails_when_backward_is_off_by_ten_percent(string kind, int size, int stride, int padding, int side)
    {
        var x = LayerTesting.DistinctShuffled(seed: 1, 2, 3, side, side);
        var report = GradientCheck.Run(new SabotagedLayer(Create(kind, size, stride, padding), inputFactor: 1.1f), x, seed: 2);
        Assert.True(report.MaxRelativeError > 0.05, report.ToString());
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Backward_does_not_change_dout(string kind, int size, int stride, int padding, int side)
    {
        var pool = Create(kind, size, stride, padding);
        var y = pool.Forward(LayerTesting.DistinctShuffled(seed: 3, 2, 3, side, side), training: true);
        var dout = Tensor.RandomNormal(1f, Rng.Create(4), y.ShapeArray());
        var before = dout.Clone();
        pool.Backward(dout);
        Assert.Equal(before.Data, dout.Data);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Large_batches_match_a_naive_loop(string kind, int size, int stride, int padding, int side)
    {
        // 8·16 planes of about 24×24: enough work for the parallel path.
        int large = 4 * side - (side % 2 == 0 ? 0 : 3);
        var x = Tensor.RandomNormal(1f, Rng.Create(size * 10 + stride), 8, 16, large, large);
        var pool = Create(kind, size, stride, padding);
        var y = pool.Forward(x, training: true);
        var dout = Tensor.RandomNormal(1f, Rng.Create(5), y.ShapeArray());
        var dx = pool.Backward(dout);
        var (expectedY, expectedDx) = ReferencePooling(x, dout, kind == "max", size, stride, padding);
        for (int i = 0; i < y.Length; i++) Assert.Equal(expectedY.Data[i], y.Data[i], 1e-5f);
        for (int i = 0; i < dx.Length; i++) Assert.Equal(expectedDx.Data[i], dx.Data[i], 1e-5f);
    }

    [Theory]
    [InlineData(2, 2)]   // one output per row: no group of four
    [InlineData(4, 10)]  // 5 outputs per row: four at once, one alone
    [InlineData(6, 14)]
    [InlineData(8, 16)]
    [InlineData(24, 24)] // SimpleConvNet
    [InlineData(12, 26)]
    [InlineData(28, 28)] // LeNet-5
    [InlineData(10, 18)]
    [InlineData(4, 34)]  // 17 outputs per row: eight, eight, one
    [InlineData(6, 40)]  // 20: eight, eight, four
    public void Two_by_two_kernel_matches_the_naive_loop_exactly_including_ties(int h, int w)
    {
        // Values from {0, 1, 2}: most windows hold a tie, which must go to the first maximum in row-major order.
        var random = Rng.Create(h * 100 + w);
        var x = new Tensor(3, 5, h, w);
        for (int i = 0; i < x.Length; i++) x.Data[i] = random.Next(3);
        var pool = new MaxPooling(2);
        var y = pool.Forward(x, training: true);
        var dout = Tensor.RandomNormal(1f, Rng.Create(7), y.ShapeArray());
        var dx = pool.Backward(dout);
        var (expectedY, expectedDx) = ReferencePooling(x, dout, max: true, size: 2, stride: 2, padding: 0);
        Assert.Equal(expectedY.Data, y.Data);
        Assert.Equal(expectedDx.Data, dx.Data);

        // Backward writes every pixel of its reused ∂L/∂x (it does not clear it first): a second batch with other
        // maxima must leave nothing of the first one's gradient behind.
        for (int i = 0; i < x.Length; i++) x.Data[i] = random.Next(3);
        y = pool.Forward(x, training: true);
        dx = pool.Backward(dout);
        (expectedY, expectedDx) = ReferencePooling(x, dout, max: true, size: 2, stride: 2, padding: 0);
        Assert.Equal(expectedY.Data, y.Data);
        Assert.Equal(expectedDx.Data, dx.Data);
    }

    /// <summary>Forward and backward of the loop-level reference (<see cref="NaivePooling"/>).</summary>
    private static (Tensor Y, Tensor Dx) ReferencePooling(Tensor x, Tensor dout, bool max, int size, int stride, int padding) => max
        ? (NaivePooling.MaxForward(x, size, stride, padding), NaivePooling.MaxBackward(x, dout, size, stride, padding))
        : (NaivePooling.AverageForward(x, size, stride, padding), NaivePooling.AverageBackward(x, dout, size, stride, padding));

    [Fact]
    public void Input_of_the_wrong_rank_names_the_layer_and_the_shape()
    {
        var pool = new MaxPooling(2, name: "pool1");
        var e = Assert.Throws<ArgumentException>(() => pool.Forward(new Tensor(10, 784), training: true));
        Assert.Contains("MaxPooling 'pool1'", e.Message);
        Assert.Contains("[N, C, H, W]", e.Message);
        Assert.Contains("[10, 784]", e.Message);
    }

    [Fact]
    public void A_window_that_does_not_tile_the_input_names_the_layer()
    {
        var e = Assert.Throws<ArgumentException>(() => new AveragePooling(2, name: "pool2").Forward(new Tensor(1, 1, 5, 5), training: true));
        Assert.Contains("AveragePooling 'pool2'", e.Message);
        Assert.Contains("[1, 1, 5, 5]", e.Message);
    }

    [Theory]
    [InlineData(0, -1, 0)]
    [InlineData(-2, -1, 0)]
    [InlineData(2, 0, 0)]
    [InlineData(2, -2, 0)]
    [InlineData(2, 2, -1)]
    [InlineData(2, 2, 2)] // padding as large as the window: a window could hold only padding
    public void Bad_sizes_throw(int size, int stride, int padding)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPooling(size, stride, padding));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AveragePooling(size, stride, padding));
    }

    [Fact]
    public void Backward_before_forward_says_to_call_forward()
    {
        Assert.Throws<InvalidOperationException>(() => new MaxPooling(2).Backward(new Tensor(1, 1, 1, 1)));
        Assert.Throws<InvalidOperationException>(() => new AveragePooling(2).Backward(new Tensor(1, 1, 1, 1)));
    }

    [Fact]
    public void ToString_shows_window_stride_and_padding()
    {
        Assert.Equal("MaxPooling pool1: 2×2, stride 2", new MaxPooling(2, name: "pool1").ToString());
        Assert.Equal("AveragePooling averagepooling: 3×3, stride 1, padding 1", new AveragePooling(3, 1, 1).ToString());
        Assert.Equal("maxpooling", new MaxPooling(2).Name);
    }
}
