namespace NotebookCnn;

/// <summary>
/// Dot-product attention (Luong et al. 2015, "global attention" with the dot score): every query q_t (a decoder
/// state) looks at all keys k_s (the encoder states), weighs them by how well they match, and returns their
/// weighted average, the context c_t:
/// <code>
/// e_ts = q_t · k_s            how well source step s matches target step t
/// α_ts = softmax over s of e_ts
/// c_t  = Σ_s α_ts k_s
/// </code>
/// with queries [N, T, H], keys [N, S, H], weights α [N, T, S] and context [N, T, H]. No parameters of its own.
/// </summary>
/// <remarks>
/// It takes two inputs, so it is not a <see cref="Layer"/>; a model that uses it (see <see cref="AttentionSeq2Seq"/>)
/// calls <see cref="Forward"/> and <see cref="Backward"/> itself. The weights α are the picture worth plotting:
/// which source step each output step attends to.
/// </remarks>
public sealed class DotProductAttention
{
    private Tensor? _queries, _keys;

    /// <summary>α [N, T, S] of the last <see cref="Forward"/>: row t of example n sums to 1.</summary>
    public Tensor? Weights { get; private set; }

    /// <summary>Returns the context c [N, T, H] for queries [N, T, H] and keys [N, S, H].</summary>
    /// <exception cref="ArgumentException">The shapes do not agree in N or H.</exception>
    public Tensor Forward(Tensor queries, Tensor keys)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(keys);
        if (queries.Rank != 3 || keys.Rank != 3 || queries.Dim(0) != keys.Dim(0) || queries.Dim(2) != keys.Dim(2))
            throw new ArgumentException(
                $"DotProductAttention expects queries [N, T, H] and keys [N, S, H] with the same N and H, got {Tensor.FormatShape(queries.Shape)} and {Tensor.FormatShape(keys.Shape)}.");
        int n = queries.Dim(0), t = queries.Dim(1), s = keys.Dim(1), h = queries.Dim(2);
        var weights = new Tensor(n, t, s);
        var context = new Tensor(n, t, h);
        for (int i = 0; i < n; i++)
        {
            float[] q = Example(queries, i), k = Example(keys, i), e = new float[t * s], c = new float[t * h];
            MatMul.Gemm(q, k, e, t, s, h, transposeB: true);          // e = q · kᵀ
            var alpha = SoftmaxCrossEntropy.Softmax(new Tensor(e, t, s));
            MatMul.Gemm(alpha.Data, k, c, t, h, s);                     // c = α · k
            alpha.Data.CopyTo(weights.Data, i * t * s);
            c.CopyTo(context.Data, i * t * h);
        }
        (_queries, _keys, Weights) = (queries, keys, weights);
        return context;
    }

    /// <summary>
    /// Given ∂L/∂c [N, T, H], returns (∂L/∂queries, ∂L/∂keys):
    /// <code>
    /// ∂α_ts = ∂c_t · k_s      ∂e_ts = α_ts (∂α_ts − Σ_s′ α_ts′ ∂α_ts′)   (the softmax's backward)
    /// ∂q_t = Σ_s ∂e_ts k_s    ∂k_s = Σ_t ∂e_ts q_t + Σ_t α_ts ∂c_t        (keys are also the values)
    /// </code>
    /// </summary>
    public (Tensor Queries, Tensor Keys) Backward(Tensor dContext)
    {
        ArgumentNullException.ThrowIfNull(dContext);
        if (_queries is null || _keys is null || Weights is null)
            throw new InvalidOperationException("DotProductAttention: call Forward before Backward.");
        if (!dContext.SameShape(_queries))
            throw new ArgumentException(
                $"DotProductAttention Backward expects ∂L/∂context of shape {Tensor.FormatShape(_queries.Shape)}, got {Tensor.FormatShape(dContext.Shape)}.");
        int n = _queries.Dim(0), t = _queries.Dim(1), s = _keys.Dim(1), h = _queries.Dim(2);
        var dQueries = _queries.ZerosLike();
        var dKeys = _keys.ZerosLike();
        for (int i = 0; i < n; i++)
        {
            float[] q = Example(_queries, i), k = Example(_keys, i), alpha = Example(Weights, i), dc = Example(dContext, i);
            float[] dAlpha = new float[t * s], dq = new float[t * h], dk = new float[s * h];
            MatMul.Gemm(dc, k, dAlpha, t, s, h, transposeB: true);     // ∂α = ∂c · kᵀ
            var de = new float[t * s];
            for (int row = 0; row < t; row++)
            {
                double dot = 0;
                for (int col = 0; col < s; col++) dot += alpha[row * s + col] * dAlpha[row * s + col];
                for (int col = 0; col < s; col++)
                    de[row * s + col] = alpha[row * s + col] * (dAlpha[row * s + col] - (float)dot);
            }
            MatMul.Gemm(de, k, dq, t, h, s);                                        // ∂q = ∂e · k
            MatMul.Gemm(de, q, dk, s, h, t, transposeA: true);                      // ∂k = ∂eᵀ · q
            MatMul.Gemm(alpha, dc, dk, s, h, t, transposeA: true, accumulate: true); //    + αᵀ · ∂c
            dq.CopyTo(dQueries.Data, i * t * h);
            dk.CopyTo(dKeys.Data, i * s * h);
        }
        return (dQueries, dKeys);
    }

    private static float[] Example(Tensor x, int i)
    {
        int size = x.Length / x.Dim(0);
        return x.Data.AsSpan(i * size, size).ToArray();
    }
}
