namespace NotebookCnn;

/// <summary>
/// A small sequence-to-sequence model with attention (Bahdanau et al. 2015; Luong et al. 2015): an encoder GRU reads
/// the source, a decoder GRU starts from the encoder's last state and reads the target so far, and at every output
/// step <see cref="DotProductAttention"/> lets the decoder look back at all encoder states.
/// <code>
/// encoder states  E = Gru_enc(Embed_src(source))                  [N, S, H]
/// decoder states  D = Gru_dec(Embed_tgt(decoder inputs)), h_{−1} = E[:, S − 1]   [N, T, H]
/// context         C = attention(queries D, keys E)                [N, T, H]
/// scores          Y = TimeDistributed(Affine)([D ; C])             [N, T, V]
/// </code>
/// </summary>
/// <remarks>
/// Both sequences arrive as one tensor of token ids [N, S + T]: the first <see cref="SourceLength"/> columns are
/// the source, the rest the decoder inputs — the start token followed by the target shifted right ("teacher
/// forcing" while training; at inference <see cref="BeamSearch"/> feeds back its own predictions). One tensor
/// keeps the model a <see cref="Layer"/>, so <see cref="GradientCheck"/> and a plain training loop work unchanged.
/// </remarks>
public class AttentionSeq2Seq : Layer
{
    private int[]? _inputShape;

    /// <summary>Creates the model.</summary>
    /// <param name="vocabularySize">V: tokens in source and target (including the start token).</param>
    /// <param name="embeddingSize">E: values per token vector.</param>
    /// <param name="hiddenSize">H: units of both GRUs.</param>
    /// <param name="sourceLength">S: how many leading columns of the input are the source.</param>
    /// <param name="seed">Seed for all initial weights.</param>
    /// <param name="name">The layer name; "seq2seq" by default.</param>
    public AttentionSeq2Seq(int vocabularySize, int embeddingSize, int hiddenSize, int sourceLength, int seed = 0, string? name = null)
        : base(name ?? "seq2seq")
    {
        LayerInput.RequirePositive($"AttentionSeq2Seq '{Name}'", nameof(sourceLength), sourceLength);
        VocabularySize = vocabularySize;
        SourceLength = sourceLength;
        SourceEmbedding = new Embedding(vocabularySize, embeddingSize, seed: seed, name: $"{Name}.sourceEmbedding");
        Encoder = new Gru(embeddingSize, hiddenSize, seed: seed + 1, name: $"{Name}.encoder");
        TargetEmbedding = new Embedding(vocabularySize, embeddingSize, seed: seed + 2, name: $"{Name}.targetEmbedding");
        Decoder = new Gru(embeddingSize, hiddenSize, seed: seed + 3, name: $"{Name}.decoder");
        Output = new TimeDistributed(new Affine(2 * hiddenSize, vocabularySize, Initializer.LeCun, seed + 4, $"{Name}.output"), $"{Name}.output");
    }

    /// <summary>V: the number of tokens.</summary>
    public int VocabularySize { get; }

    /// <summary>S: the source length (the first S columns of the input).</summary>
    public int SourceLength { get; }

    /// <summary>Source token vectors.</summary>
    public Embedding SourceEmbedding { get; }

    /// <summary>Reads the source.</summary>
    public Gru Encoder { get; }

    /// <summary>Target token vectors (the decoder's inputs).</summary>
    public Embedding TargetEmbedding { get; }

    /// <summary>Writes the target, one step per output token.</summary>
    public Gru Decoder { get; }

    /// <summary>Looks from each decoder state back at every encoder state; its <see cref="DotProductAttention.Weights"/> [N, T, S] show where.</summary>
    public DotProductAttention Attention { get; } = new();

    /// <summary>Scores for the next token from [decoder state ; context].</summary>
    public TimeDistributed Output { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters =>
        [.. SourceEmbedding.Parameters, .. Encoder.Parameters, .. TargetEmbedding.Parameters, .. Decoder.Parameters, .. Output.Parameters];

    /// <summary>Token ids [N, S + T] (source, then decoder inputs) → scores [N, T, V] for the target tokens.</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        CheckInput(x.Shape);
        _inputShape = x.ShapeArray();
        int n = x.Dim(0), targetLength = x.Dim(1) - SourceLength;
        var encoderStates = Encoder.Forward(SourceEmbedding.Forward(Columns(x, 0, SourceLength), training), training);
        Decoder.InitialState = LastStep(encoderStates);
        var decoderStates = Decoder.Forward(TargetEmbedding.Forward(Columns(x, SourceLength, targetLength), training), training);
        var context = Attention.Forward(decoderStates, encoderStates);
        return Output.Forward(TimeSteps.ConcatenateFeatures(decoderStates, context), training);
    }

    /// <summary>Backpropagates through the output, the attention, the decoder, and (via the keys and the decoder's initial state) the encoder; ids get zeros.</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _inputShape is null ? null : OutputShape(_inputShape));
        var (dDecoderStates, dContext) = TimeSteps.SplitFeatures(Output.Backward(dout), Decoder.HiddenSize);
        var (dQueries, dEncoderStates) = Attention.Backward(dContext);
        for (int k = 0; k < dDecoderStates.Length; k++) dDecoderStates.Data[k] += dQueries.Data[k];
        TargetEmbedding.Backward(Decoder.Backward(dDecoderStates));
        // The decoder started from the encoder's last state, so that state also receives ∂L/∂h_{−1}.
        int n = dEncoderStates.Dim(0), h = Encoder.HiddenSize;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < h; j++)
                dEncoderStates[i, SourceLength - 1, j] += Decoder.InitialStateGradient![i, j];
        SourceEmbedding.Backward(Encoder.Backward(dEncoderStates));
        return new Tensor(_inputShape!);
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        CheckInput(inputShape);
        return [inputShape[0], inputShape[1] - SourceLength, VocabularySize];
    }

    /// <summary>E.g. <c>AttentionSeq2Seq seq2seq: 11 tokens, source 5, GRU 32 + dot attention</c>.</summary>
    public override string ToString() =>
        $"AttentionSeq2Seq {Name}: {VocabularySize} tokens, source {SourceLength}, GRU {Encoder.HiddenSize} + dot attention";

    private void CheckInput(ReadOnlySpan<int> shape)
    {
        if (shape.Length != 2 || shape[1] <= SourceLength)
            throw new ArgumentException(
                $"{LayerInput.Describe(this)} expects token ids [N, S + T] with the source's S = {SourceLength} columns first and at least one decoder input after them, got shape {Tensor.FormatShape(shape)}.");
    }

    private static Tensor Columns(Tensor x, int start, int count)
    {
        int n = x.Dim(0), width = x.Dim(1);
        var y = new Tensor(n, count);
        for (int i = 0; i < n; i++) Array.Copy(x.Data, i * width + start, y.Data, i * count, count);
        return y;
    }

    private static Tensor LastStep(Tensor states)
    {
        int n = states.Dim(0), steps = states.Dim(1), h = states.Dim(2);
        var last = new Tensor(n, h);
        for (int i = 0; i < n; i++) Array.Copy(states.Data, (i * steps + steps - 1) * h, last.Data, i * h, h);
        return last;
    }
}
