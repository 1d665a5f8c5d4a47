namespace NotebookCnn;

/// <summary>
/// One-hot encoding of token ids as a layer: ids [N, T] → [N, T, V] with a single 1 per position (token 2 of 5
/// is [0, 0, 1, 0, 0]). No parameters: the simplest way to feed tokens to a recurrent layer; an
/// <see cref="Embedding"/> learns a denser code instead.
/// </summary>
/// <remarks>The ids arrive as whole-number floats, because layers take <see cref="Tensor"/>s; see <see cref="Embedding"/>.</remarks>
public class OneHot : Layer
{
    private int[]? _inputShape;

    /// <summary>Creates a one-hot encoder for <paramref name="vocabularySize"/> tokens.</summary>
    /// <param name="vocabularySize">V: how many distinct tokens (ids 0 … V − 1).</param>
    /// <param name="name">The layer name; "onehot" by default.</param>
    public OneHot(int vocabularySize, string? name = null) : base(name ?? "onehot")
    {
        LayerInput.RequirePositive($"OneHot '{Name}'", nameof(vocabularySize), vocabularySize);
        VocabularySize = vocabularySize;
    }

    /// <summary>V: the number of distinct tokens, and the length of each one-hot vector.</summary>
    public int VocabularySize { get; }

    /// <summary>Ids [N, T] → one-hot vectors [N, T, V].</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        int[] ids = TokenIds.Read(this, x, VocabularySize);
        _inputShape = x.ShapeArray();
        var y = new Tensor(x.Dim(0), x.Dim(1), VocabularySize);
        for (int k = 0; k < ids.Length; k++) y.Data[k * VocabularySize + ids[k]] = 1f;
        return y;
    }

    /// <summary>Ids are not differentiable: returns zeros of the input's shape.</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _inputShape is null ? null : OutputShape(_inputShape));
        return new Tensor(_inputShape!);
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        LayerInput.RequireRank(this, inputShape, "token ids [N, T] = [batch, time]", 2);
        return [inputShape[0], inputShape[1], VocabularySize];
    }

    /// <summary>One-hot vectors [N, T, V] for the id sequences <paramref name="ids"/> (all of length T).</summary>
    public static Tensor Encode(int[][] ids, int vocabularySize) =>
        new OneHot(vocabularySize).Forward(Tokens.ToTensor(ids), training: false);

    /// <summary>E.g. <c>OneHot onehot1: 40 tokens</c>.</summary>
    public override string ToString() => $"OneHot {Name}: {VocabularySize} tokens";
}
