namespace NotebookCnn.Tests;

public class Im2ColTransposedTests
{
    private static float[] RandomArray(int seed, int length)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    [Theory]
    [MemberData(nameof(Im2ColTests.Geometries), MemberType = typeof(Im2ColTests))]
    public void Unfold_of_each_image_is_the_transpose_of_that_images_im2col_rows(int n, int c, int h, int w, int kh, int kw, int stride, int padding)
    {
        var x = new Tensor(RandomArray(n + 10 * c + 100 * h, n * c * h * w), n, c, h, w);
        Tensor cols = Im2Col.Unfold(x, kh, kw, stride, padding); // [N·OH·OW, C·KH·KW], checked against the naive loop
        var g = new Im2Col.Geometry("test", n, c, h, w, kh, kw, stride, padding);
        int positions = g.OutHeight * g.OutWidth, rowLength = g.RowLength;
        var columns = new float[rowLength * positions + 3];
        Array.Fill(columns, float.NaN); // every value must be written (the 3 spare ones must not)
        for (int b = 0; b < n; b++)
        {
            Im2ColTransposed.Unfold(x.Data, b * c * h * w, g, columns);
            for (int r = 0; r < rowLength; r++)
                for (int p = 0; p < positions; p++)
                    Assert.Equal(cols.Data[(b * positions + p) * rowLength + r], columns[r * positions + p]);
            Assert.True(columns[^3..].All(float.IsNaN));
        }
    }

    [Theory]
    [MemberData(nameof(Im2ColTests.Geometries), MemberType = typeof(Im2ColTests))]
    public void Fold_of_each_image_matches_col2im_of_the_transposed_columns(int n, int c, int h, int w, int kh, int kw, int stride, int padding)
    {
        var g = new Im2Col.Geometry("test", n, c, h, w, kh, kw, stride, padding);
        int positions = g.OutHeight * g.OutWidth, rowLength = g.RowLength, imageLength = c * h * w;
        var cols = new Tensor(RandomArray(7 + n, n * positions * rowLength), n * positions, rowLength);
        Tensor expected = Col2Im.Fold(cols, [n, c, h, w], kh, kw, stride, padding); // checked against the naive loop
        var x = new float[n * imageLength];
        Array.Fill(x, 1e6f); // Fold clears its image first
        var columns = new float[rowLength * positions];
        for (int b = 0; b < n; b++)
        {
            for (int r = 0; r < rowLength; r++)
                for (int p = 0; p < positions; p++)
                    columns[r * positions + p] = cols.Data[(b * positions + p) * rowLength + r];
            Im2ColTransposed.Fold(columns, g, x, b * imageLength);
        }
        // The same terms per pixel, added in another order: equal up to float rounding.
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(x[i] - expected.Data[i]) <= 1e-5f * (1 + Math.Abs(expected.Data[i])), $"pixel {i}: {x[i]} vs {expected.Data[i]}");
    }

    [Fact]
    public void Arrays_too_short_for_the_image_or_the_columns_are_refused_before_any_value_is_touched()
    {
        var g = new Im2Col.Geometry("test", 2, 2, 5, 5, 3, 3, 1, 1);
        var x = new float[2 * 50];
        var columns = new float[g.RowLength * 25];
        Assert.Throws<ArgumentException>(() => Im2ColTransposed.Unfold(x, 51, g, columns));        // second image starts at 50
        Assert.Throws<ArgumentException>(() => Im2ColTransposed.Unfold(x, 0, g, new float[10]));
        Assert.Throws<ArgumentException>(() => Im2ColTransposed.Fold(columns, g, x, -1));
        Assert.Throws<ArgumentException>(() => Im2ColTransposed.Fold(new float[10], g, x, 0));
        Im2ColTransposed.Unfold(x, 50, g, columns); // the last image fits exactly
    }

    [Fact]
    public void Fold_touches_only_its_own_image()
    {
        var g = new Im2Col.Geometry("test", 3, 2, 5, 5, 3, 3, 1, 1);
        var x = new float[3 * 50];
        Array.Fill(x, 42f);
        Im2ColTransposed.Fold(new float[g.RowLength * 25], g, x, 50);
        Assert.All(x[..50], v => Assert.Equal(42f, v));
        Assert.All(x[50..100], v => Assert.Equal(0f, v));
        Assert.All(x[100..], v => Assert.Equal(42f, v));
    }
}
