using System.Globalization;

namespace NotebookCnn;

/// <summary>
/// Batch normalisation (Ioffe &amp; Szegedy 2015): normalise each feature to mean 0 and variance 1 over the
/// batch, then scale and shift with learned γ and β: y = γ · (x − μ) / √(σ² + ε) + β (chapter 07).
/// </summary>
/// <remarks>
/// For [N, D] the statistics are per feature, over the N rows. For images [N, C, H, W] they are per
/// channel, over all N·H·W values of that channel — a convolution applies the same filter everywhere,
/// so every position of a channel shares one mean and variance (not one per pixel).
/// In training the batch's own statistics are used and running averages are updated; at inference
/// (<c>training: false</c>) the running averages are used, so a single image gives a fixed answer.
/// </remarks>
public class BatchNorm : Layer
{
    /// <summary>
    /// ε, added to the variance so that a channel with (almost) constant values does not divide by 0.
    /// 1e-5 as in most frameworks; written out in full, since "10e-7" reads like 1e-7 but is 1e-6.
    /// </summary>
    public const float DefaultEpsilon = 1e-5f;

    private Tensor? _inferenceOutput; // reused by inference inside a Sequential
    private readonly Parameter _gamma, _beta;
    private readonly Tensor _runningMean, _runningVariance;
    private float[]? _normalized;    // x̂ = (x − μ) / √(σ² + ε) of the last Forward
    private readonly float[] _inverseStd; // 1 / √(σ² + ε) per channel of the last Forward
    private bool _lastForwardWasTraining;
    private int[]? _outputShape;

    /// <summary>Creates a batch-normalisation layer.</summary>
    /// <param name="features">D for input [N, D], or the number of channels C for [N, C, H, W].</param>
    /// <param name="momentum">Weight of the old value in running = momentum · running + (1 − momentum) · batch.</param>
    /// <param name="epsilon">ε added to the variance (see <see cref="DefaultEpsilon"/>).</param>
    /// <param name="name">The layer's name; "batchnorm" unless given. Parameters are <c>{name}.gamma</c> and <c>{name}.beta</c>.</param>
    public BatchNorm(int features, float momentum = 0.9f, float epsilon = DefaultEpsilon, string? name = null)
        : base(name ?? "batchnorm")
    {
        LayerInput.RequirePositive(nameof(BatchNorm), nameof(features), features);
        if (!(momentum >= 0f && momentum <= 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"BatchNorm '{Name}': momentum must be in [0, 1], got {momentum}.");
        if (!(epsilon > 0f) || !float.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"BatchNorm '{Name}': epsilon must be a small positive number, got {epsilon}.");
        Features = features;
        Momentum = momentum;
        Epsilon = epsilon;
        // γ = 1, β = 0 start as the identity after normalising. Neither is weight-decayed: shrinking γ
        // towards 0 would switch the feature off, which is not what regularisation intends.
        _gamma = new Parameter($"{Name}.gamma", Tensor.Full(1f, features), isWeight: false);
        _beta = new Parameter($"{Name}.beta", Tensor.Zeros(features), isWeight: false);
        // Mean 0 and variance 1 until trained, so inference before any training leaves inputs unchanged.
        _runningMean = Tensor.Zeros(features);
        _runningVariance = Tensor.Full(1f, features);
        _inverseStd = new float[features];
    }

    /// <summary>The number of features (or channels) normalised separately.</summary>
    public int Features { get; }

    /// <summary>Weight of the old value when the running statistics are updated.</summary>
    public float Momentum { get; }

    /// <summary>ε added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>γ, the learned scale per feature.</summary>
    public Parameter Gamma => _gamma;

    /// <summary>β, the learned shift per feature.</summary>
    public Parameter Beta => _beta;

    /// <summary>The running mean per feature, used at inference.</summary>
    public Tensor RunningMean => _runningMean;

    /// <summary>The running variance per feature, used at inference.</summary>
    public Tensor RunningVariance => _runningVariance;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters
    {
        get
        {
            _gamma.Name = $"{Name}.gamma"; // follow the layer's name if a container renamed it
            _beta.Name = $"{Name}.beta";
            return [_gamma, _beta];
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, Tensor Value)> Buffers =>
        [($"{Name}.runningMean", _runningMean), ($"{Name}.runningVariance", _runningVariance)];

    /// <summary>
    /// Normalises per feature (per channel for images). In training uses the batch's mean and (biased)
    /// variance and updates the running statistics; otherwise uses the running statistics.
    /// </summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        LayerInput.RequirePerChannel(this, x.Shape, Features);
        int batch = x.Dim(0), planeSize = LayerInput.PlaneSize(x.Shape), count = batch * planeSize;
        if (training && count < 2)
            throw new ArgumentException(
                $"{LayerInput.Describe(this)} needs at least 2 values per {(x.Rank == 2 ? "feature" : "channel")} in training to estimate a variance, got input {Tensor.FormatShape(x.Shape)}.");
        var y = OutputBuffer.ForOutput(training, ref _inferenceOutput, x); // new in training; reused in inference inside a Sequential
        _normalized = ParallelLoops.Reuse(_normalized, x.Length);
        BatchNormKernel.Forward(this, training, x.Data, y.Data, _normalized, _inverseStd, batch, planeSize);
        _lastForwardWasTraining = training;
        _outputShape = x.ShapeArray();
        return y;
    }

    /// <summary>
    /// ∂L/∂β = Σ dout, ∂L/∂γ = Σ dout · x̂ (sums per feature), and in training the compact form
    /// dx = γ / (m · √(σ² + ε)) · (m · dout − Σ dout − x̂ · Σ (dout · x̂)) with m values per feature.
    /// After an inference Forward the statistics are constants and dx = γ · dout / √(σ² + ε).
    /// Writes the parameter gradients (does not add); <paramref name="dout"/> is not changed.
    /// </summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _outputShape);
        var dx = dout.ZerosLike();
        BatchNormKernel.Backward(this, _lastForwardWasTraining, dout.Data, _normalized!, _inverseStd, dx.Data, dout.Dim(0), LayerInput.PlaneSize(dout.Shape));
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        LayerInput.RequirePerChannel(this, inputShape, Features);
        return (int[])inputShape.Clone();
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"BatchNorm {Name}: {Features} features, momentum {Momentum}, epsilon {Epsilon:0.##e0}");
}
