namespace NotebookCnn.Tests;

public class TensorTextTests
{
    [Fact]
    public void A_matrix_is_written_one_row_per_line_with_aligned_columns()
    {
        var m = Tensor.FromArray(new float[,] { { 1, 2, 30 }, { 4, 5.5f, 6 } });
        Assert.Equal("[[  1,   2,  30],\n [  4, 5.5,   6]]", TensorText.Format(m));
    }

    [Fact]
    public void A_vector_is_written_on_one_line()
    {
        Assert.Equal("[1, 2, 3]", TensorText.Format(Tensor.FromArray(new float[] { 1, 2, 3 })));
    }

    [Fact]
    public void Blocks_of_a_3d_tensor_are_separated_by_a_blank_line()
    {
        var t = new Tensor(new float[] { 0, 1, 2, 3, 4, 5, 6, 7 }, 2, 2, 2);
        Assert.Equal("[[[0, 1],\n  [2, 3]],\n\n [[4, 5],\n  [6, 7]]]", TensorText.Format(t));
    }

    [Fact]
    public void Long_axes_show_their_first_and_last_values_around_an_ellipsis()
    {
        var v = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => (float)i).ToArray());
        Assert.Equal("[0, 1, …, 8, 9]", TensorText.Format(v, maxPerAxis: 4));
    }

    [Fact]
    public void Decimals_are_rounded_and_negative_zero_is_written_as_zero()
    {
        var v = Tensor.FromArray(new float[] { 0.123f, -0.001f, 2f });
        Assert.Equal("[0.12,    0,    2]", TensorText.Format(v));
        Assert.Equal("[0.1,   0,   2]", TensorText.Format(v, decimals: 1));
    }
}
