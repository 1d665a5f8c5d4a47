namespace NotebookCnn;

/// <summary>
/// Beam search decoding for a sequence-to-sequence model: instead of committing to the single most likely token at
/// each step (greedy decoding), keep the <c>beamWidth</c> most likely partial outputs, extend each by every token,
/// and keep the best <c>beamWidth</c> of those, scored by the sum of log-probabilities. Width 1 is greedy decoding.
/// </summary>
public static class BeamSearch
{
    /// <summary>
    /// Decodes <paramref name="length"/> tokens for one <paramref name="source"/>. The model maps ids [B, S + t]
    /// (source, start token, the t − 1 tokens chosen so far) to scores [B, t, V], like <see cref="AttentionSeq2Seq"/>;
    /// all hypotheses of a step run as one batch. The output length is fixed (no end token), which suits the toy tasks.
    /// </summary>
    /// <returns>Up to <paramref name="beamWidth"/> hypotheses, most likely first.</returns>
    public static IReadOnlyList<BeamHypothesis> Decode(Layer model, int[] source, int startToken, int length, int beamWidth = 3)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, $"BeamSearch: length must be at least 1, got {length}.");
        if (beamWidth < 1) throw new ArgumentOutOfRangeException(nameof(beamWidth), beamWidth, $"BeamSearch: beamWidth must be at least 1, got {beamWidth}.");

        var beams = new List<BeamHypothesis> { new([], 0) };
        for (int step = 0; step < length; step++)
        {
            int width = source.Length + 1 + step;
            var x = new Tensor(beams.Count, width);
            for (int b = 0; b < beams.Count; b++)
            {
                int[] row = [.. source, startToken, .. beams[b].Tokens];
                for (int j = 0; j < width; j++) x[b, j] = row[j];
            }
            var scores = model.Forward(x, training: false);
            int classes = scores.Dim(-1), rowLength = scores.Length / beams.Count;
            var candidates = new List<BeamHypothesis>();
            for (int b = 0; b < beams.Count; b++)
            {
                // The scores for the next token are the last time step of this hypothesis.
                float[] p = Sampling.Probabilities(scores.Data.AsSpan(b * rowLength + rowLength - classes, classes));
                for (int token = 0; token < classes; token++)
                    candidates.Add(new BeamHypothesis([.. beams[b].Tokens, token], beams[b].LogProbability + Math.Log(p[token])));
            }
            beams = candidates.OrderByDescending(c => c.LogProbability).Take(beamWidth).ToList();   // stable: ties keep their order
        }
        return beams;
    }
}

/// <summary>One decoded output and its score.</summary>
/// <param name="Tokens">The output token ids.</param>
/// <param name="LogProbability">log P(tokens | source) under the model: the sum of each step's log-probability.</param>
public sealed record BeamHypothesis(int[] Tokens, double LogProbability);
