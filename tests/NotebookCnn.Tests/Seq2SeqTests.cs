namespace NotebookCnn.Tests;

public class Seq2SeqTests
{
    /// <summary>Makes attention a one-input layer for GradientCheck: input [N, T + S, H] = queries then keys.</summary>
    private sealed class AttentionAsLayer(int queryLength) : Layer("attention")
    {
        private readonly DotProductAttention _attention = new();
        private int _keyLength;

        public override Tensor Forward(Tensor x, bool training)
        {
            _keyLength = x.Dim(1) - queryLength;
            return _attention.Forward(Steps(x, 0, queryLength), Steps(x, queryLength, _keyLength));
        }

        public override Tensor Backward(Tensor dout)
        {
            var (dq, dk) = _attention.Backward(dout);
            int n = dq.Dim(0), h = dq.Dim(2);
            var dx = new Tensor(n, queryLength + _keyLength, h);
            for (int i = 0; i < n; i++)
            {
                Array.Copy(dq.Data, i * queryLength * h, dx.Data, i * (queryLength + _keyLength) * h, queryLength * h);
                Array.Copy(dk.Data, i * _keyLength * h, dx.Data, (i * (queryLength + _keyLength) + queryLength) * h, _keyLength * h);
            }
            return dx;
        }

        public override int[] OutputShape(int[] inputShape) => [inputShape[0], queryLength, inputShape[2]];

        private static Tensor Steps(Tensor x, int start, int count)
        {
            int n = x.Dim(0), steps = x.Dim(1), h = x.Dim(2);
            var y = new Tensor(n, count, h);
            for (int i = 0; i < n; i++) Array.Copy(x.Data, (i * steps + start) * h, y.Data, i * count * h, count * h);
            return y;
        }
    }

    [Fact]
    public void Attention_gradient_check_passes_for_queries_and_keys()
    {
        LayerTesting.AssertPasses(GradientCheck.Run(new AttentionAsLayer(queryLength: 3), TestData.Random(1, 2, 3 + 4, 5), seed: 2));
    }

    [Fact]
    public void Attention_weights_sum_to_one_and_pick_the_matching_key()
    {
        var attention = new DotProductAttention();
        var keys = new Tensor([10f, 0, 0, 10, -10, 0], 1, 3, 2);     // three keys pointing in different directions
        var queries = new Tensor([0f, 1], 1, 1, 2);                  // matches key 1
        var context = attention.Forward(queries, keys);
        Assert.Equal(1f, attention.Weights!.Data.Sum(), 5);
        Assert.True(attention.Weights[0, 0, 1] > 0.999f);
        Assert.Equal(0f, context.Data[0], 2);
        Assert.Equal(10f, context.Data[1], 2);
        var e = Assert.Throws<ArgumentException>(() => attention.Forward(new Tensor(1, 1, 3), keys));
        Assert.Contains("[1, 1, 3] and [1, 3, 2]", e.Message);
    }

    [Fact]
    public void Seq2seq_gradient_check_passes_for_every_parameter()
    {
        var model = new AttentionSeq2Seq(vocabularySize: 5, embeddingSize: 3, hiddenSize: 4, sourceLength: 3, seed: 1);
        var data = ToySequences.Reversal(count: 2, length: 3, digits: 4, seed: 2);
        var report = GradientCheck.Run(model, new SequenceSoftmaxCrossEntropy(), data.Inputs, data.Targets, seed: 3);
        LayerTesting.AssertPasses(report);
        Assert.Equal(1 + 1 + 9 + 1 + 9 + 2, report.Results.Count);
        Assert.Contains(report.Results, r => r.Name == "seq2seq.encoder.reset.weightHidden");
    }

    [Fact]
    public void Reversal_examples_hold_the_source_then_start_token_and_shifted_target()
    {
        var data = ToySequences.Reversal(count: 3, length: 4, digits: 7, seed: 5);
        Assert.Equal([3, 8], data.Inputs.ShapeArray());
        Assert.Equal(4, data.Steps);
        Assert.Equal(8, data.Classes);
        for (int i = 0; i < 3; i++)
        {
            int[] row = Enumerable.Range(0, 8).Select(j => (int)data.Inputs[i, j]).ToArray();
            Assert.Equal(row[..4].Reverse(), data.TargetsOf(i));
            Assert.Equal([7, .. data.TargetsOf(i)[..3]], row[4..]);
        }
    }

    /// <summary>
    /// A fixed model over tokens 0, 1, 2 (start token 3) whose next-token probabilities depend only on the previous token:
    /// after the start 0.5 / 0.4 / 0.1; after 0 uniform; after 1 0.9 for token 0. Greedy takes 0 first (best 0.5 · ⅓ ≈ 0.17);
    /// a beam of 2 keeps 1 as well and finds [1, 0] with 0.4 · 0.9 = 0.36.
    /// </summary>
    private sealed class PreviousTokenModel() : Layer("fixed")
    {
        private static readonly float[][] Next =
        [
            [1 / 3f, 1 / 3f, 1 / 3f],   // after 0
            [0.9f, 0.05f, 0.05f],       // after 1
            [1 / 3f, 1 / 3f, 1 / 3f],   // after 2
            [0.5f, 0.4f, 0.1f],         // after the start token
        ];

        public override Tensor Forward(Tensor x, bool training)
        {
            int n = x.Dim(0), steps = x.Dim(1) - 1;   // source length 1
            var y = new Tensor(n, steps, 3);
            for (int i = 0; i < n; i++)
                for (int t = 0; t < steps; t++)
                    for (int k = 0; k < 3; k++)
                        y[i, t, k] = MathF.Log(Next[(int)x[i, 1 + t]][k]);
            return y;
        }

        public override Tensor Backward(Tensor dout) => throw new NotSupportedException();
        public override int[] OutputShape(int[] inputShape) => [inputShape[0], inputShape[1] - 1, 3];
    }

    [Fact]
    public void Beam_search_finds_a_likelier_output_than_greedy_decoding()
    {
        var model = new PreviousTokenModel();
        var greedy = BeamSearch.Decode(model, [0], startToken: 3, length: 2, beamWidth: 1);
        var beam = BeamSearch.Decode(model, [0], startToken: 3, length: 2, beamWidth: 2);
        Assert.Equal([0, 0], greedy[0].Tokens);
        Assert.Equal(Math.Log(0.5 / 3), greedy[0].LogProbability, 5);
        Assert.Equal([1, 0], beam[0].Tokens);
        Assert.Equal(Math.Log(0.4 * 0.9), beam[0].LogProbability, 5);
        Assert.Equal(2, beam.Count);
        Assert.True(beam[0].LogProbability >= beam[1].LogProbability);
    }
}
