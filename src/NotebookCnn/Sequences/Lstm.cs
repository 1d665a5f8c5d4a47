namespace NotebookCnn;

/// <summary>
/// Long short-term memory (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al. 2000). Besides the
/// hidden state h it carries a cell state c that is changed only by gated addition:
/// <code>
/// i_t = σ(x_t · W_xi + h_{t−1} · W_hi + b_i)      input gate: how much new content to write
/// f_t = σ(x_t · W_xf + h_{t−1} · W_hf + b_f)      forget gate: how much of the old cell to keep
/// g_t = tanh(x_t · W_xg + h_{t−1} · W_hg + b_g)   candidate content
/// o_t = σ(x_t · W_xo + h_{t−1} · W_ho + b_o)      output gate: how much of the cell to show
/// c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
/// h_t = o_t ⊙ tanh(c_t)                           with c_{−1} = 0 and h_{−1} = 0 (or InitialState)
/// </code>
/// </summary>
/// <remarks>
/// Backwards, ∂L/∂c_{t−1} = ∂L/∂c_t ⊙ f_t: no weight matrix and no squashing derivative in the way, so while the
/// forget gate stays near 1 the gradient crosses many steps undiminished — the "constant error carousel".
/// The forget-gate bias starts at 1 (Gers et al. 2000; Jozefowicz et al. 2015): with b_f = 0 the gate starts at
/// σ(0) = ½ and halves the cell's memory, and its gradient, at every step before training has learned anything.
/// </remarks>
public class Lstm : RecurrentLayer
{
    /// <summary>The forget gate's initial bias: σ(1) ≈ 0.73, so the cell remembers by default.</summary>
    public const float ForgetBiasInitial = 1f;

    // Cached per step for Backward: the inputs, the gates after their squashing function, c_t and tanh(c_t), h_t.
    private float[][]? _x, _i, _f, _g, _o, _c, _tanhC, _h;
    private float[]? _h0;   // h_{−1}

    /// <summary>Creates an LSTM layer.</summary>
    /// <param name="inputSize">D: features per time step coming in.</param>
    /// <param name="hiddenSize">H: hidden units (and cell units).</param>
    /// <param name="returnSequences">True: output h_t for every step [N, T, H]; false: only the last [N, H].</param>
    /// <param name="initializer">How the weight matrices are drawn; LeCun by default (std √(1/fan-in), suits tanh). Biases start at 0, the forget gate's at <see cref="ForgetBiasInitial"/>.</param>
    /// <param name="seed">Seed for the initial weights.</param>
    /// <param name="name">The layer name (parameters become <c>{name}.forget.weightInput</c>, …); "lstm" by default.</param>
    public Lstm(int inputSize, int hiddenSize, bool returnSequences = true, Initializer? initializer = null, int seed = 0, string? name = null)
        : base(name ?? "lstm", inputSize, hiddenSize, returnSequences)
    {
        var init = initializer ?? Initializer.LeCun;
        var random = Rng.Create(seed);
        InputGate = new GateParameters($"{Name}.input", inputSize, hiddenSize, init, random);
        ForgetGate = new GateParameters($"{Name}.forget", inputSize, hiddenSize, init, random, initialBias: ForgetBiasInitial);
        Candidate = new GateParameters($"{Name}.candidate", inputSize, hiddenSize, init, random);
        OutputGate = new GateParameters($"{Name}.output", inputSize, hiddenSize, init, random);
    }

    /// <summary>W_xi, W_hi, b_i of the input gate i.</summary>
    public GateParameters InputGate { get; }

    /// <summary>W_xf, W_hf, b_f of the forget gate f.</summary>
    public GateParameters ForgetGate { get; }

    /// <summary>W_xg, W_hg, b_g of the candidate content g.</summary>
    public GateParameters Candidate { get; }

    /// <summary>W_xo, W_ho, b_o of the output gate o.</summary>
    public GateParameters OutputGate { get; }

    /// <summary>‖∂L/∂c_t‖ for t = 0 … T − 1 from the last <see cref="RecurrentLayer.Backward"/>: the gradient on the cell state's "carousel".</summary>
    public float[] CellGradientNorms { get; private set; } = [];

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters =>
        [.. InputGate.Parameters, .. ForgetGate.Parameters, .. Candidate.Parameters, .. OutputGate.Parameters];

    /// <summary>The gate equations of the class summary, for t = 0 … T − 1.</summary>
    protected override float[][] ForwardSteps(float[][] x, int n)
    {
        int steps = x.Length, size = n * HiddenSize;
        (_i, _f, _g, _o) = (new float[steps][], new float[steps][], new float[steps][], new float[steps][]);
        (_c, _tanhC, _h) = (new float[steps][], new float[steps][], new float[steps][]);
        float[] hPrevious = _h0 = StartState(n), cPrevious = new float[size];
        for (int t = 0; t < steps; t++)
        {
            float[] i = _i[t] = new float[size], f = _f[t] = new float[size], g = _g[t] = new float[size], o = _o[t] = new float[size];
            InputGate.PreActivation(x[t], hPrevious, i, n);
            ForgetGate.PreActivation(x[t], hPrevious, f, n);
            Candidate.PreActivation(x[t], hPrevious, g, n);
            OutputGate.PreActivation(x[t], hPrevious, o, n);
            float[] c = _c[t] = new float[size], tanhC = _tanhC[t] = new float[size], h = _h[t] = new float[size];
            for (int k = 0; k < size; k++)
            {
                i[k] = TimeSteps.Sigmoid(i[k]);
                f[k] = TimeSteps.Sigmoid(f[k]);
                g[k] = MathF.Tanh(g[k]);
                o[k] = TimeSteps.Sigmoid(o[k]);
                c[k] = f[k] * cPrevious[k] + i[k] * g[k];
                tanhC[k] = MathF.Tanh(c[k]);
                h[k] = o[k] * tanhC[k];
            }
            (hPrevious, cPrevious) = (h, c);
        }
        _x = x;
        return _h;
    }

    /// <summary>
    /// Backprop through time, from the last step to the first. With ∂h = ∂L/∂h_t and ∂c = ∂L/∂c_t:
    /// <code>
    /// ∂o = ∂h ⊙ tanh(c_t)                        ∂c = ∂c(from t + 1) + ∂h ⊙ o_t ⊙ (1 − tanh²(c_t))
    /// ∂f = ∂c ⊙ c_{t−1}    ∂i = ∂c ⊙ g_t          ∂g = ∂c ⊙ i_t        ∂L/∂c_{t−1} = ∂c ⊙ f_t
    /// </code>
    /// then through each gate's squashing function (σ′ = s(1 − s), tanh′ = 1 − g²) to its weights, x_t and h_{t−1}.
    /// </summary>
    protected override float[][] BackwardSteps(float[][] dhOut, int n, out float[] dhInitial)
    {
        float[][] x = _x!;
        int steps = x.Length, size = n * HiddenSize;
        var dx = new float[steps][];
        var zero = new float[size];
        float[] dhNext = new float[size], dcNext = new float[size];
        CellGradientNorms = new float[steps];
        foreach (var gate in new[] { InputGate, ForgetGate, Candidate, OutputGate }) gate.ClearGradients();

        for (int t = steps - 1; t >= 0; t--)
        {
            float[] i = _i![t], f = _f![t], g = _g![t], o = _o![t], tanhC = _tanhC![t];
            float[] cPrevious = t > 0 ? _c![t - 1] : zero, hPrevious = t > 0 ? _h![t - 1] : _h0!;
            var dh = new float[size];
            var dc = new float[size];
            float[] dai = new float[size], daf = new float[size], dag = new float[size], dao = new float[size];
            for (int k = 0; k < size; k++)
            {
                dh[k] = dhOut[t][k] + dhNext[k];
                dc[k] = dcNext[k] + dh[k] * o[k] * (1f - tanhC[k] * tanhC[k]);
                // Gradients at the pre-activations a = x·W_x + h·W_h + b of each gate.
                dao[k] = dh[k] * tanhC[k] * o[k] * (1f - o[k]);
                daf[k] = dc[k] * cPrevious[k] * f[k] * (1f - f[k]);
                dai[k] = dc[k] * g[k] * i[k] * (1f - i[k]);
                dag[k] = dc[k] * i[k] * (1f - g[k] * g[k]);
            }
            RecordHiddenGradient(t, dh);
            CellGradientNorms[t] = TimeSteps.Norm(dc);

            dx[t] = new float[n * InputSize];
            dhNext = new float[size];
            InputGate.Backward(x[t], hPrevious, dai, dx[t], dhNext, n);
            ForgetGate.Backward(x[t], hPrevious, daf, dx[t], dhNext, n);
            Candidate.Backward(x[t], hPrevious, dag, dx[t], dhNext, n);
            OutputGate.Backward(x[t], hPrevious, dao, dx[t], dhNext, n);
            dcNext = new float[size];
            for (int k = 0; k < size; k++) dcNext[k] = dc[k] * f[k];
        }
        dhInitial = dhNext;
        return dx;
    }
}
