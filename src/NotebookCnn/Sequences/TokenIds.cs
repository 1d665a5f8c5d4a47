namespace NotebookCnn;

/// <summary>
/// Reads token ids from a tensor. Layers pass tensors of floats, so a batch of token sequences arrives as a
/// float tensor [N, T] whose values are whole numbers (3f is token 3).
/// </summary>
internal static class TokenIds
{
    // Ids are rounded to the nearest whole number, so a gradient check that nudges an id by its step (1e-2)
    // still reads the same token; anything farther from a whole number is a mistake, not an id.
    private const float MaxDistanceFromWhole = 0.25f;

    /// <summary>The ids of a [N, T] tensor as ints, checked against the vocabulary size.</summary>
    public static int[] Read(Layer layer, Tensor ids, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2)
            throw new ArgumentException(
                $"{LayerInput.Describe(layer)} expects token ids [N, T] = [batch, time], got shape {Tensor.FormatShape(ids.Shape)} (rank {ids.Rank}).");
        var result = new int[ids.Length];
        for (int k = 0; k < ids.Length; k++)
        {
            float value = ids.Data[k];
            float rounded = MathF.Round(value);
            if (!(Math.Abs(value - rounded) <= MaxDistanceFromWhole) || rounded < 0 || rounded >= vocabularySize)
                throw new ArgumentException(
                    $"{LayerInput.Describe(layer)} expects token ids 0…{vocabularySize - 1} (whole numbers), got {value} at [{k / ids.Dim(1)}, {k % ids.Dim(1)}] of input shape {Tensor.FormatShape(ids.Shape)}.");
            result[k] = (int)rounded;
        }
        return result;
    }
}
