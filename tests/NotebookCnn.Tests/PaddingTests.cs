namespace NotebookCnn.Tests;

public class PaddingTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    public void Same_padding_is_half_the_kernel_size_rounded_down(int kernelSize, int expected) =>
        Assert.Equal(expected, Padding.Same(kernelSize));

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Same_padding_keeps_height_and_width_at_stride_1(int kernelSize)
    {
        var conv = new Convolution(2, 4, kernelSize, padding: Padding.Same(kernelSize));
        Assert.Equal(new[] { 1, 4, 9, 7 }, conv.OutputShape([1, 2, 9, 7]));
    }

    [Fact]
    public void Valid_padding_shrinks_by_kernel_size_minus_one()
    {
        var conv = new Convolution(1, 1, 5, padding: Padding.Valid);
        Assert.Equal(new[] { 1, 1, 24, 24 }, conv.OutputShape([1, 1, 28, 28]));
    }

    [Fact]
    public void Same_padding_throws_for_an_even_kernel_and_says_why()
    {
        var e = Assert.Throws<ArgumentException>(() => Padding.Same(4));
        Assert.Contains("kernelSize 4 is even", e.Message);
        Assert.Contains("odd kernel", e.Message);
    }
}
