namespace NotebookCnn;

/// <summary>
/// A learnable lookup table: token id k becomes row k of the table E [V, D]. Input: token ids [N, T];
/// output: vectors [N, T, D]. Equivalent to one-hot encoding followed by a bias-free <see cref="Affine"/>
/// (one-hot(k) · E = row k), without building the mostly-zero one-hot vectors.
/// </summary>
/// <remarks>
/// Layers take and return <see cref="Tensor"/>s of floats, so the ids arrive as floats holding whole numbers
/// (e.g. from <see cref="Tokens.ToTensor(int[][])"/>); each is rounded to the nearest integer.
/// Ids are not differentiable: <see cref="Backward"/> fills the table's gradient and returns zeros for the input.
/// </remarks>
public class Embedding : Layer
{
    private int[]? _ids;        // the ids of the last Forward, flattened: Backward adds dout rows back to these table rows
    private int[]? _inputShape;

    /// <summary>Creates an embedding table with values drawn from N(0, 1) unless another initializer is given.</summary>
    /// <param name="vocabularySize">V: how many distinct tokens (ids 0 … V − 1).</param>
    /// <param name="dimensions">D: the length of each token's vector.</param>
    /// <param name="initializer">How the table is drawn; Normal(1) by default (each row is an input, not a sum over fan-in).</param>
    /// <param name="seed">Seed for the initial table.</param>
    /// <param name="name">The layer name (the parameter becomes <c>{name}.weight</c>); "embedding" by default.</param>
    public Embedding(int vocabularySize, int dimensions, Initializer? initializer = null, int seed = 0, string? name = null)
        : base(name ?? "embedding")
    {
        LayerInput.RequirePositive($"Embedding '{Name}'", nameof(vocabularySize), vocabularySize);
        LayerInput.RequirePositive($"Embedding '{Name}'", nameof(dimensions), dimensions);
        VocabularySize = vocabularySize;
        Dimensions = dimensions;
        Weight = new Parameter($"{Name}.weight", (initializer ?? Initializer.Normal(1f)).Create(1, 1, Rng.Create(seed), vocabularySize, dimensions));
    }

    /// <summary>V: the number of distinct tokens.</summary>
    public int VocabularySize { get; }

    /// <summary>D: values per token vector.</summary>
    public int Dimensions { get; }

    /// <summary>The table E [V, D]: row k is the vector of token k.</summary>
    public Parameter Weight { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => [Weight];

    /// <summary>y[n, t] = E[ids[n, t]].</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        _ids = TokenIds.Read(this, x, VocabularySize);
        _inputShape = x.ShapeArray();
        var y = new Tensor(x.Dim(0), x.Dim(1), Dimensions);
        for (int k = 0; k < _ids.Length; k++)
            Array.Copy(Weight.Value.Data, _ids[k] * Dimensions, y.Data, k * Dimensions, Dimensions);
        return y;
    }

    /// <summary>∂L/∂E[k] = the sum of dout over every position that held token k; returns zeros for the ids.</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _inputShape is null ? null : OutputShape(_inputShape));
        Weight.Gradient.Clear();
        float[] grad = Weight.Gradient.Data;
        for (int k = 0; k < _ids!.Length; k++)
            for (int j = 0; j < Dimensions; j++)
                grad[_ids[k] * Dimensions + j] += dout.Data[k * Dimensions + j];
        return new Tensor(_inputShape!);
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        LayerInput.RequireRank(this, inputShape, "token ids [N, T] = [batch, time]", 2);
        return [inputShape[0], inputShape[1], Dimensions];
    }

    /// <summary>E.g. <c>Embedding embedding1: 40 tokens → 16</c>.</summary>
    public override string ToString() => $"Embedding {Name}: {VocabularySize} tokens → {Dimensions}";
}
