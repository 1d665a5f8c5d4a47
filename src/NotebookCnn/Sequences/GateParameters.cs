namespace NotebookCnn;

/// <summary>
/// The weights of one gate of a recurrent layer: a = x_t · W_x + h · W_h + b, with x_t [N, D] the input at
/// time t, h [N, H] a hidden state, W_x [D, H], W_h [H, H] and b [H]. An <see cref="Rnn"/> has one of these,
/// a <see cref="Gru"/> three, an <see cref="Lstm"/> four.
/// </summary>
/// <remarks>
/// Keeping each gate's weights apart (rather than stacking all gates into one [D, 4H] matrix, as fast libraries do)
/// costs a few more matrix products but lets the layers' code read like the gate equations.
/// </remarks>
public sealed class GateParameters
{
    internal GateParameters(string prefix, int inputSize, int hiddenSize, Initializer initializer, Random random, float initialBias = 0f)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        WeightInput = new Parameter($"{prefix}.weightInput", initializer.Create(inputSize, hiddenSize, random, inputSize, hiddenSize));
        WeightHidden = new Parameter($"{prefix}.weightHidden", initializer.Create(hiddenSize, hiddenSize, random, hiddenSize, hiddenSize));
        Bias = new Parameter($"{prefix}.bias", Tensor.Full(initialBias, hiddenSize), isWeight: false);
    }

    /// <summary>D: input features per time step.</summary>
    public int InputSize { get; }

    /// <summary>H: hidden units.</summary>
    public int HiddenSize { get; }

    /// <summary>W_x [D, H]: how the current input drives the gate.</summary>
    public Parameter WeightInput { get; }

    /// <summary>W_h [H, H]: how the previous hidden state drives the gate (the recurrent weights).</summary>
    public Parameter WeightHidden { get; }

    /// <summary>b [H].</summary>
    public Parameter Bias { get; }

    /// <summary>W_x, W_h, b.</summary>
    public IEnumerable<Parameter> Parameters => [WeightInput, WeightHidden, Bias];

    /// <summary>a = x · W_x + h · W_h + b for a batch of <paramref name="n"/> rows, written into <paramref name="a"/> [N, H].</summary>
    internal void PreActivation(float[] x, float[] h, float[] a, int n)
    {
        MatMul.Gemm(x, WeightInput.Value.Data, a, n, HiddenSize, InputSize);
        MatMul.Gemm(h, WeightHidden.Value.Data, a, n, HiddenSize, HiddenSize, accumulate: true);
        float[] b = Bias.Value.Data;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < HiddenSize; j++)
                a[i * HiddenSize + j] += b[j];
    }

    /// <summary>Sets the gradients to zero before backprop through time adds every step's share.</summary>
    internal void ClearGradients()
    {
        WeightInput.ZeroGradient();
        WeightHidden.ZeroGradient();
        Bias.ZeroGradient();
    }

    /// <summary>
    /// Adds one time step's share, given da = ∂L/∂a [N, H]: ∂L/∂W_x += xᵀ · da, ∂L/∂W_h += hᵀ · da, ∂L/∂b += Σₙ da;
    /// and adds the gradients flowing back, ∂L/∂x += da · W_xᵀ and ∂L/∂h += da · W_hᵀ.
    /// </summary>
    /// <remarks>The same weights act at every time step, so their gradient is the sum over the steps.</remarks>
    internal void Backward(float[] x, float[] h, float[] da, float[] dx, float[] dh, int n)
    {
        MatMul.Gemm(x, da, WeightInput.Gradient.Data, InputSize, HiddenSize, n, transposeA: true, accumulate: true);
        MatMul.Gemm(h, da, WeightHidden.Gradient.Data, HiddenSize, HiddenSize, n, transposeA: true, accumulate: true);
        float[] db = Bias.Gradient.Data;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < HiddenSize; j++)
                db[j] += da[i * HiddenSize + j];
        MatMul.Gemm(da, WeightInput.Value.Data, dx, n, InputSize, HiddenSize, transposeB: true, accumulate: true);
        MatMul.Gemm(da, WeightHidden.Value.Data, dh, n, HiddenSize, HiddenSize, transposeB: true, accumulate: true);
    }
}
