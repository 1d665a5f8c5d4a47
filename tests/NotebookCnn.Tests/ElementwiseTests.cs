namespace NotebookCnn.Tests;

public class ElementwiseTests
{
    // Lengths around the vector width (8 or 16 floats) and a long one: the vector part, the tail, and both.
    public static TheoryData<int> Lengths => new() { 0, 1, 7, 8, 9, 16, 17, 31, 100, 1027 };

    private static float[] RandomArray(int seed, int length)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(random.NextDouble() * 4 - 2);
        return values;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Add_subtract_and_multiply_match_scalar_loops(int length)
    {
        float[] x = RandomArray(1, length), y = RandomArray(2, length);
        float[] sum = new float[length], difference = new float[length], product = new float[length];
        Elementwise.Add(x, y, sum);
        Elementwise.Subtract(x, y, difference);
        Elementwise.Multiply(x, y, product);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(x[i] + y[i], sum[i]);
            Assert.Equal(x[i] - y[i], difference[i]);
            Assert.Equal(x[i] * y[i], product[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Scale_and_add_scaled_match_scalar_loops(int length)
    {
        float[] x = RandomArray(3, length), start = RandomArray(4, length);
        float[] scaled = new float[length], axpy = (float[])start.Clone();
        Elementwise.Scale(x, -0.37f, scaled);
        Elementwise.AddScaled(axpy, x, 0.01f);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(-0.37f * x[i], scaled[i]);
            Assert.Equal(start[i] + 0.01f * x[i], axpy[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Relu_matches_scalar_loop_in_place(int length)
    {
        float[] x = RandomArray(5, length);
        float[] expected = x.Select(v => v > 0f ? v : 0f).ToArray();
        Elementwise.Relu(x, x);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void Relu_maps_nan_and_negative_zero_to_zero()
    {
        float[] x = [float.NaN, -0f, -1f, 2f, float.NaN, 0f, -3f, 4f, float.NaN];
        float[] result = new float[x.Length];
        Elementwise.Relu(x, result);
        Assert.Equal(new[] { 0f, 0f, 0f, 2f, 0f, 0f, 0f, 4f, 0f }, result);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Sum_matches_a_double_loop(int length)
    {
        float[] x = RandomArray(6, length);
        double expected = x.Sum(v => (double)v);
        Assert.True(Math.Abs(Elementwise.Sum(x) - expected) <= 1e-6 * (length + 1), $"sum of {length} values");
    }

    [Fact]
    public void Mismatched_lengths_throw_naming_them()
    {
        var e = Assert.Throws<ArgumentException>(() => Elementwise.Add(new float[3], new float[4], new float[3]));
        Assert.Contains("Elementwise.Add", e.Message);
        Assert.Contains("3 and 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => Elementwise.AddScaled(new float[5], new float[3], 1f));
        Assert.Contains("3 in and 5 out", e.Message);
    }
}
