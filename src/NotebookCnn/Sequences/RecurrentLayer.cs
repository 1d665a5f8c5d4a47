namespace NotebookCnn;

/// <summary>
/// What <see cref="Rnn"/>, <see cref="Gru"/> and <see cref="Lstm"/> share: sequence batches [N, T, D] in,
/// hidden states [N, T, H] out (or only the last one, [N, H]), backpropagation through
/// time over the whole sequence, an optional initial state h_{−1} (zero unless <see cref="InitialState"/> is set), and the per-step gradient norms ‖∂L/∂h_t‖ of the last <see cref="Backward"/>.
/// </summary>
/// <remarks>
/// Subclasses write one time step's equations in <see cref="ForwardSteps"/> and walk them backwards in
/// <see cref="BackwardSteps"/>; this class does the shape checks and the [N, T, D] ↔ per-step bookkeeping.
/// </remarks>
public abstract class RecurrentLayer : Layer
{
    private int[]? _inputShape;   // [N, T, D] of the last Forward, to check dout and shape dx

    /// <summary>Checks the sizes and names the layer.</summary>
    protected RecurrentLayer(string name, int inputSize, int hiddenSize, bool returnSequences) : base(name)
    {
        string type = GetType().Name;
        LayerInput.RequirePositive($"{type} '{name}'", nameof(inputSize), inputSize);
        LayerInput.RequirePositive($"{type} '{name}'", nameof(hiddenSize), hiddenSize);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        ReturnSequences = returnSequences;
    }

    /// <summary>D: features per time step coming in.</summary>
    public int InputSize { get; }

    /// <summary>H: hidden units, i.e. features per time step going out.</summary>
    public int HiddenSize { get; }

    /// <summary>True: output every hidden state [N, T, H] (to stack layers or predict at every step). False: only the last, [N, H].</summary>
    public bool ReturnSequences { get; }

    /// <summary>
    /// ‖∂L/∂h_t‖ for t = 0 … T − 1 from the last <see cref="Backward"/>: the norm over the batch of the whole gradient
    /// reaching hidden state t (from the output at t and from every later step). Plotted against t it shows
    /// gradients vanishing (or exploding) as they travel back in time. Empty before the first Backward.
    /// </summary>
    public float[] HiddenGradientNorms { get; private set; } = [];

    /// <summary>
    /// The hidden state h_{−1} [N, H] before the first step, or null for zeros (the usual start). A sequence-to-sequence
    /// model sets the decoder's initial state to the encoder's last state. An <see cref="Lstm"/>'s cell state still starts at 0.
    /// </summary>
    public Tensor? InitialState { get; set; }

    /// <summary>∂L/∂h_{−1} [N, H] from the last <see cref="Backward"/>: the gradient to pass to whatever produced <see cref="InitialState"/>.</summary>
    public Tensor? InitialStateGradient { get; private set; }

    /// <summary>Runs the layer over every time step of <paramref name="x"/> [N, T, D], starting from <see cref="InitialState"/> (zeros when null).</summary>
    /// <returns>[N, T, H] when <see cref="ReturnSequences"/>, else the last hidden state [N, H].</returns>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckInput(x.Shape);
        _inputShape = x.ShapeArray();
        int n = x.Dim(0);
        float[][] h = ForwardSteps(TimeSteps.Split(x), n);
        return ReturnSequences ? TimeSteps.Join(h, n, HiddenSize) : new Tensor((float[])h[^1].Clone(), n, HiddenSize);
    }

    /// <summary>
    /// Backpropagation through time: walks the steps from T − 1 back to 0, stores the parameter gradients (summed over
    /// the steps) and <see cref="HiddenGradientNorms"/>, and returns ∂L/∂x [N, T, D].
    /// </summary>
    public override Tensor Backward(Tensor dout)
    {
        int[]? outputShape = _inputShape is null ? null : OutputShape(_inputShape);
        LayerInput.RequireGradient(this, dout, outputShape);
        int n = _inputShape![0], steps = _inputShape[1];
        float[][] dhOut;
        if (ReturnSequences) dhOut = TimeSteps.Split(dout);
        else
        {
            // Only the last hidden state was output, so only it receives a gradient from above.
            dhOut = new float[steps][];
            for (int t = 0; t < steps - 1; t++) dhOut[t] = new float[n * HiddenSize];
            dhOut[steps - 1] = (float[])dout.Data.Clone();
        }
        HiddenGradientNorms = new float[steps];
        float[][] dx = BackwardSteps(dhOut, n, out float[] dhInitial);
        InitialStateGradient = new Tensor(dhInitial, n, HiddenSize);
        return TimeSteps.Join(dx, n, InputSize);
    }

    /// <summary>
    /// The forward equations: given the inputs x[t] [N, D] for t = 0 … T − 1, returns the hidden states h[t] [N, H]
    /// and caches what <see cref="BackwardSteps"/> needs. Start from <see cref="StartState"/>.
    /// </summary>
    protected abstract float[][] ForwardSteps(float[][] x, int n);

    /// <summary>h_{−1} for a batch of <paramref name="n"/>: a copy of <see cref="InitialState"/>, or zeros.</summary>
    protected float[] StartState(int n)
    {
        if (InitialState is null) return new float[n * HiddenSize];
        if (InitialState.Rank != 2 || InitialState.Dim(0) != n || InitialState.Dim(1) != HiddenSize)
            throw new ArgumentException(
                $"{LayerInput.Describe(this)} expects InitialState of shape {Tensor.FormatShape([n, HiddenSize])} (batch, hidden), got {Tensor.FormatShape(InitialState.Shape)}.");
        return (float[])InitialState.Data.Clone();
    }

    /// <summary>
    /// Backpropagation through time: given ∂L/∂h[t] from above (the layer's output) for every t, returns ∂L/∂x[t],
    /// overwrites the parameter gradients, and calls <see cref="RecordHiddenGradient"/> with each step's total ∂L/∂h_t.
    /// <paramref name="dhInitial"/> receives ∂L/∂h_{−1}, the gradient left over after the first step.
    /// </summary>
    protected abstract float[][] BackwardSteps(float[][] dhOut, int n, out float[] dhInitial);

    /// <summary>Stores ‖∂L/∂h_t‖ for <see cref="HiddenGradientNorms"/>.</summary>
    protected void RecordHiddenGradient(int t, float[] dh) => HiddenGradientNorms[t] = TimeSteps.Norm(dh);

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        CheckInput(inputShape);
        return ReturnSequences ? [inputShape[0], inputShape[1], HiddenSize] : [inputShape[0], HiddenSize];
    }

    /// <summary>E.g. <c>Lstm lstm1: 16→32 (all steps)</c>.</summary>
    public override string ToString() =>
        $"{GetType().Name} {Name}: {InputSize}→{HiddenSize} ({(ReturnSequences ? "all steps" : "last step")})";

    private void CheckInput(ReadOnlySpan<int> shape)
    {
        if (shape.Length != 3)
            throw new ArgumentException(
                $"{LayerInput.Describe(this)} expects sequences [N, T, D] = [batch, time, {InputSize} features], got shape {Tensor.FormatShape(shape)} (rank {shape.Length})."
                + (shape.Length == 2 ? " Token ids [N, T] need an Embedding or OneHot layer first." : ""));
        if (shape[2] != InputSize)
            throw new ArgumentException(
                $"{LayerInput.Describe(this)} expects {InputSize} features per time step (dimension 2), got {shape[2]}: input shape {Tensor.FormatShape(shape)}.");
        if (shape[1] < 1)
            throw new ArgumentException($"{LayerInput.Describe(this)} needs at least one time step, got input shape {Tensor.FormatShape(shape)}.");
    }
}
