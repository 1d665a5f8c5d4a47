namespace NotebookCnn;

/// <summary>
/// Generating sequences from a trained next-token model, one token at a time: feed the text so far, turn the
/// scores for the next token into probabilities, pick one, append it, repeat.
/// </summary>
/// <remarks>
/// Temperature τ reshapes the probabilities, p_k ∝ exp(z_k / τ): τ = 1 samples the model's own distribution,
/// τ &lt; 1 sharpens it (safer, more repetitive text), τ &gt; 1 flattens it (more surprising, more mistakes), and
/// τ = 0 means greedy: always the most likely token.
/// </remarks>
public static class Sampling
{
    /// <summary>
    /// Extends <paramref name="prompt"/> by <paramref name="length"/> characters sampled from <paramref name="model"/>,
    /// which maps character ids [1, T] to scores [1, T, V] (e.g. Embedding → Lstm → TimeDistributed(Affine)).
    /// Returns the prompt followed by the generated characters.
    /// </summary>
    /// <param name="model">The trained model; run in inference mode.</param>
    /// <param name="vocabulary">The vocabulary the model was trained with.</param>
    /// <param name="prompt">The start of the text (at least one character of the vocabulary).</param>
    /// <param name="length">How many characters to generate.</param>
    /// <param name="temperature">τ ≥ 0; 0 is greedy.</param>
    /// <param name="seed">Seed for the random choices.</param>
    /// <param name="contextLength">How many of the latest characters the model sees at each step (all when null).
    /// The model re-reads this window from a zero state for every new character, which is simple, and fine for short texts.</param>
    public static string Generate(Layer model, CharacterVocabulary vocabulary, string prompt, int length,
        float temperature = 1f, int seed = 0, int? contextLength = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        int[] generated = Generate(model, vocabulary.Encode(prompt), length, temperature, seed, contextLength);
        return prompt + vocabulary.Decode(generated);
    }

    /// <summary>
    /// Extends the token ids <paramref name="prompt"/> by <paramref name="length"/> ids sampled from <paramref name="model"/>
    /// (ids [1, T] → scores [1, T, V], or [1, V] for a model that only predicts after the last step); returns the new ids only.
    /// </summary>
    public static int[] Generate(Layer model, int[] prompt, int length, float temperature = 1f, int seed = 0, int? contextLength = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Length == 0) throw new ArgumentException("Sampling.Generate needs a prompt of at least one token to start from.", nameof(prompt));
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, $"Sampling.Generate: length must be 0 or more, got {length}.");
        if (contextLength is < 1) throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, $"Sampling.Generate: contextLength must be at least 1, got {contextLength}.");
        var random = Rng.Create(seed);
        var text = new List<int>(prompt);
        var result = new int[length];
        for (int step = 0; step < length; step++)
        {
            int start = contextLength is int window ? Math.Max(0, text.Count - window) : 0;
            var context = text.GetRange(start, text.Count - start);
            var x = new Tensor(context.Select(id => (float)id).ToArray(), 1, context.Count);
            var scores = model.Forward(x, training: false);
            int classes = scores.Dim(-1);
            // The scores for the next token are the last row: position T − 1 (or the only row).
            var last = scores.Data.AsSpan(scores.Length - classes, classes);
            result[step] = Sample(last, temperature, random);
            text.Add(result[step]);
        }
        return result;
    }

    /// <summary>The probabilities p_k = exp(z_k / τ) / Σ_j exp(z_j / τ) for scores z (τ = 0: all mass on the largest score).</summary>
    public static float[] Probabilities(ReadOnlySpan<float> scores, float temperature = 1f)
    {
        if (!(temperature >= 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"Sampling: temperature must be 0 or more, got {temperature}.");
        if (scores.Length == 0) throw new ArgumentException("Sampling: there are no scores to choose from.", nameof(scores));
        var p = new float[scores.Length];
        if (temperature == 0)
        {
            p[ArgMax(scores)] = 1f;
            return p;
        }
        float max = float.NegativeInfinity;
        foreach (float z in scores) max = Math.Max(max, z);
        double sum = 0;
        for (int k = 0; k < p.Length; k++) sum += p[k] = MathF.Exp((scores[k] - max) / temperature);   // − max: no overflow
        for (int k = 0; k < p.Length; k++) p[k] = (float)(p[k] / sum);
        return p;
    }

    /// <summary>Draws a class from the scores at temperature τ (τ = 0: the argmax, no randomness).</summary>
    public static int Sample(ReadOnlySpan<float> scores, float temperature, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (temperature == 0) return ArgMax(scores);
        float[] p = Probabilities(scores, temperature);
        double u = random.NextDouble(), cumulative = 0;
        for (int k = 0; k < p.Length; k++)
        {
            cumulative += p[k];
            if (u < cumulative) return k;
        }
        return p.Length - 1;   // u fell past the rounded total
    }

    private static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int k = 1; k < scores.Length; k++)
            if (scores[k] > scores[best]) best = k;
        return best;
    }
}
