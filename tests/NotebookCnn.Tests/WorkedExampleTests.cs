namespace NotebookCnn.Tests;

/// <summary>The hand-computed examples of chapters 02 and 03, checked against the library.</summary>
public class WorkedExampleTests
{
    private static readonly float[] Input4x4 = [1, 2, 3, 0, 0, 1, 2, 3, 3, 0, 1, 2, 2, 3, 0, 1];
    private static readonly float[] Filter3x3 = [2, 0, 1, 0, 1, 2, 1, 0, 2];

    private static Tensor Convolve(float[] image, int size, float[] kernel, int kernelSize, float bias = 0, int padding = 0)
    {
        var conv = new Convolution(1, 1, kernelSize, padding: padding);
        TestData.Set(conv.Weight, kernel);
        TestData.Set(conv.Bias, bias);
        return conv.Forward(new Tensor((float[])image.Clone(), 1, 1, size, size), training: false);
    }

    [Fact]
    public void Sliding_the_3x3_filter_over_the_4x4_input_gives_15_16_6_15()
    {
        // Top-left window: 1·2 + 2·0 + 3·1 + 0·0 + 1·1 + 2·2 + 3·1 + 0·0 + 1·2 = 15.
        Assert.Equal([15f, 16, 6, 15], Convolve(Input4x4, 4, Filter3x3, 3).Data);
    }

    [Fact]
    public void A_bias_of_3_is_added_to_every_output()
    {
        Assert.Equal([18f, 19, 9, 18], Convolve(Input4x4, 4, Filter3x3, 3, bias: 3).Data);
    }

    [Fact]
    public void Padding_1_keeps_the_4x4_size()
    {
        // With a border of zeros the top-left window covers [[0,0,0],[0,1,2],[0,0,1]]:
        // 0·2 + 0·0 + 0·1 + 0·0 + 1·1 + 2·2 + 0·1 + 0·0 + 1·2 = 7. The inner 2×2 is the unpadded result.
        float[] expected =
        [
            7, 12, 10, 2,
            4, 15, 16, 10,
            10, 6, 15, 6,
            8, 10, 4, 3,
        ];
        var y = Convolve(Input4x4, 4, Filter3x3, 3, padding: 1);
        Assert.Equal([1, 1, 4, 4], y.ShapeArray());
        Assert.Equal(expected, y.Data);
    }

    [Fact]
    public void A_vertical_edge_kernel_responds_only_at_the_edge()
    {
        // 6×6 image: left half 10, right half 0. Kernel columns [1, 0, −1] respond to left-minus-right.
        var image = new float[36];
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 3; c++) image[r * 6 + c] = 10;
        float[] kernel = [1, 0, -1, 1, 0, -1, 1, 0, -1];
        var y = Convolve(image, 6, kernel, 3);
        Assert.Equal([1, 1, 4, 4], y.ShapeArray());
        for (int r = 0; r < 4; r++)
            Assert.Equal([0f, 30, 30, 0], y.Data.AsSpan(r * 4, 4).ToArray());
    }

    [Fact]
    public void Several_channels_are_summed_and_several_filters_give_several_maps()
    {
        // Two channels, both the 4×4 input; filter 0 uses the 3×3 filter on both, filter 1 on channel 0 only.
        var conv = new Convolution(2, 2, 3);
        float[] zeros = new float[9];
        TestData.Set(conv.Weight, [.. Filter3x3, .. Filter3x3, .. Filter3x3, .. zeros]);
        TestData.Set(conv.Bias, 0, 1);
        var y = conv.Forward(new Tensor([.. Input4x4, .. Input4x4], 1, 2, 4, 4), training: false);
        Assert.Equal([1, 2, 2, 2], y.ShapeArray());
        Assert.Equal([30f, 32, 12, 30, 16, 17, 7, 16], y.Data);
    }

    [Theory]
    [InlineData(4, 3, 0, 1, 2)]
    [InlineData(4, 3, 1, 1, 4)]
    [InlineData(6, 3, 0, 1, 4)]
    [InlineData(28, 5, 0, 1, 24)]
    [InlineData(28, 5, 2, 1, 28)]
    [InlineData(7, 3, 0, 2, 3)]
    [InlineData(7, 3, 1, 2, 4)]
    [InlineData(32, 5, 0, 1, 28)]
    [InlineData(227, 11, 0, 4, 55)]
    public void Output_size_is_H_plus_2P_minus_FH_over_S_plus_1(int h, int fh, int p, int s, int expected)
    {
        Assert.Equal(expected, Im2Col.OutputSize(h, fh, s, p));
        Assert.Equal([1, 1, expected, expected], new Convolution(1, 1, fh, s, p).OutputShape([1, 1, h, h]));
    }

    [Theory]
    [InlineData(5, 2, 0, 2)]
    [InlineData(28, 5, 0, 2)]
    [InlineData(7, 4, 1, 3)]
    public void Output_size_that_is_not_whole_is_an_error(int h, int fh, int p, int s)
    {
        var e = Assert.Throws<ArgumentException>(() => Im2Col.OutputSize(h, fh, s, p));
        Assert.Contains("not a whole number", e.Message);
    }
}
