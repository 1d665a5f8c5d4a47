namespace NotebookCnn.Tests;

/// <summary>Small recurrent models learn their toy tasks with a plain SGD loop written here (no optimizer classes).</summary>
public class SequenceTrainingTests
{
    /// <summary>
    /// Plain SGD, w ← w − learningRate · ∂L/∂w, on minibatches drawn in turn from <paramref name="data"/>, with the
    /// gradient clipped to a global norm of 5 (recurrent nets can have rare huge gradients early on).
    /// Returns the mean loss of the first and of the last 20 steps.
    /// </summary>
    private static (double First, double Last) Train(Layer net, SequenceExamples data, int batchSize, int steps, float learningRate)
    {
        const float MaxNorm = 5f;
        const int Window = 20;
        var loss = new SequenceSoftmaxCrossEntropy();
        var losses = new List<double>();
        int batches = data.Count / batchSize;
        int[] featureShape = data.Inputs.ShapeArray()[1..];
        int perExample = data.Inputs.Length / data.Count;
        for (int step = 0; step < steps; step++)
        {
            int b = step % batches;
            var x = new Tensor(data.Inputs.Data.AsSpan(b * batchSize * perExample, batchSize * perExample).ToArray(), [batchSize, .. featureShape]);
            int[] labels = data.Targets.AsSpan(b * batchSize * data.Steps, batchSize * data.Steps).ToArray();
            losses.Add(loss.Forward(net.Forward(x, training: true), labels));
            net.Backward(loss.Backward());
            double norm = Math.Sqrt(net.Parameters.Sum(p => p.Gradient.Data.Sum(g => (double)g * g)));
            float scale = norm > MaxNorm ? (float)(MaxNorm / norm) : 1f;
            foreach (var p in net.Parameters)
                for (int i = 0; i < p.Value.Length; i++) p.Value.Data[i] -= learningRate * scale * p.Gradient.Data[i];
        }
        return (losses.Take(Window).Average(), losses.TakeLast(Window).Average());
    }

    [Fact]
    public void An_Rnn_learns_binary_addition()
    {
        var data = ToySequences.BinaryAddition(count: 640, bits: 8, seed: 1);
        var net = new Sequential(new Rnn(2, 16, seed: 2), new TimeDistributed(new Affine(16, 2, seed: 3)));
        var (first, last) = Train(net, data, batchSize: 32, steps: 300, learningRate: 1f);
        var test = ToySequences.BinaryAddition(count: 200, bits: 8, seed: 99);
        int[] predicted = net.Forward(test.Inputs, training: false).Reshape(-1, 2).ArgMaxRows();
        int correctSums = Enumerable.Range(0, test.Count).Count(i =>
            Enumerable.Range(0, test.Steps).All(t => predicted[i * test.Steps + t] == test.Targets[i * test.Steps + t]));
        string values = $"loss first {first:0.0000}, last {last:0.0000}; {correctSums} of 200 new sums fully right";
        Assert.True(first > 0.6, values);                // ≈ ln 2 = 0.69: guessing
        Assert.True(last < first / 20, values);          // measured 0.0045
        Assert.True(correctSums >= 190, values);         // measured 200: it learned the carry, not the examples
    }

    [Fact]
    public void A_character_Rnn_learns_the_tiny_text_and_generates_its_words()
    {
        string text = TinyText.Load();
        var vocabulary = CharacterVocabulary.FromText(text);
        var data = ToySequences.NextCharacter(text, vocabulary, sequenceLength: 16, count: 640, seed: 1);
        var net = new Sequential(
            new OneHot(vocabulary.Size), new Rnn(vocabulary.Size, 32, seed: 2), new TimeDistributed(new Affine(32, vocabulary.Size, seed: 3)));
        var (first, last) = Train(net, data, batchSize: 16, steps: 150, learningRate: 1f);
        string sample = Sampling.Generate(net, vocabulary, "the ", 50, temperature: 0);
        var textWords = text.Split([' ', '\n', ',', '.']).ToHashSet();
        string[] sampleWords = sample.Split([' ', '\n', ',', '.'])[..^1];   // the last word may be cut off
        double known = sampleWords.Count(textWords.Contains) / (double)sampleWords.Length;
        string values = $"loss first {first:0.0000}, last {last:0.0000}; greedy sample \"{sample}\"";
        Assert.True(first > 2, values);              // ln 26 ≈ 3.3 at the very start
        Assert.True(last < first / 2, values);      // measured 2.53 → 0.95
        Assert.True(known >= 0.8, values);          // measured: "the keeper comes to the sea the lamp and light it col"
    }

    [Fact]
    public void A_seq2seq_model_with_attention_learns_to_reverse_digit_strings()
    {
        const int Length = 5, Digits = 6;
        var data = ToySequences.Reversal(count: 3200, length: Length, digits: Digits, seed: 1);
        var model = new AttentionSeq2Seq(vocabularySize: Digits + 1, embeddingSize: 8, hiddenSize: 24, sourceLength: Length, seed: 2);
        var (first, last) = Train(model, data, batchSize: 32, steps: 500, learningRate: 1f);
        var test = ToySequences.Reversal(count: 50, length: Length, digits: Digits, seed: 99);
        int correct = 0;
        for (int i = 0; i < test.Count; i++)
        {
            int[] source = Enumerable.Range(0, Length).Select(t => (int)test.Inputs[i, t]).ToArray();
            if (BeamSearch.Decode(model, source, startToken: Digits, length: Length, beamWidth: 2)[0].Tokens.SequenceEqual(test.TargetsOf(i))) correct++;
        }
        string values = $"loss first {first:0.0000}, last {last:0.0000}; {correct} of 50 new strings reversed by a beam of 2";
        Assert.True(last < first / 10, values);   // measured 1.39 → 0.074
        Assert.True(correct >= 40, values);        // measured 47 (unseen strings: 3,200 examples of 7,776 possible)
    }
}
