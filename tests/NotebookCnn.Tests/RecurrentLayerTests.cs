namespace NotebookCnn.Tests;

public class RecurrentLayerTests
{
    public static TheoryData<string, bool> Layers() => new()
    {
        { "rnn", true }, { "rnn", false },
        { "gru", true }, { "gru", false },
        { "lstm", true }, { "lstm", false },
    };

    private static RecurrentLayer Create(string kind, int inputSize, int hiddenSize, bool returnSequences, int seed = 1) => kind switch
    {
        "rnn" => new Rnn(inputSize, hiddenSize, returnSequences, seed: seed),
        "gru" => new Gru(inputSize, hiddenSize, returnSequences, seed: seed),
        "lstm" => new Lstm(inputSize, hiddenSize, returnSequences, seed: seed),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Gradient_check_passes_for_the_input_and_every_parameter(string kind, bool returnSequences)
    {
        var layer = Create(kind, inputSize: 3, hiddenSize: 4, returnSequences);
        var report = GradientCheck.Run(layer, TestData.Random(2, 2, 5, 3), seed: 3);
        LayerTesting.AssertPasses(report);
        Assert.Equal(1 + layer.Parameters.Count, report.Results.Count);
        Assert.All(report.Results, r => Assert.True(r.Count > 0));
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void Gradient_check_catches_a_wrong_recurrent_gradient(string kind)
    {
        var report = GradientCheck.Run(new SabotagedLayer(Create(kind, 3, 4, true), parameterFactor: 1.2f), TestData.Random(2, 2, 5, 3), seed: 3);
        Assert.True(report.MaxRelativeError > 0.1, report.ToString());
    }

    [Fact]
    public void Rnn_one_step_matches_tanh_of_x_W_plus_b_by_hand()
    {
        var rnn = new Rnn(2, 2);
        TestData.Set(rnn.Cell.WeightInput, 0.5f, -1, 1, 0);      // W_x = [[0.5, −1], [1, 0]]
        TestData.Set(rnn.Cell.WeightHidden, 9, 9, 9, 9);        // unused: h_{−1} = 0
        TestData.Set(rnn.Cell.Bias, 0, 0.1f);
        var h = rnn.Forward(new Tensor([1f, 0.5f], 1, 1, 2), training: true);
        // a = [1, 0.5]·W_x + b = [0.5 + 0.5, −1 + 0] + [0, 0.1] = [1, −0.9]
        Assert.Equal([1, 1, 2], h.ShapeArray());
        Assert.Equal(MathF.Tanh(1f), h.Data[0], 6);
        Assert.Equal(MathF.Tanh(-0.9f), h.Data[1], 6);
    }

    [Fact]
    public void Rnn_second_step_feeds_back_the_first_hidden_state_through_W_h()
    {
        var rnn = new Rnn(1, 1, returnSequences: false);
        TestData.Set(rnn.Cell.WeightInput, 2);
        TestData.Set(rnn.Cell.WeightHidden, -0.5f);
        TestData.Set(rnn.Cell.Bias, 0.25f);
        var h = rnn.Forward(new Tensor([0.5f, -1f], 1, 2, 1), training: true);
        float h0 = MathF.Tanh(2 * 0.5f + 0.25f);
        float h1 = MathF.Tanh(2 * -1f - 0.5f * h0 + 0.25f);
        Assert.Equal([1, 1], h.ShapeArray());
        Assert.Equal(h1, h.Data[0], 6);
    }

    [Fact]
    public void Lstm_with_all_gates_known_matches_the_cell_equations()
    {
        // Zero weights: every gate is its bias, so c_t = f·c_{t−1} + i·g and h_t = o·tanh(c_t) can be computed by hand.
        var lstm = new Lstm(1, 1, initializer: Initializer.Normal(0f));
        TestData.Set(lstm.InputGate.Bias, 0);      // i = 0.5
        TestData.Set(lstm.ForgetGate.Bias, 2);     // f = σ(2)
        TestData.Set(lstm.Candidate.Bias, 1);      // g = tanh(1)
        TestData.Set(lstm.OutputGate.Bias, -1);    // o = σ(−1)
        var h = lstm.Forward(new Tensor(1, 2, 1), training: true);
        float i = 0.5f, f = 1 / (1 + MathF.Exp(-2)), g = MathF.Tanh(1), o = 1 / (1 + MathF.Exp(1));
        float c0 = i * g, c1 = f * c0 + i * g;
        Assert.Equal(o * MathF.Tanh(c0), h.Data[0], 6);
        Assert.Equal(o * MathF.Tanh(c1), h.Data[1], 6);
    }

    [Fact]
    public void Gru_with_all_gates_known_matches_the_update_equation()
    {
        var gru = new Gru(1, 1, initializer: Initializer.Normal(0f));
        TestData.Set(gru.UpdateGate.Bias, 1);      // z = σ(1)
        TestData.Set(gru.Candidate.Bias, 0.5f);    // ĥ = tanh(0.5) (W_hh = 0, so r does not matter)
        var h = gru.Forward(new Tensor(1, 2, 1), training: true);
        float z = 1 / (1 + MathF.Exp(-1)), candidate = MathF.Tanh(0.5f);
        float h0 = (1 - z) * candidate, h1 = z * h0 + (1 - z) * candidate;
        Assert.Equal(h0, h.Data[0], 6);
        Assert.Equal(h1, h.Data[1], 6);
    }

    [Fact]
    public void Lstm_forget_bias_starts_at_1_and_other_biases_at_0()
    {
        var lstm = new Lstm(3, 4);
        Assert.All(lstm.ForgetGate.Bias.Value.Data, b => Assert.Equal(1f, b));
        Assert.All(lstm.InputGate.Bias.Value.Data.Concat(lstm.Candidate.Bias.Value.Data).Concat(lstm.OutputGate.Bias.Value.Data), b => Assert.Equal(0f, b));
        Assert.Equal(12, lstm.Parameters.Count);
        Assert.Equal(4 * (3 * 4 + 4 * 4 + 4), lstm.ParameterCount);
        Assert.Contains("lstm.forget.weightInput", lstm.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Saturated_LSTM_forget_gate_keeps_the_gradient_over_50_steps_while_the_tanh_RNN_loses_it()
    {
        const int Steps = 50;
        var x = TestData.Random(4, 2, Steps, 3);
        var dout = TestData.Random(5, 2, 8);

        var rnn = new Rnn(3, 8, returnSequences: false, seed: 1);
        rnn.Forward(x, training: true);
        rnn.Backward(dout);
        double rnnRatio = rnn.HiddenGradientNorms[0] / rnn.HiddenGradientNorms[Steps - 1];

        var lstm = new Lstm(3, 8, returnSequences: false, seed: 1);
        lstm.ForgetGate.Bias.Value.Fill(20f);   // σ(20) = 1 in float32: the cell is copied unchanged
        lstm.Forward(x, training: true);
        lstm.Backward(dout);
        double lstmCellRatio = lstm.CellGradientNorms[0] / lstm.CellGradientNorms[Steps - 1];
        double lstmHiddenRatio = lstm.HiddenGradientNorms[0] / lstm.HiddenGradientNorms[Steps - 1];

        string values = $"RNN ‖∂L/∂h_0‖/‖∂L/∂h_49‖ = {rnnRatio:e2}, LSTM cell {lstmCellRatio:e2}, LSTM hidden {lstmHiddenRatio:e2}";
        Assert.True(rnnRatio < 1e-6, values);      // measured ≈ 3e-12
        Assert.True(lstmCellRatio > 1, values);    // measured ≈ 8: the cell gradient even grows as it collects every step's share
        Assert.True(lstmHiddenRatio > 0.1, values); // measured ≈ 0.6
        Assert.Equal(Steps, rnn.HiddenGradientNorms.Length);
    }

    [Theory]
    [InlineData(1.5f)]
    [InlineData(0.5f)]
    public void Rnn_gradient_explodes_or_vanishes_as_the_power_of_the_recurrent_weight(float scale)
    {
        // Zero inputs and biases keep h = 0, where tanh is linear (tanh′(0) = 1): then ∂L/∂h_{t−1} = ∂L/∂h_t · W_hᵀ
        // exactly, and with W_h = scale·I the norm changes by the factor scale at every step back.
        const int Steps = 20;
        var rnn = new Rnn(2, 3, returnSequences: false);
        rnn.Cell.WeightHidden.Value.Clear();
        for (int j = 0; j < 3; j++) rnn.Cell.WeightHidden.Value[j, j] = scale;
        rnn.Forward(new Tensor(1, Steps, 2), training: true);
        rnn.Backward(new Tensor([1f, -2f, 2f], 1, 3));
        for (int t = 0; t < Steps; t++)
            Assert.Equal(3 * Math.Pow(scale, Steps - 1 - t), rnn.HiddenGradientNorms[t], 3 * Math.Pow(scale, Steps - 1 - t) * 1e-5);
    }

    [Fact]
    public void Gru_with_the_update_gate_shut_copies_the_state_and_its_gradient()
    {
        const int Steps = 50;
        var gru = new Gru(3, 8, returnSequences: false, seed: 1);
        gru.UpdateGate.Bias.Value.Fill(20f);   // z = 1: h_t = h_{t−1}
        gru.Forward(TestData.Random(4, 2, Steps, 3), training: true);
        gru.Backward(TestData.Random(5, 2, 8));
        Assert.Equal(gru.HiddenGradientNorms[Steps - 1], gru.HiddenGradientNorms[0], 4);
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void Last_step_output_equals_the_last_row_of_the_full_sequence(string kind)
    {
        var x = TestData.Random(2, 3, 4, 2);
        var all = Create(kind, 2, 5, true).Forward(x, training: false);
        var last = Create(kind, 2, 5, false).Forward(x, training: false);
        Assert.Equal([3, 5], last.ShapeArray());
        for (int n = 0; n < 3; n++)
            for (int j = 0; j < 5; j++)
                Assert.Equal(all[n, 3, j], last[n, j]);
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void A_sequence_does_not_depend_on_the_other_sequences_in_the_batch(string kind)
    {
        var layer = Create(kind, 2, 3, true);
        var x = TestData.Random(2, 2, 4, 2);
        var both = layer.Forward(x, training: false);
        var first = layer.Forward(new Tensor(x.Data.AsSpan(0, 8).ToArray(), 1, 4, 2), training: false);
        for (int k = 0; k < first.Length; k++) Assert.Equal(first.Data[k], both.Data[k], 6);
    }

    [Fact]
    public void Backward_overwrites_gradients_instead_of_adding_to_them()
    {
        var lstm = new Lstm(2, 3, seed: 2);
        var x = TestData.Random(1, 2, 4, 2);
        var dout = TestData.Random(2, 2, 4, 3);
        lstm.Forward(x, true);
        lstm.Backward(dout);
        var first = lstm.Parameters.Select(p => p.Gradient.Clone()).ToArray();
        lstm.Forward(x, true);
        lstm.Backward(dout);
        for (int i = 0; i < first.Length; i++) Assert.Equal(first[i].Data, lstm.Parameters[i].Gradient.Data);
    }

    [Fact]
    public void Two_stacked_layers_in_a_Sequential_pass_the_gradient_check()
    {
        var net = new Sequential(new Gru(3, 4, seed: 1), new Lstm(4, 3, returnSequences: false, seed: 2));
        Assert.Equal([2, 3], net.OutputShape([2, 5, 3]));
        Assert.Contains("gru1.update.weightHidden", net.Parameters.Select(p => p.Name));
        LayerTesting.AssertPasses(GradientCheck.Run(net, TestData.Random(3, 2, 5, 3), seed: 4));
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void Initial_state_gradient_matches_central_differences(string kind)
    {
        var layer = Create(kind, 3, 4, returnSequences: true);
        var x = TestData.Random(1, 2, 5, 3);
        var upstream = TestData.Random(2, 2, 5, 4);
        layer.InitialState = TestData.Random(3, 2, 4);
        double Objective()
        {
            var y = layer.Forward(x, training: true);
            return y.Data.Select((v, k) => (double)v * upstream.Data[k]).Sum();
        }
        Objective();
        layer.Backward(upstream);
        var analytic = layer.InitialStateGradient!.Clone();
        const float Step = 1e-2f;
        double diff2 = 0, norm2 = 0;
        for (int k = 0; k < analytic.Length; k++)
        {
            float original = layer.InitialState.Data[k];
            layer.InitialState.Data[k] = original + Step;
            double plus = Objective();
            layer.InitialState.Data[k] = original - Step;
            double minus = Objective();
            layer.InitialState.Data[k] = original;
            double numeric = (plus - minus) / (2 * Step);
            diff2 += (analytic.Data[k] - numeric) * (analytic.Data[k] - numeric);
            norm2 += numeric * numeric;
        }
        Assert.True(Math.Sqrt(diff2 / norm2) < LayerTesting.MaxRelativeError, $"relative error {Math.Sqrt(diff2 / norm2):e2}");
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("gru")]
    public void Starting_from_the_last_state_of_the_first_half_continues_the_whole_sequence(string kind)
    {
        var x = TestData.Random(1, 2, 6, 3);
        var whole = Create(kind, 3, 4, true).Forward(x, false);
        var layer = Create(kind, 3, 4, false);
        var firstHalf = layer.Forward(Slice(x, 0, 3), false);
        layer.InitialState = firstHalf;
        var secondHalf = layer.Forward(Slice(x, 3, 3), false);
        for (int n = 0; n < 2; n++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(whole[n, 5, j], secondHalf[n, j], 5);
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(3, 2, 3), false));
        Assert.Contains("InitialState of shape [3, 4]", e.Message);

        static Tensor Slice(Tensor x, int start, int steps)
        {
            var y = new Tensor(x.Dim(0), steps, x.Dim(2));
            for (int n = 0; n < x.Dim(0); n++)
                for (int t = 0; t < steps; t++)
                    for (int d = 0; d < x.Dim(2); d++)
                        y[n, t, d] = x[n, start + t, d];
            return y;
        }
    }

    [Fact]
    public void Summary_of_a_character_model_lists_sequence_shapes_and_parameter_counts()
    {
        var net = new Sequential(new Embedding(26, 8), new Lstm(8, 16), new TimeDistributed(new Affine(16, 26)));
        string summary = net.Summary([25]);
        Assert.Contains("embedding1", summary);
        Assert.Contains("lstm1", summary);
        Assert.Contains("[N, 25, 16]", summary);
        Assert.Contains("[N, 25, 26]", summary);
        Assert.Contains((4 * (8 * 16 + 16 * 16 + 16)).ToString(System.Globalization.CultureInfo.InvariantCulture), summary.Replace(",", ""));
    }

    [Fact]
    public void Wrong_feature_count_names_the_layer_and_the_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => new Lstm(3, 4, name: "lstm1").Forward(new Tensor(2, 5, 7), true));
        Assert.Equal("Lstm 'lstm1' expects 3 features per time step (dimension 2), got 7: input shape [2, 5, 7].", e.Message);
    }

    [Fact]
    public void Token_ids_without_an_embedding_are_explained()
    {
        var e = Assert.Throws<ArgumentException>(() => new Rnn(3, 4, name: "rnn1").Forward(new Tensor(2, 5), true));
        Assert.Contains("Rnn 'rnn1' expects sequences [N, T, D]", e.Message);
        Assert.Contains("[2, 5]", e.Message);
        Assert.Contains("Embedding or OneHot", e.Message);
    }

    [Fact]
    public void Backward_with_the_wrong_dout_shape_names_both_shapes()
    {
        var gru = new Gru(3, 4, returnSequences: false, name: "gru1");
        gru.Forward(new Tensor(2, 5, 3), true);
        var e = Assert.Throws<ArgumentException>(() => gru.Backward(new Tensor(2, 5, 4)));
        Assert.Contains("Gru 'gru1'", e.Message);
        Assert.Contains("[2, 4]", e.Message);
        Assert.Contains("[2, 5, 4]", e.Message);
        Assert.Throws<InvalidOperationException>(() => new Rnn(1, 1).Backward(new Tensor(1, 1, 1)));
    }

    [Fact]
    public void Non_positive_sizes_are_rejected_naming_the_layer()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Rnn(0, 4, name: "rnn1"));
        Assert.Contains("Rnn 'rnn1'", e.Message);
        Assert.Contains("inputSize", e.Message);
    }

    [Fact]
    public void ToString_and_OutputShape_describe_the_layer()
    {
        var lstm = new Lstm(16, 32, returnSequences: false, name: "lstm1");
        Assert.Equal("Lstm lstm1: 16→32 (last step)", lstm.ToString());
        Assert.Equal([10, 32], lstm.OutputShape([10, 7, 16]));
        Assert.Equal([10, 7, 32], new Rnn(16, 32).OutputShape([10, 7, 16]));
    }
}
