namespace NotebookCnn;

/// <summary>
/// Seeded toy sequence tasks, small enough to train a recurrent layer in seconds on a laptop CPU.
/// </summary>
public static class ToySequences
{
    /// <summary>
    /// Adding two binary numbers one bit per step, least significant bit first — the carry must be remembered
    /// from one step to the next, which is what a recurrent state is for. Each number has <paramref name="bits"/>
    /// random bits; the sequences have <paramref name="bits"/> + 1 steps so the last carry fits.
    /// Inputs [count, bits + 1, 2]: (bit t of a, bit t of b). Targets: bit t of a + b, two classes.
    /// </summary>
    public static SequenceExamples BinaryAddition(int count, int bits = 8, int seed = 0)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, $"BinaryAddition needs count ≥ 1, got {count}.");
        if (bits is < 1 or > 30) throw new ArgumentOutOfRangeException(nameof(bits), bits, $"BinaryAddition needs 1 ≤ bits ≤ 30, got {bits}.");
        var random = Rng.Create(seed);
        int steps = bits + 1;
        var inputs = new Tensor(count, steps, 2);
        var targets = new int[count * steps];
        for (int i = 0; i < count; i++)
        {
            long a = random.NextInt64(1L << bits), b = random.NextInt64(1L << bits), sum = a + b;
            for (int t = 0; t < steps; t++)
            {
                inputs[i, t, 0] = (a >> t) & 1;
                inputs[i, t, 1] = (b >> t) & 1;
                targets[i * steps + t] = (int)((sum >> t) & 1);
            }
        }
        return new SequenceExamples(inputs, targets, 2);
    }

    /// <summary>
    /// Next-character prediction: <paramref name="count"/> windows of <paramref name="sequenceLength"/> characters
    /// starting at random places in <paramref name="text"/>; the target at each step is the character that follows.
    /// Inputs [count, T] character ids; targets the ids shifted by one.
    /// </summary>
    public static SequenceExamples NextCharacter(string text, CharacterVocabulary vocabulary, int sequenceLength, int count, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (sequenceLength < 1) throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength, $"NextCharacter needs sequenceLength ≥ 1, got {sequenceLength}.");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, $"NextCharacter needs count ≥ 1, got {count}.");
        if (text.Length < sequenceLength + 1)
            throw new ArgumentException($"NextCharacter needs a text longer than sequenceLength + 1 = {sequenceLength + 1} characters, got {text.Length}.", nameof(text));
        int[] ids = vocabulary.Encode(text);
        var random = Rng.Create(seed);
        var inputs = new Tensor(count, sequenceLength);
        var targets = new int[count * sequenceLength];
        for (int i = 0; i < count; i++)
        {
            int start = random.Next(ids.Length - sequenceLength);
            for (int t = 0; t < sequenceLength; t++)
            {
                inputs[i, t] = ids[start + t];
                targets[i * sequenceLength + t] = ids[start + t + 1];
            }
        }
        return new SequenceExamples(inputs, targets, vocabulary.Size);
    }

    /// <summary>
    /// Reversing digit strings, a sequence-to-sequence task: source d_0 … d_{L−1}, target d_{L−1} … d_0. Inputs
    /// [count, 2L] for <see cref="AttentionSeq2Seq"/>: the L source digits, then the decoder inputs — the start token
    /// <paramref name="digits"/> followed by the first L − 1 target digits. Targets: the L reversed digits.
    /// Tokens 0 … digits − 1 are digits; <see cref="SequenceExamples.Classes"/> = digits + 1 counts the start token.
    /// </summary>
    public static SequenceExamples Reversal(int count, int length = 5, int digits = 10, int seed = 0)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, $"Reversal needs count ≥ 1, got {count}.");
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, $"Reversal needs length ≥ 1, got {length}.");
        if (digits < 2) throw new ArgumentOutOfRangeException(nameof(digits), digits, $"Reversal needs at least 2 digits, got {digits}.");
        var random = Rng.Create(seed);
        var inputs = new Tensor(count, 2 * length);
        var targets = new int[count * length];
        for (int i = 0; i < count; i++)
        {
            int[] source = Enumerable.Range(0, length).Select(_ => random.Next(digits)).ToArray();
            int[] target = Enumerable.Reverse(source).ToArray();
            int[] decoderInputs = [digits, .. target[..^1]];
            for (int t = 0; t < length; t++)
            {
                inputs[i, t] = source[t];
                inputs[i, length + t] = decoderInputs[t];
                targets[i * length + t] = target[t];
            }
        }
        return new SequenceExamples(inputs, targets, digits + 1);
    }
}
