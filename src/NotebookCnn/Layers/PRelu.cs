using System.Globalization;

namespace NotebookCnn;

/// <summary>
/// Parametric ReLU (He et al. 2015): y = x for x &gt; 0, y = a · x otherwise, where the slope a is learned —
/// one per channel for images [N, C, H, W], one per feature for [N, D].
/// </summary>
public class PRelu : Layer
{
    private readonly Parameter _slope;
    private float[]? _input;     // a copy of x: Backward needs its sign and, for ∂L/∂a, its value
    private int[]? _outputShape;

    /// <summary>Creates a PReLU layer.</summary>
    /// <param name="channels">The number of channels C (or features D): dimension 1 of the input.</param>
    /// <param name="initialSlope">The starting slope for negative inputs (0.25 in the paper).</param>
    /// <param name="name">The layer's name; "prelu" unless given. The parameter is called <c>{name}.slope</c>.</param>
    public PRelu(int channels, float initialSlope = 0.25f, string? name = null) : base(name ?? "prelu")
    {
        LayerInput.RequirePositive(nameof(PRelu), nameof(channels), channels);
        Channels = channels;
        // Not a weight: decaying the slope towards 0 would push PReLU towards ReLU, which is not the intent.
        _slope = new Parameter($"{Name}.slope", Tensor.Full(initialSlope, channels), isWeight: false);
    }

    /// <summary>The number of channels (or features), each with its own slope.</summary>
    public int Channels { get; }

    /// <summary>The learned slopes, one per channel.</summary>
    public Parameter Slope => _slope;

    /// <summary>x for x &gt; 0, else slope · x, for plotting.</summary>
    public static float Function(float x, float slope) => x > 0f ? x : slope * x;

    /// <summary>∂y/∂x: 1 for x &gt; 0, else slope.</summary>
    public static float Derivative(float x, float slope) => x > 0f ? 1f : slope;

    /// <summary>∂y/∂slope: 0 for x &gt; 0, else x. This is what makes the slope learnable.</summary>
    public static float SlopeDerivative(float x) => x > 0f ? 0f : x;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters
    {
        get
        {
            _slope.Name = $"{Name}.slope"; // follow the layer's name if a container renamed it
            return [_slope];
        }
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        LayerInput.RequirePerChannel(this, x.Shape, Channels);
        int channels = Channels, planeSize = LayerInput.PlaneSize(x.Shape), planes = x.Dim(0) * channels;
        var y = x.ZerosLike();
        _input = ParallelLoops.Reuse(_input, x.Length);
        x.Data.CopyTo(_input, 0);
        float[] input = x.Data, output = y.Data, slope = _slope.Value.Data;
        ParallelLoops.ForEachItem(planes, planeSize, plane =>
        {
            float a = slope[plane % channels];
            for (int i = plane * planeSize; i < (plane + 1) * planeSize; i++) output[i] = Function(input[i], a);
        });
        _outputShape = x.ShapeArray();
        return y;
    }

    /// <summary>
    /// dx = dout ⊙ (1 or a); ∂L/∂a_c = Σ dout · x over the negative inputs of channel c (all images, all pixels).
    /// Writes the slope gradient (does not add to it); <paramref name="dout"/> is not changed.
    /// </summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _outputShape);
        int channels = Channels, planeSize = LayerInput.PlaneSize(dout.Shape), batch = dout.Dim(0);
        var dx = dout.ZerosLike();
        float[] d = dout.Data, x = _input!, result = dx.Data, slope = _slope.Value.Data, slopeGradient = _slope.Gradient.Data;
        // One task per channel, so each slope's sum has a single writer.
        ParallelLoops.ForEachItem(channels, (long)batch * planeSize, c =>
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
                for (int i = (n * channels + c) * planeSize, end = i + planeSize; i < end; i++)
                {
                    result[i] = d[i] * Derivative(x[i], slope[c]);
                    sum += (double)d[i] * SlopeDerivative(x[i]);
                }
            slopeGradient[c] = (float)sum;
        });
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        LayerInput.RequirePerChannel(this, inputShape, Channels);
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"PRelu {Name}: {Channels} slopes");
}
