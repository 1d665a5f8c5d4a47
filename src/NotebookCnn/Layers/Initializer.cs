namespace NotebookCnn;

/// <summary>
/// How a layer's initial weights are drawn. The scale matters: too small and signals fade layer by
/// layer, too large and they explode (chapter 05). Biases always start at zero.
/// </summary>
/// <remarks>
/// fan-in is the number of inputs of one output unit (D for an Affine layer, C·KH·KW for a convolution);
/// fan-out the number of outputs one input feeds (M for an Affine layer, F·KH·KW for a convolution).
/// </remarks>
public abstract class Initializer
{
    /// <summary>Normal with standard deviation <paramref name="std"/>, the same for every layer (DLFS uses 0.01).</summary>
    public static Initializer Normal(float std) => new NormalInitializer(std);

    /// <summary>
    /// Xavier/Glorot (Glorot and Bengio, 2010): std = √(2 / (fanIn + fanOut)), suited to sigmoid and tanh. It keeps the
    /// variance of the signal forward and of the gradient backward about equal; for a square layer it is √(1 / fanIn).
    /// </summary>
    public static Initializer Xavier { get; } = new GlorotInitializer();

    /// <summary>LeCun (LeCun et al., 1998, "Efficient BackProp"): std = √(1 / fanIn), suited to tanh; keeps the forward variance.</summary>
    public static Initializer LeCun { get; } = new FanInInitializer("LeCun", 1.0);

    /// <summary>He (2015): std = √(2 / fanIn), suited to ReLU, which zeroes half of its inputs.</summary>
    public static Initializer He { get; } = new FanInInitializer("He", 2.0);

    /// <summary>The standard deviation for a layer with <paramref name="fanIn"/> inputs per output unit and <paramref name="fanOut"/> outputs per input.</summary>
    public abstract float StandardDeviation(int fanIn, int fanOut);

    /// <summary>The standard deviation for a square layer (as many outputs as inputs, e.g. 100 → 100).</summary>
    public float StandardDeviation(int fanIn) => StandardDeviation(fanIn, fanIn);

    /// <summary>Draws a weight tensor of <paramref name="shape"/> for a layer with the given fan-in and fan-out.</summary>
    public Tensor Create(int fanIn, int fanOut, Random random, params int[] shape) =>
        Tensor.RandomNormal(StandardDeviation(fanIn, fanOut), random, shape);

    private sealed class NormalInitializer(float std) : Initializer
    {
        public override float StandardDeviation(int fanIn, int fanOut) => std;
        public override string ToString() => $"Normal(std={std})";
    }

    private sealed class FanInInitializer(string name, double gain) : Initializer
    {
        public override float StandardDeviation(int fanIn, int fanOut) => (float)Math.Sqrt(gain / fanIn);
        public override string ToString() => name;
    }

    private sealed class GlorotInitializer : Initializer
    {
        public override float StandardDeviation(int fanIn, int fanOut) => (float)Math.Sqrt(2.0 / (fanIn + fanOut));
        public override string ToString() => "Xavier";
    }
}
