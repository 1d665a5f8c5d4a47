namespace NotebookCnn;

/// <summary>
/// How a layer's initial weights are drawn. The scale matters: too small and signals fade layer by
/// layer, too large and they explode (chapter 05). Biases always start at zero.
/// </summary>
public abstract class Initializer
{
    /// <summary>Normal with standard deviation <paramref name="std"/>, the same for every layer (DLFS uses 0.01).</summary>
    public static Initializer Normal(float std) => new NormalInitializer(std);

    /// <summary>Xavier/Glorot (2010): std = √(1 / fanIn), suited to sigmoid and tanh.</summary>
    public static Initializer Xavier { get; } = new ScaledInitializer("Xavier", 1.0);

    /// <summary>He (2015): std = √(2 / fanIn), suited to ReLU, which zeroes half of its inputs.</summary>
    public static Initializer He { get; } = new ScaledInitializer("He", 2.0);

    /// <summary>The standard deviation used for a layer with <paramref name="fanIn"/> inputs per output unit.</summary>
    public abstract float StandardDeviation(int fanIn);

    /// <summary>Draws a weight tensor of <paramref name="shape"/> for a layer with <paramref name="fanIn"/> inputs per unit.</summary>
    public Tensor Create(int fanIn, Random random, params int[] shape) =>
        Tensor.RandomNormal(StandardDeviation(fanIn), random, shape);

    private sealed class NormalInitializer(float std) : Initializer
    {
        public override float StandardDeviation(int fanIn) => std;
        public override string ToString() => $"Normal(std={std})";
    }

    private sealed class ScaledInitializer(string name, double gain) : Initializer
    {
        public override float StandardDeviation(int fanIn) => (float)Math.Sqrt(gain / fanIn);
        public override string ToString() => name;
    }
}
