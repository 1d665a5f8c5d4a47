using NotebookCnn.Reference;

namespace NotebookCnn.Tests;

public class ConvolutionTests
{
    [Theory]
    [InlineData(1, 1, 3, 3, 5, 5, 1, 0)]
    [InlineData(3, 2, 3, 3, 7, 7, 2, 1)]
    [InlineData(2, 4, 2, 3, 6, 7, 1, 2)]
    [InlineData(2, 3, 3, 2, 7, 6, 2, 0)]
    public void Convolution_matches_naive_loop(int c, int f, int kh, int kw, int h, int w, int stride, int padding)
    {
        var conv = new Convolution(c, f, (kh, kw), stride, padding, seed: 1);
        TestData.Random(9, f).Data.CopyTo(conv.Bias.Value.Data, 0);
        var x = TestData.Random(2, 2, c, h, w);
        var expected = NaiveConvolution.Forward(x, conv.Weight.Value, conv.Bias.Value, stride, padding);
        var actual = conv.Forward(x, training: true);
        Assert.Equal(expected.ShapeArray(), actual.ShapeArray());
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected.Data[i], actual.Data[i], 4);
    }

    [Theory]
    [InlineData(1, 1, 3, 3, 5, 5, 1, 0)]   // one channel, stride 1
    [InlineData(3, 2, 3, 3, 5, 5, 1, 1)]   // several channels, padding 1
    [InlineData(2, 3, 3, 3, 7, 7, 2, 1)]   // stride 2, padding 1
    [InlineData(2, 2, 3, 3, 4, 4, 1, 2)]   // padding 2 (output larger than input)
    [InlineData(2, 2, 2, 3, 5, 6, 1, 0)]   // non-square kernel
    [InlineData(1, 2, 3, 2, 7, 6, 2, 0)]   // non-square kernel with stride 2
    public void Convolution_gradient_check_passes(int c, int f, int kh, int kw, int h, int w, int stride, int padding)
    {
        var conv = new Convolution(c, f, (kh, kw), stride, padding, seed: 1);
        TestData.Random(9, f).Data.CopyTo(conv.Bias.Value.Data, 0);
        var report = GradientCheck.Run(conv, TestData.Random(2, 2, c, h, w), seed: 3);
        Assert.True(report.MaxRelativeError <= TestData.GradientTolerance, report.ToString());
        Assert.Equal(3, report.Results.Count);
    }

    /// <summary>A Convolution whose Backward forgets the bias gradient: the check must catch it.</summary>
    private sealed class ConvolutionWithWrongGradient() : Convolution(2, 2, 3, seed: 1)
    {
        public override Tensor Backward(Tensor dout)
        {
            var dx = base.Backward(dout);
            Bias.Gradient.Clear();
            for (int i = 0; i < dx.Length; i++) dx.Data[i] *= 0.5f;
            return dx;
        }
    }

    [Fact]
    public void Gradient_check_catches_a_wrong_Convolution_gradient()
    {
        var report = GradientCheck.Run(new ConvolutionWithWrongGradient(), TestData.Random(2, 2, 2, 5, 5), seed: 3);
        Assert.True(report["conv.bias"].RelativeError > 0.5, report.ToString());
        Assert.True(report["input"].RelativeError > 0.3, report.ToString());
        Assert.True(report["conv.weight"].RelativeError <= TestData.GradientTolerance, report.ToString());
    }

    [Fact]
    public void Convolutions_of_different_sizes_share_per_thread_buffers_without_mixing_their_numbers()
    {
        // Each thread keeps one image's columns for every Convolution; a big layer then a small one (and back) must give
        // the numbers each gives on its own: nothing left over from the other's larger columns.
        var big = new Convolution(3, 4, 5, padding: 2, seed: 1);
        var small = new Convolution(2, 3, 3, seed: 2);
        var bigInput = TestData.Random(3, 4, 3, 12, 12);
        var smallInput = TestData.Random(4, 5, 2, 6, 6);
        Tensor bigAlone = big.Forward(bigInput, training: false);
        Tensor smallAlone = small.Forward(smallInput, training: false);
        Tensor smallGradientAlone = small.Backward(TestData.Random(5, 5, 3, 4, 4)).Clone();
        float[] smallWeightGradient = small.Weight.Gradient.Data.ToArray();

        big.Forward(bigInput, training: true);
        big.Backward(TestData.Random(6, 4, 4, 12, 12));
        Assert.Equal(smallAlone.Data, small.Forward(smallInput, training: false).Data);
        Assert.Equal(smallGradientAlone.Data, small.Backward(TestData.Random(5, 5, 3, 4, 4)).Data);
        Assert.Equal(smallWeightGradient, small.Weight.Gradient.Data);
        Assert.Equal(bigAlone.Data, big.Forward(bigInput, training: false).Data);
    }

    [Fact]
    public void Weight_and_bias_have_the_documented_shapes_and_names()
    {
        var conv = new Convolution(1, 30, 5, name: "conv1");
        Assert.Equal([30, 1, 5, 5], conv.Weight.Value.ShapeArray());
        Assert.Equal([30], conv.Bias.Value.ShapeArray());
        Assert.Equal("conv1.weight", conv.Weight.Name);
        Assert.Equal("conv1.bias", conv.Bias.Name);
        Assert.False(conv.Bias.IsWeight);
        Assert.Equal(780, conv.ParameterCount);
        Assert.Equal("Convolution conv1: 1→30, kernel 5×5, stride 1, padding 0", conv.ToString());
        Assert.Equal("Convolution conv: 3→8, kernel 1×2, stride 2, padding 1", new Convolution(3, 8, (1, 2), 2, 1).ToString());
    }

    [Fact]
    public void Wrong_channel_count_names_the_layer_and_both_shapes()
    {
        var conv = new Convolution(1, 30, 5, name: "conv1");
        var e = Assert.Throws<ArgumentException>(() => conv.Forward(new Tensor(100, 3, 28, 28), training: true));
        Assert.Equal("Convolution 'conv1' expects 1 input channel, got 3: input shape [100, 3, 28, 28].", e.Message);
        Assert.Throws<ArgumentException>(() => conv.OutputShape([100, 3, 28, 28]));
    }

    [Fact]
    public void Wrong_rank_names_the_layer_and_the_shape()
    {
        var conv = new Convolution(1, 30, 5, name: "conv1");
        var e = Assert.Throws<ArgumentException>(() => conv.Forward(new Tensor(100, 784), training: true));
        Assert.Equal("Convolution 'conv1' expects a 4-D input [N, C, H, W], got 2-D: input shape [100, 784].", e.Message);
    }

    [Fact]
    public void A_window_that_does_not_fit_a_whole_number_of_times_is_reported_with_the_layer_name()
    {
        var conv = new Convolution(1, 2, 2, stride: 2, name: "conv1");
        var e = Assert.Throws<ArgumentException>(() => conv.Forward(new Tensor(1, 1, 5, 5), training: true));
        Assert.Contains("Convolution 'conv1'", e.Message);
        Assert.Contains("[1, 1, 5, 5]", e.Message);
        Assert.Contains("not a whole number", e.Message);
    }

    [Theory]
    [InlineData(0, 1, 3, 1, 0, "inChannels")]
    [InlineData(1, 0, 3, 1, 0, "filters")]
    [InlineData(1, 1, 0, 1, 0, "kernelSize")]
    [InlineData(1, 1, 3, 0, 0, "stride")]
    [InlineData(1, 1, 3, 1, -1, "padding")]
    public void Invalid_hyperparameters_are_rejected_with_the_layer_name_and_value(
        int inChannels, int filters, int kernelSize, int stride, int padding, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(
            () => new Convolution(inChannels, filters, kernelSize, stride, padding, name: "conv1"));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains("Convolution 'conv1'", e.Message);
    }

    [Fact]
    public void Non_square_kernel_sides_must_be_positive()
    {
        Assert.Equal("kernelWidth", Assert.Throws<ArgumentOutOfRangeException>(() => new Convolution(1, 1, (3, 0))).ParamName);
        Assert.Equal("kernelHeight", Assert.Throws<ArgumentOutOfRangeException>(() => new Convolution(1, 1, (-1, 2))).ParamName);
    }

    [Fact]
    public void Backward_before_Forward_explains_what_to_do()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new Convolution(1, 1, 3).Backward(new Tensor(1, 1, 1, 1)));
        Assert.Contains("Backward was called before Forward", e.Message);
    }

    [Fact]
    public void Backward_with_the_wrong_dout_shape_names_both_shapes()
    {
        var conv = new Convolution(1, 2, 3);
        conv.Forward(new Tensor(1, 1, 5, 5), training: true);
        var e = Assert.Throws<ArgumentException>(() => conv.Backward(new Tensor(1, 2, 5, 5)));
        Assert.Contains("[1, 2, 3, 3]", e.Message);
        Assert.Contains("[1, 2, 5, 5]", e.Message);
    }

    [Fact]
    public void OutputShape_follows_the_output_size_rule()
    {
        Assert.Equal([100, 30, 24, 24], new Convolution(1, 30, 5).OutputShape([100, 1, 28, 28]));
        Assert.Equal([8, 16, 14, 14], new Convolution(3, 16, 3, stride: 2, padding: 1).OutputShape([8, 3, 27, 27]));
        Assert.Equal([1, 1, 5, 3], new Convolution(1, 1, (1, 3)).OutputShape([1, 1, 5, 5]));
    }
}
