namespace NotebookCnn.Tests;

/// <summary>Chapter 10: a fully connected layer is a convolution, with a global kernel or, per pixel, a 1×1 kernel.</summary>
public class FullyConnectedAsConvolutionTests
{
    private static Affine RandomAffine(int inputs, int outputs, int seed)
    {
        var affine = new Affine(inputs, outputs, seed: seed);
        affine.Bias.Value.CopyFrom(Tensor.RandomNormal(1f, Rng.Create(seed + 100), outputs)); // non-zero biases, so they are checked too
        return affine;
    }

    [Fact]
    public void Affine_on_a_flattened_image_equals_a_convolution_with_a_kernel_as_large_as_the_image()
    {
        var affine = RandomAffine(3 * 4 * 5, 7, seed: 1);
        var x = Tensor.RandomNormal(1f, Rng.Create(2), 2, 3, 4, 5);

        var conv = Convolution.FromAffine(affine, channels: 3, height: 4, width: 5);
        var fromConv = conv.Forward(x, training: false);
        var fromAffine = affine.Forward(x, training: false);

        Assert.Equal(new[] { 2, 7, 1, 1 }, fromConv.ShapeArray());
        Assert.Equal(4 * 5, conv.KernelHeight * conv.KernelWidth);
        for (int i = 0; i < fromAffine.Length; i++) Assert.Equal(fromAffine.Data[i], fromConv.Data[i], 1e-4f);
        Assert.Equal(affine.ParameterCount, conv.ParameterCount);
    }

    [Fact]
    public void Affine_applied_to_each_pixel_equals_a_1x1_convolution()
    {
        const int c = 3, m = 4, n = 2, h = 5, w = 6;
        var affine = RandomAffine(c, m, seed: 3);
        var x = Tensor.RandomNormal(1f, Rng.Create(4), n, c, h, w);

        var y = Convolution.FromAffine(affine).Forward(x, training: false);

        Assert.Equal(new[] { n, m, h, w }, y.ShapeArray());
        for (int b = 0; b < n; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    var pixel = new Tensor(1, c);
                    for (int k = 0; k < c; k++) pixel.Data[k] = x[b, k, i, j];
                    var expected = affine.Forward(pixel, training: false);
                    for (int f = 0; f < m; f++) Assert.Equal(expected.Data[f], y[b, f, i, j], 1e-5f);
                }
    }

    [Fact]
    public void FromAffine_throws_when_the_kernel_does_not_hold_the_affine_inputs()
    {
        var e = Assert.Throws<ArgumentException>(() => Convolution.FromAffine(new Affine(400, 120, name: "c5"), 16, 4, 4));
        Assert.Contains("'c5' takes 400 values", e.Message);
        Assert.Contains("holds 256", e.Message);
    }
}
