namespace NotebookCnn.Tests;

public class SequenceLayerTests
{
    private static Tensor Ids(params int[][] sequences) => Tokens.ToTensor(sequences);

    [Fact]
    public void Embedding_looks_up_one_table_row_per_token()
    {
        var embedding = new Embedding(4, 2);
        TestData.Set(embedding.Weight, 0, 0, 1, 1, 2, 2, 3, -3);
        var y = embedding.Forward(Ids([3, 1], [0, 3]), training: true);
        Assert.Equal([2, 2, 2], y.ShapeArray());
        Assert.Equal([3f, -3, 1, 1, 0, 0, 3, -3], y.Data);
    }

    [Fact]
    public void Embedding_gradient_adds_up_for_repeated_tokens_and_is_zero_for_the_ids()
    {
        var embedding = new Embedding(3, 2);
        embedding.Forward(Ids([2, 0, 2]), training: true);
        var dx = embedding.Backward(new Tensor([1f, 2, 10, 20, 100, 200], 1, 3, 2));
        Assert.Equal([10f, 20, 0, 0, 101, 202], embedding.Weight.Gradient.Data);
        Assert.Equal([1, 3], dx.ShapeArray());
        Assert.All(dx.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Embedding_gradient_check_passes_for_the_table()
    {
        var report = GradientCheck.Run(new Embedding(5, 3, seed: 1), Ids([0, 4, 4, 2], [1, 1, 3, 0]), seed: 2);
        LayerTesting.AssertPasses(report);
        Assert.True(report["embedding.weight"].RelativeError <= LayerTesting.MaxRelativeError, report.ToString());
    }

    [Fact]
    public void Embedding_feeding_an_Lstm_passes_the_gradient_check_for_every_parameter()
    {
        var net = new Sequential(new Embedding(5, 3, seed: 1), new Lstm(3, 4, seed: 2), new TimeDistributed(new Affine(4, 5, seed: 3)));
        var loss = new SequenceSoftmaxCrossEntropy();
        var report = GradientCheck.Run(net, loss, Ids([0, 4, 2], [3, 1, 1]), [4, 2, 0, 1, 1, 3], seed: 4);
        LayerTesting.AssertPasses(report);
        Assert.Contains(report.Results, r => r.Name == "embedding1.weight");
        Assert.Contains(report.Results, r => r.Name == "timedistributed1.affine.weight");
    }

    [Fact]
    public void Embedding_rejects_ids_outside_the_vocabulary_and_fractions()
    {
        var embedding = new Embedding(4, 2, name: "embed");
        var e = Assert.Throws<ArgumentException>(() => embedding.Forward(Ids([1, 4]), true));
        Assert.Contains("Embedding 'embed' expects token ids 0…3", e.Message);
        Assert.Contains("got 4 at [0, 1]", e.Message);
        Assert.Throws<ArgumentException>(() => embedding.Forward(new Tensor([1.5f], 1, 1), true));
        var rank = Assert.Throws<ArgumentException>(() => embedding.Forward(new Tensor(1, 2, 3), true));
        Assert.Contains("[1, 2, 3]", rank.Message);
    }

    [Fact]
    public void OneHot_puts_a_single_one_at_each_token_id()
    {
        var y = OneHot.Encode([[2, 0]], vocabularySize: 3);
        Assert.Equal([1, 2, 3], y.ShapeArray());
        Assert.Equal([0f, 0, 1, 1, 0, 0], y.Data);
        Assert.Equal([2, 5, 7], new OneHot(7).OutputShape([2, 5]));
    }

    [Fact]
    public void OneHot_then_Affine_equals_an_Embedding_with_the_same_table()
    {
        var embedding = new Embedding(4, 3, seed: 5);
        var affine = new Affine(4, 3);
        embedding.Weight.Value.CopyFrom(affine.Weight.Value.Reshape(4, 3));
        embedding.Weight.Value.Data.CopyTo(affine.Weight.Value.Data, 0);
        var ids = Ids([3, 0, 1]);
        var viaEmbedding = embedding.Forward(ids, false);
        var viaOneHot = new TimeDistributed(affine).Forward(new OneHot(4).Forward(ids, false), false);
        Assert.Equal(viaEmbedding.Data, viaOneHot.Data);
    }

    [Fact]
    public void TimeDistributed_applies_the_same_Affine_at_every_step()
    {
        var affine = new Affine(3, 2, seed: 1);
        var layer = new TimeDistributed(affine);
        var x = TestData.Random(2, 2, 4, 3);
        var y = layer.Forward(x, training: true);
        Assert.Equal([2, 4, 2], y.ShapeArray());
        var step2 = new Affine(3, 2, seed: 1).Forward(new Tensor(x.Data.AsSpan(2 * 3, 3).ToArray(), 1, 3), false);
        Assert.Equal(step2.Data[0], y[0, 2, 0], 6);
        Assert.Equal(step2.Data[1], y[0, 2, 1], 6);
    }

    [Fact]
    public void TimeDistributed_gradient_check_passes()
    {
        var report = GradientCheck.Run(new TimeDistributed(new Affine(3, 2, seed: 1)), TestData.Random(2, 2, 4, 3), seed: 3);
        LayerTesting.AssertPasses(report);
        Assert.Equal(3, report.Results.Count);
    }

    [Fact]
    public void TimeDistributed_needs_a_time_dimension()
    {
        var layer = new TimeDistributed(new Affine(3, 2), name: "td");
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(4, 3), true));
        Assert.Contains("TimeDistributed 'td' expects sequences [N, T, …]", e.Message);
        Assert.Contains("[4, 3]", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bidirectional_gradient_check_passes(bool returnSequences)
    {
        var layer = new Bidirectional(new Gru(3, 2, returnSequences, seed: 1), new Rnn(3, 4, returnSequences, seed: 2));
        var x = TestData.Random(2, 2, 5, 3);
        Assert.Equal(returnSequences ? [2, 5, 6] : [2, 6], layer.OutputShape([2, 5, 3]));
        var report = GradientCheck.Run(layer, x, seed: 3);
        LayerTesting.AssertPasses(report);
        Assert.Equal(1 + 3 * 3 + 3, report.Results.Count);
        Assert.Contains(report.Results, r => r.Name == "bidirectional.backward.weightHidden");
    }

    [Fact]
    public void Bidirectional_backward_half_at_step_0_has_read_the_whole_sequence_reversed()
    {
        var layer = new Bidirectional(new Rnn(2, 3, seed: 1), new Rnn(2, 3, seed: 2));
        var x = TestData.Random(4, 1, 6, 2);
        var y = layer.Forward(x, training: false);
        var lastOfReversed = new Rnn(2, 3, returnSequences: false, seed: 2).Forward(TimeSteps.Reverse(x), false);
        for (int j = 0; j < 3; j++) Assert.Equal(lastOfReversed.Data[j], y[0, 0, 3 + j], 6);
    }

    [Fact]
    public void Bidirectional_refuses_one_layer_for_both_directions()
    {
        var rnn = new Rnn(2, 3);
        Assert.Contains("same layer", Assert.Throws<ArgumentException>(() => new Bidirectional(rnn, rnn)).Message);
    }

    [Fact]
    public void Sequence_loss_equals_the_plain_loss_over_the_reshaped_positions()
    {
        var scores = TestData.Random(1, 2, 3, 4);
        int[] labels = [0, 3, 1, 2, 2, 0];
        var sequenceLoss = new SequenceSoftmaxCrossEntropy();
        var plain = new SoftmaxCrossEntropy();
        Assert.Equal(plain.Forward(scores.Reshape(6, 4), labels), sequenceLoss.Forward(scores, labels), 6);
        var gradient = sequenceLoss.Backward();
        Assert.Equal([2, 3, 4], gradient.ShapeArray());
        Assert.Equal(plain.Backward().Data, gradient.Data);
    }

    [Fact]
    public void Sequence_loss_wants_one_label_per_position()
    {
        var e = Assert.Throws<ArgumentException>(() => new SequenceSoftmaxCrossEntropy().Forward(new Tensor(2, 3, 4), [0, 1]));
        Assert.Contains("needs one per position, N·T = 6", e.Message);
        Assert.Contains("[2, 3, 4]", e.Message);
    }
}
