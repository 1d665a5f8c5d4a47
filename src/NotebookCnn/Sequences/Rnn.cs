namespace NotebookCnn;

/// <summary>
/// The simple (Elman) recurrent layer: one hidden state carried from step to step,
/// <code>
/// h_t = tanh(x_t · W_x + h_{t−1} · W_h + b),   h_{−1} = 0 (or InitialState)
/// </code>
/// with x_t [N, D], h_t [N, H], W_x [D, H], W_h [H, H], b [H]. The same weights act at every time step.
/// </summary>
/// <remarks>
/// Backpropagating through time multiplies the gradient at every step by W_hᵀ and by tanh′ ≤ 1, so over many steps
/// it usually shrinks geometrically (vanishing gradients) — or grows, if W_h is large (exploding gradients, which
/// clipping tames). <see cref="RecurrentLayer.HiddenGradientNorms"/> shows it; <see cref="Lstm"/> and <see cref="Gru"/> were built to avoid it.
/// </remarks>
public class Rnn : RecurrentLayer
{
    private float[][]? _x;   // x_t for every step
    private float[][]? _h;   // h_t for every step (the tanh outputs: tanh′ = 1 − h²)
    private float[]? _h0;    // h_{−1}

    /// <summary>Creates a tanh RNN layer.</summary>
    /// <param name="inputSize">D: features per time step coming in.</param>
    /// <param name="hiddenSize">H: hidden units.</param>
    /// <param name="returnSequences">True: output h_t for every step [N, T, H]; false: only the last [N, H].</param>
    /// <param name="initializer">How W_x and W_h are drawn; LeCun by default (std √(1/fan-in), suits tanh). Biases start at 0.</param>
    /// <param name="seed">Seed for the initial weights.</param>
    /// <param name="name">The layer name (parameters become <c>{name}.weightInput</c>, …); "rnn" by default.</param>
    public Rnn(int inputSize, int hiddenSize, bool returnSequences = true, Initializer? initializer = null, int seed = 0, string? name = null)
        : base(name ?? "rnn", inputSize, hiddenSize, returnSequences)
    {
        Cell = new GateParameters(Name, inputSize, hiddenSize, initializer ?? Initializer.LeCun, Rng.Create(seed));
    }

    /// <summary>W_x, W_h and b.</summary>
    public GateParameters Cell { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => Cell.Parameters.ToArray();

    /// <summary>h_t = tanh(x_t · W_x + h_{t−1} · W_h + b) for t = 0 … T − 1.</summary>
    protected override float[][] ForwardSteps(float[][] x, int n)
    {
        int steps = x.Length;
        var h = new float[steps][];
        var previous = _h0 = StartState(n);
        for (int t = 0; t < steps; t++)
        {
            h[t] = new float[n * HiddenSize];
            Cell.PreActivation(x[t], previous, h[t], n);
            for (int i = 0; i < h[t].Length; i++) h[t][i] = MathF.Tanh(h[t][i]);
            previous = h[t];
        }
        (_x, _h) = (x, h);
        return h;
    }

    /// <summary>
    /// From t = T − 1 down to 0: ∂L/∂h_t = (from above) + (from step t + 1); ∂L/∂a_t = ∂L/∂h_t ⊙ (1 − h_t²);
    /// then ∂L/∂W_x += x_tᵀ·∂a, ∂L/∂W_h += h_{t−1}ᵀ·∂a, ∂L/∂b += Σ ∂a, ∂L/∂x_t = ∂a·W_xᵀ and ∂L/∂h_{t−1} = ∂a·W_hᵀ.
    /// </summary>
    protected override float[][] BackwardSteps(float[][] dhOut, int n, out float[] dhInitial)
    {
        float[][] x = _x!, h = _h!;
        int steps = x.Length, size = n * HiddenSize;
        var dx = new float[steps][];
        var dhNext = new float[size];   // ∂L/∂h_t arriving from step t + 1 (none after the last step)
        Cell.ClearGradients();
        for (int t = steps - 1; t >= 0; t--)
        {
            var dh = new float[size];
            for (int i = 0; i < size; i++) dh[i] = dhOut[t][i] + dhNext[i];
            RecordHiddenGradient(t, dh);

            var da = new float[size];
            for (int i = 0; i < size; i++) da[i] = dh[i] * (1f - h[t][i] * h[t][i]);

            dx[t] = new float[n * InputSize];
            dhNext = new float[size];
            Cell.Backward(x[t], t > 0 ? h[t - 1] : _h0!, da, dx[t], dhNext, n);
        }
        dhInitial = dhNext;
        return dx;
    }
}
