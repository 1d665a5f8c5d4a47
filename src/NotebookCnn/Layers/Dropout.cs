using System.Globalization;

namespace NotebookCnn;

/// <summary>
/// Dropout (Srivastava et al. 2014): in training, each unit is dropped (set to 0) with probability
/// <see cref="DropoutRatio"/> and the kept units are scaled by 1 / (1 − ratio) — "inverted" dropout —
/// so the expected output equals the input. At inference every unit is kept and nothing is scaled
/// (chapter 08).
/// </summary>
/// <remarks>
/// The mask comes from the layer's own seeded <see cref="Random"/>; <see cref="Reseed"/> restarts it,
/// which is how a gradient check sees the same mask in every forward pass.
/// </remarks>
public class Dropout : Layer, IStochasticLayer
{
    private Random _random;
    private float[]? _mask;       // 0 for dropped units, 1 / (1 − ratio) for kept ones: all Backward needs
    private bool _lastForwardWasTraining;
    private int[]? _outputShape;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="dropoutRatio">The probability of dropping a unit, in [0, 1).</param>
    /// <param name="seed">Seed of the mask's random sequence.</param>
    /// <param name="name">The layer's name; "dropout" unless given.</param>
    /// <exception cref="ArgumentOutOfRangeException">The ratio is not in [0, 1).</exception>
    public Dropout(float dropoutRatio = 0.5f, int seed = 0, string? name = null) : base(name ?? "dropout")
    {
        if (!(dropoutRatio >= 0f && dropoutRatio < 1f))
            throw new ArgumentOutOfRangeException(nameof(dropoutRatio), dropoutRatio,
                string.Create(CultureInfo.InvariantCulture,
                    $"Dropout '{Name}': dropoutRatio must be in [0, 1) (the probability of dropping a unit; 1 would drop all), got {dropoutRatio}."));
        DropoutRatio = dropoutRatio;
        _random = Rng.Create(seed);
    }

    /// <summary>The probability of dropping each unit in training.</summary>
    public float DropoutRatio { get; }

    /// <summary>Restarts the mask's random sequence from <paramref name="seed"/>.</summary>
    public void Reseed(int seed) => _random = Rng.Create(seed);

    /// <summary>
    /// Training: y = x ⊙ mask with mask 0 (probability ratio) or 1 / (1 − ratio). Inference: y = x (a copy).
    /// </summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        _lastForwardWasTraining = training;
        _outputShape = x.ShapeArray();
        if (!training) return OutputBuffer.ReusingInInference ? x : x.Clone(); // inside a Sequential, whose result is a copy anyway

        var mask = _mask = ParallelLoops.Reuse(_mask, x.Length);
        float keptScale = 1f / (1f - DropoutRatio);
        // Drawn one by one from a single generator so the mask depends only on the seed, not on threads.
        for (int i = 0; i < mask.Length; i++)
            mask[i] = _random.NextSingle() < DropoutRatio ? 0f : keptScale;
        var y = x.ZerosLike();
        ParallelLoops.Multiply(x.Data, mask, y.Data);
        return y;
    }

    /// <summary>dx = dout ⊙ mask after a training Forward, dx = dout after inference; <paramref name="dout"/> is not changed.</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _outputShape);
        if (!_lastForwardWasTraining) return dout.Clone();
        var dx = dout.ZerosLike();
        ParallelLoops.Multiply(dout.Data, _mask!, dx.Data);
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape) => (int[])inputShape.Clone();

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Dropout {Name}: ratio {DropoutRatio}");
}
