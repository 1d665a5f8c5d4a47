namespace NotebookCnn.Tests;

public class InitializerTests
{
    private static double Std(Tensor t) => Math.Sqrt(t.Data.Sum(v => (double)v * v) / t.Length);

    [Fact]
    public void Xavier_is_Glorot_square_root_of_two_over_fan_in_plus_fan_out()
    {
        Assert.Equal(Math.Sqrt(2.0 / (784 + 100)), Initializer.Xavier.StandardDeviation(784, 100), 6);
        // A square layer: √(2 / 2n) = √(1 / n), the number chapter 05 prints for n = 100.
        Assert.Equal(0.1, Initializer.Xavier.StandardDeviation(100), 6);
    }

    [Fact]
    public void LeCun_and_He_use_only_the_fan_in()
    {
        Assert.Equal(Math.Sqrt(1.0 / 784), Initializer.LeCun.StandardDeviation(784, 100), 6);
        Assert.Equal(Math.Sqrt(2.0 / 784), Initializer.He.StandardDeviation(784, 100), 6);
        Assert.Equal(0.01, Initializer.Normal(0.01f).StandardDeviation(784, 100), 6);
    }

    [Fact]
    public void Affine_and_convolution_draw_Xavier_weights_from_their_fan_in_and_fan_out()
    {
        var affine = new Affine(800, 200, Initializer.Xavier, seed: 1);
        Assert.InRange(Std(affine.Weight.Value), 0.95 * Math.Sqrt(2.0 / 1000), 1.05 * Math.Sqrt(2.0 / 1000));
        // Convolution: fan-in C·KH·KW = 3·5·5 = 75, fan-out F·KH·KW = 64·5·5 = 1600.
        var conv = new Convolution(3, 64, 5, initializer: Initializer.Xavier, seed: 2);
        Assert.InRange(Std(conv.Weight.Value), 0.95 * Math.Sqrt(2.0 / 1675), 1.05 * Math.Sqrt(2.0 / 1675));
    }

    [Fact]
    public void Recurrent_layers_draw_LeCun_weights_by_default()
    {
        var lstm = new Lstm(300, 50, seed: 3);
        Assert.InRange(Std(lstm.InputGate.WeightInput.Value), 0.95 * Math.Sqrt(1.0 / 300), 1.05 * Math.Sqrt(1.0 / 300));
    }

    [Fact]
    public void Initializers_print_their_names()
    {
        Assert.Equal("Xavier", Initializer.Xavier.ToString());
        Assert.Equal("LeCun", Initializer.LeCun.ToString());
        Assert.Equal("He", Initializer.He.ToString());
    }
}
