namespace NotebookCnn;

/// <summary>
/// Gated recurrent unit (Cho et al. 2014), as in the paper:
/// <code>
/// z_t = σ(x_t · W_xz + h_{t−1} · W_hz + b_z)                  update gate: how much of the old state to keep
/// r_t = σ(x_t · W_xr + h_{t−1} · W_hr + b_r)                  reset gate: how much of the old state the candidate sees
/// ĥ_t = tanh(x_t · W_xh + (r_t ⊙ h_{t−1}) · W_hh + b_h)       candidate state
/// h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ ĥ_t                       with h_{−1} = 0 (or InitialState)
/// </code>
/// </summary>
/// <remarks>
/// Where z_t ≈ 1 the state is copied forward unchanged (∂h_t/∂h_{t−1} ≈ 1), which keeps gradients alive over
/// many steps like the LSTM's cell, with one state instead of two and three gates instead of four.
/// Some libraries write h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ ĥ_t (z swapped) or apply r after the matrix product;
/// both learn the same kind of functions.
/// </remarks>
public class Gru : RecurrentLayer
{
    // Cached per step for Backward: inputs, gates, r ⊙ h_{t−1}, candidate, h_t.
    private float[][]? _x, _z, _r, _resetHidden, _candidate, _h;
    private float[]? _h0;   // h_{−1}

    /// <summary>Creates a GRU layer.</summary>
    /// <param name="inputSize">D: features per time step coming in.</param>
    /// <param name="hiddenSize">H: hidden units.</param>
    /// <param name="returnSequences">True: output h_t for every step [N, T, H]; false: only the last [N, H].</param>
    /// <param name="initializer">How the weight matrices are drawn; LeCun by default (std √(1/fan-in), suits tanh). Biases start at 0.</param>
    /// <param name="seed">Seed for the initial weights.</param>
    /// <param name="name">The layer name (parameters become <c>{name}.update.weightInput</c>, …); "gru" by default.</param>
    public Gru(int inputSize, int hiddenSize, bool returnSequences = true, Initializer? initializer = null, int seed = 0, string? name = null)
        : base(name ?? "gru", inputSize, hiddenSize, returnSequences)
    {
        var init = initializer ?? Initializer.LeCun;
        var random = Rng.Create(seed);
        UpdateGate = new GateParameters($"{Name}.update", inputSize, hiddenSize, init, random);
        ResetGate = new GateParameters($"{Name}.reset", inputSize, hiddenSize, init, random);
        Candidate = new GateParameters($"{Name}.candidate", inputSize, hiddenSize, init, random);
    }

    /// <summary>W_xz, W_hz, b_z of the update gate z.</summary>
    public GateParameters UpdateGate { get; }

    /// <summary>W_xr, W_hr, b_r of the reset gate r.</summary>
    public GateParameters ResetGate { get; }

    /// <summary>W_xh, W_hh, b_h of the candidate state ĥ.</summary>
    public GateParameters Candidate { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => [.. UpdateGate.Parameters, .. ResetGate.Parameters, .. Candidate.Parameters];

    /// <summary>The equations of the class summary, for t = 0 … T − 1.</summary>
    protected override float[][] ForwardSteps(float[][] x, int n)
    {
        int steps = x.Length, size = n * HiddenSize;
        (_z, _r, _resetHidden, _candidate, _h) = (new float[steps][], new float[steps][], new float[steps][], new float[steps][], new float[steps][]);
        float[] hPrevious = _h0 = StartState(n);
        for (int t = 0; t < steps; t++)
        {
            float[] z = _z[t] = new float[size], r = _r[t] = new float[size];
            UpdateGate.PreActivation(x[t], hPrevious, z, n);
            ResetGate.PreActivation(x[t], hPrevious, r, n);
            float[] resetHidden = _resetHidden[t] = new float[size];
            for (int k = 0; k < size; k++)
            {
                z[k] = TimeSteps.Sigmoid(z[k]);
                r[k] = TimeSteps.Sigmoid(r[k]);
                resetHidden[k] = r[k] * hPrevious[k];
            }
            float[] candidate = _candidate[t] = new float[size], h = _h[t] = new float[size];
            Candidate.PreActivation(x[t], resetHidden, candidate, n);
            for (int k = 0; k < size; k++)
            {
                candidate[k] = MathF.Tanh(candidate[k]);
                h[k] = z[k] * hPrevious[k] + (1f - z[k]) * candidate[k];
            }
            hPrevious = h;
        }
        _x = x;
        return _h;
    }

    /// <summary>
    /// Backprop through time, from the last step to the first. With ∂h = ∂L/∂h_t:
    /// <code>
    /// ∂z = ∂h ⊙ (h_{t−1} − ĥ_t)      ∂ĥ = ∂h ⊙ (1 − z_t)      ∂L/∂h_{t−1} gets ∂h ⊙ z_t directly
    /// ∂(r ⊙ h_{t−1}) = ∂a_ĥ · W_hhᵀ   so   ∂r = that ⊙ h_{t−1}   and   ∂L/∂h_{t−1} gets that ⊙ r_t
    /// </code>
    /// plus the paths through the gates' own W_h.
    /// </summary>
    protected override float[][] BackwardSteps(float[][] dhOut, int n, out float[] dhInitial)
    {
        float[][] x = _x!;
        int steps = x.Length, size = n * HiddenSize;
        var dx = new float[steps][];
        float[] dhNext = new float[size];
        UpdateGate.ClearGradients();
        ResetGate.ClearGradients();
        Candidate.ClearGradients();

        for (int t = steps - 1; t >= 0; t--)
        {
            float[] z = _z![t], r = _r![t], candidate = _candidate![t];
            float[] hPrevious = t > 0 ? _h![t - 1] : _h0!;
            float[] dh = new float[size], daz = new float[size], dac = new float[size];
            for (int k = 0; k < size; k++)
            {
                dh[k] = dhOut[t][k] + dhNext[k];
                daz[k] = dh[k] * (hPrevious[k] - candidate[k]) * z[k] * (1f - z[k]);
                dac[k] = dh[k] * (1f - z[k]) * (1f - candidate[k] * candidate[k]);
            }
            RecordHiddenGradient(t, dh);

            dx[t] = new float[n * InputSize];
            var dResetHidden = new float[size];   // ∂L/∂(r ⊙ h_{t−1})
            Candidate.Backward(x[t], _resetHidden![t], dac, dx[t], dResetHidden, n);

            dhNext = new float[size];
            var dar = new float[size];
            for (int k = 0; k < size; k++)
            {
                dar[k] = dResetHidden[k] * hPrevious[k] * r[k] * (1f - r[k]);
                dhNext[k] = dh[k] * z[k] + dResetHidden[k] * r[k];
            }
            UpdateGate.Backward(x[t], hPrevious, daz, dx[t], dhNext, n);
            ResetGate.Backward(x[t], hPrevious, dar, dx[t], dhNext, n);
        }
        dhInitial = dhNext;
        return dx;
    }
}
