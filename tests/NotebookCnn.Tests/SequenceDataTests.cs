namespace NotebookCnn.Tests;

public class SequenceDataTests
{
    [Fact]
    public void Character_vocabulary_numbers_distinct_characters_in_sorted_order_and_round_trips()
    {
        var vocabulary = CharacterVocabulary.FromText("hello world");
        Assert.Equal(" dehlorw", new string(vocabulary.Characters.ToArray()));
        Assert.Equal(8, vocabulary.Size);
        Assert.Equal([3, 2, 4, 4, 5], vocabulary.Encode("hello"));
        Assert.Equal("world", vocabulary.Decode(vocabulary.Encode("world")));
    }

    [Fact]
    public void Character_vocabulary_names_an_unknown_character()
    {
        var vocabulary = CharacterVocabulary.FromText("ab\n");
        var e = Assert.Throws<ArgumentException>(() => vocabulary.Encode("abc"));
        Assert.Contains("\"c\" is not in the vocabulary of 3 characters (\"\\nab\")", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.Decode([3]));
    }

    [Fact]
    public void The_tiny_text_is_shipped_and_has_a_small_lowercase_vocabulary()
    {
        string text = TinyText.Load();
        Assert.InRange(text.Length, 400, 5000);
        Assert.DoesNotContain('\r', text);
        var vocabulary = CharacterVocabulary.FromText(text);
        Assert.InRange(vocabulary.Size, 20, 32);
        Assert.All(vocabulary.Characters, c => Assert.True(c is '\n' or ' ' or ',' or '.' or (>= 'a' and <= 'z'), $"unexpected character {(int)c}"));
    }

    [Fact]
    public void Binary_addition_targets_are_the_bits_of_the_sum_least_significant_first()
    {
        var data = ToySequences.BinaryAddition(count: 50, bits: 6, seed: 3);
        Assert.Equal([50, 7, 2], data.Inputs.ShapeArray());
        Assert.Equal(50 * 7, data.Targets.Length);
        Assert.Equal(2, data.Classes);
        for (int i = 0; i < data.Count; i++)
        {
            long a = 0, b = 0, sum = 0;
            for (int t = 0; t < data.Steps; t++)
            {
                a |= (long)data.Inputs[i, t, 0] << t;
                b |= (long)data.Inputs[i, t, 1] << t;
                sum |= (long)data.TargetsOf(i)[t] << t;
            }
            Assert.Equal(a + b, sum);
            Assert.Equal(0f, data.Inputs[i, 6, 0]);   // the extra step only holds the carry
        }
        Assert.Equal(data.Inputs.Data, ToySequences.BinaryAddition(50, 6, seed: 3).Inputs.Data);
    }

    [Fact]
    public void Next_character_targets_are_the_inputs_shifted_by_one()
    {
        const string Text = "abcdefghij";
        var vocabulary = CharacterVocabulary.FromText(Text);
        var data = ToySequences.NextCharacter(Text, vocabulary, sequenceLength: 4, count: 20, seed: 1);
        Assert.Equal([20, 4], data.Inputs.ShapeArray());
        for (int i = 0; i < data.Count; i++)
        {
            int[] inputs = Enumerable.Range(0, 4).Select(t => (int)data.Inputs[i, t]).ToArray();
            string window = vocabulary.Decode(inputs) + vocabulary.Decode(data.TargetsOf(i)[^1..]);
            Assert.Contains(window, Text);
            Assert.Equal(inputs[1..], data.TargetsOf(i)[..^1]);
        }
    }

    [Fact]
    public void Tokens_turn_id_sequences_into_tensors_and_labels()
    {
        int[][] ids = [[1, 2, 3], [4, 5, 6]];
        Assert.Equal([1f, 2, 3, 4, 5, 6], Tokens.ToTensor(ids).Data);
        Assert.Equal([2, 3], Tokens.ToTensor(ids).ShapeArray());
        Assert.Equal([1, 2, 3, 4, 5, 6], Tokens.Flatten(ids));
        var e = Assert.Throws<ArgumentException>(() => Tokens.ToTensor([[1, 2], [3]]));
        Assert.Contains("sequence 1 has 1", e.Message);
    }

    [Fact]
    public void Temperature_sharpens_or_flattens_the_probabilities()
    {
        float[] scores = [2f, 1f, 0f];
        float[] plain = Sampling.Probabilities(scores, 1f), cold = Sampling.Probabilities(scores, 0.5f), hot = Sampling.Probabilities(scores, 2f);
        Assert.Equal(1f, plain.Sum(), 5);
        Assert.Equal(MathF.Exp(2) / (MathF.Exp(2) + MathF.Exp(1) + 1), plain[0], 5);
        Assert.True(cold[0] > plain[0] && plain[0] > hot[0]);
        Assert.Equal([1f, 0, 0], Sampling.Probabilities(scores, 0f));
        Assert.Equal(0, Sampling.Sample(scores, 0f, Rng.Create(1)));
    }

    [Fact]
    public void Sampling_draws_classes_with_their_probabilities()
    {
        float[] scores = [MathF.Log(0.2f), MathF.Log(0.8f)];
        var random = Rng.Create(5);
        int ones = Enumerable.Range(0, 4000).Count(_ => Sampling.Sample(scores, 1f, random) == 1);
        Assert.InRange(ones, 3100, 3300);   // 3200 expected; the standard deviation is about 25
    }

    [Fact]
    public void Greedy_generation_follows_a_model_that_always_predicts_the_next_letter()
    {
        // Scores [1, T, V] that put all weight on (last id + 1) mod V: "ab" must continue "cdea".
        var vocabulary = CharacterVocabulary.FromText("abcde");
        var model = new NextIdModel(vocabulary.Size);
        Assert.Equal("abcdea", Sampling.Generate(model, vocabulary, "ab", 4, temperature: 0));
        Assert.Equal(Sampling.Generate(model, vocabulary, "ab", 4, temperature: 1, seed: 7), Sampling.Generate(model, vocabulary, "ab", 4, temperature: 1, seed: 7));
        Assert.Throws<ArgumentException>(() => Sampling.Generate(model, vocabulary, "", 4));
    }

    private sealed class NextIdModel(int vocabularySize) : Layer("next")
    {
        public override Tensor Forward(Tensor x, bool training)
        {
            var y = new Tensor(x.Dim(0), x.Dim(1), vocabularySize);
            for (int k = 0; k < x.Length; k++) y.Data[k * vocabularySize + ((int)x.Data[k] + 1) % vocabularySize] = 10f;
            return y;
        }

        public override Tensor Backward(Tensor dout) => throw new NotSupportedException();
        public override int[] OutputShape(int[] inputShape) => [.. inputShape, vocabularySize];
    }
}
