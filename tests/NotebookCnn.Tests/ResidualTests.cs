namespace NotebookCnn.Tests;

public class ResidualTests
{
    [Fact]
    public void Residual_adds_the_input_to_the_body_output_and_applies_relu()
    {
        var conv = new Convolution(2, 2, 3, padding: 1, seed: 1);
        var block = new Residual(conv);
        var x = Tensor.RandomNormal(1f, Rng.Create(2), 2, 2, 4, 4);

        var expectedBody = new Convolution(2, 2, 3, padding: 1, seed: 1).Forward(x, training: false);
        var y = block.Forward(x, training: false);

        for (int i = 0; i < y.Length; i++)
            Assert.Equal(Math.Max(0f, expectedBody.Data[i] + x.Data[i]), y.Data[i], 1e-6f);
    }

    [Fact]
    public void Residual_without_relu_after_the_sum_returns_the_plain_sum()
    {
        var block = new Residual(new Convolution(1, 1, 1, seed: 3), reluAfterSum: false);
        var x = new Tensor([-2f, 3f], 1, 1, 1, 2);
        var body = ((Convolution)block.Body).Weight.Value.Data[0];
        var y = block.Forward(x, training: false);
        Assert.Equal(-2f * body - 2f, y.Data[0], 1e-6f);
        Assert.Equal(3f * body + 3f, y.Data[1], 1e-6f);
    }

    [Fact]
    public void Residual_with_identity_shortcut_gradients_match_central_differences()
    {
        var body = new Sequential(
            new Convolution(2, 3, 3, padding: 1, seed: 1), new Tanh(), new Convolution(3, 2, 3, padding: 1, seed: 2));
        var x = LayerTesting.AwayFromZero(3, 2, 2, 4, 4);
        LayerTesting.AssertPasses(GradientCheck.Run(new Residual(body, reluAfterSum: false), x, seed: 4));
    }

    [Fact]
    public void Residual_basic_block_with_identity_shortcut_and_batchnorm_in_training_passes_the_gradient_check()
    {
        var block = Residual.Basic(2, 2, seed: 5);
        Assert.Null(block.Shortcut);
        var x = Tensor.RandomNormal(1f, Rng.Create(6), 2, 2, 4, 4);
        // Step 1e-3: with 1e-2 a perturbed conv2 weight moves some sums across the final ReLU's kink.
        var report = GradientCheck.Run(block, x, seed: 7, step: 1e-3f);
        Assert.Contains(report.Results, r => r.Name == "residual.body.batchnorm1.gamma");
        AssertPassesWithBiasesBeforeBatchNorm(report);
    }

    [Fact]
    public void Residual_basic_block_with_projection_shortcut_and_stride_2_passes_the_gradient_check()
    {
        var block = Residual.Basic(2, 3, stride: 2, seed: 8);
        Assert.NotNull(block.Shortcut);
        var x = Tensor.RandomNormal(1f, Rng.Create(9), 2, 2, 5, 5);
        Assert.Equal(new[] { 2, 3, 3, 3 }, block.OutputShape(x.ShapeArray()));
        var report = GradientCheck.Run(block, x, seed: 10);
        Assert.Contains(report.Results, r => r.Name == "residual.shortcut.conv1.weight");
        AssertPassesWithBiasesBeforeBatchNorm(report);
    }

    // A convolution's bias right before BatchNorm gets no gradient: BN subtracts the channel mean, bias included.
    // Both the analytic and the numerical gradient are then round-off (the numerical one ~1e-4 at step 1e-3, where the
    // other gradients are of order 1), so their relative error means nothing: check that they are near zero instead.
    private static void AssertPassesWithBiasesBeforeBatchNorm(GradientCheckReport report)
    {
        foreach (var r in report.Results)
            if (r.Name.EndsWith("conv1.bias", StringComparison.Ordinal) || r.Name.EndsWith("conv2.bias", StringComparison.Ordinal))
                Assert.True(r.MeanAbsoluteDifference < 1e-3, $"{r.Name} should have a (numerically) zero gradient:\n{report}");
            else
                Assert.True(r.RelativeError <= LayerTesting.MaxRelativeError, $"{r.Name}: relative error {r.RelativeError:e2}\n{report}");
    }

    [Fact]
    public void Residual_basic_block_without_batchnorm_has_a_single_convolution_as_projection()
    {
        var block = Residual.Basic(2, 4, batchNorm: false, seed: 11);
        Assert.IsType<Convolution>(block.Shortcut);
        Assert.Equal(1, ((Convolution)block.Shortcut!).KernelHeight);
        var x = LayerTesting.AwayFromZero(12, 2, 2, 4, 4);
        // A step of 1e-3 instead of 1e-2: the inner ReLU's inputs are not controlled, and a larger step crosses its kink.
        var report = GradientCheck.Run(block, x, seed: 13, step: 1e-3f);
        Assert.Equal(["input", "residual.body.conv1.weight", "residual.body.conv1.bias", "residual.body.conv2.weight",
            "residual.body.conv2.bias", "residual.shortcut.weight", "residual.shortcut.bias"], report.Results.Select(r => r.Name));
        LayerTesting.AssertPasses(report);
    }

    [Fact]
    public void Residual_gradient_check_fails_when_the_shortcut_gradient_is_dropped()
    {
        // A block that forgot "+ shortcut gradient" in Backward: the input row of the check must notice.
        var block = new ForgetfulResidual(new Convolution(2, 2, 3, padding: 1, seed: 14));
        var x = LayerTesting.AwayFromZero(15, 2, 2, 4, 4);
        var report = GradientCheck.Run(block, x, seed: 16);
        Assert.True(report["input"].RelativeError > 0.1, report.ToString());
    }

    [Fact]
    public void Residual_parameters_are_the_body_then_the_shortcut_named_after_the_block_in_a_sequential()
    {
        var net = new Sequential(Residual.Basic(2, 2, seed: 1), Residual.Basic(2, 4, stride: 2, seed: 2));
        var names = net.Parameters.Select(p => p.Name).ToArray();
        Assert.Equal("residual1.body.conv1.weight", names[0]);
        Assert.Contains("residual1.body.batchnorm2.beta", names);
        Assert.Contains("residual2.shortcut.conv1.weight", names);
        Assert.Contains("residual2.shortcut.batchnorm1.gamma", names);
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Contains(("residual2.shortcut.batchnorm1.runningMean"), net.Buffers.Select(b => b.Name));

        var block = (Residual)net[1];
        Assert.Equal(block.Body.ParameterCount + block.Shortcut!.ParameterCount, block.ParameterCount);
        // conv 2→4 3×3 (76) + BN (8) + conv 4→4 3×3 (148) + BN (8) + projection 1×1 2→4 (12) + BN (8)
        Assert.Equal(76 + 8 + 148 + 8 + 12 + 8, block.ParameterCount);
    }

    [Fact]
    public void Residual_with_identity_shortcut_explains_a_shape_mismatch()
    {
        var block = new Residual(new Convolution(2, 3, 3, padding: 1), name: "block1");
        var e = Assert.Throws<ArgumentException>(() => block.Forward(new Tensor(1, 2, 4, 4), training: false));
        Assert.Contains("Residual 'block1'", e.Message);
        Assert.Contains("body gives [1, 3, 4, 4]", e.Message);
        Assert.Contains("identity) gives [1, 2, 4, 4]", e.Message);
        Assert.Contains("projection", e.Message);
        Assert.Throws<ArgumentException>(() => block.OutputShape([1, 2, 4, 4]));
    }

    [Fact]
    public void Residual_basic_block_with_stride_2_on_an_even_size_fails_with_the_output_size_formula()
    {
        var e = Assert.Throws<ArgumentException>(() => Residual.Basic(2, 4, stride: 2).OutputShape([1, 2, 8, 8]));
        Assert.Contains("not a whole number", e.Message);
    }

    [Fact]
    public void Residual_backward_leaves_dout_unchanged()
    {
        var block = Residual.Basic(2, 2, batchNorm: false, seed: 3);
        var x = LayerTesting.AwayFromZero(4, 1, 2, 3, 3);
        block.Forward(x, training: true);
        var dout = Tensor.RandomNormal(1f, Rng.Create(5), 1, 2, 3, 3);
        var copy = dout.Clone();
        block.Backward(dout);
        Assert.Equal(copy.Data, dout.Data);
    }

    [Fact]
    public void Residual_prints_its_formula_body_and_shortcut()
    {
        string text = Residual.Basic(2, 4, batchNorm: false).ToString();
        Assert.StartsWith("Residual residual: y = ReLU(F(x) + shortcut(x))", text);
        Assert.Contains("body: Sequential body", text);
        Assert.Contains("shortcut: Convolution shortcut: 2→4, kernel 1×1", text);
        Assert.Contains("shortcut: identity", Residual.Basic(2, 2).ToString());
    }

    private sealed class ForgetfulResidual(Layer body) : Residual(body)
    {
        public override Tensor Backward(Tensor dout)
        {
            var withShortcut = base.Backward(dout);
            // Subtract what the identity shortcut contributed (dout ⊙ ReLU mask = the gradient of the sum).
            var output = Forward(LastInput!, training: true);
            for (int i = 0; i < withShortcut.Length; i++)
                if (output.Data[i] > 0f) withShortcut.Data[i] -= dout.Data[i];
            return withShortcut;
        }

        public Tensor? LastInput { get; private set; }

        public override Tensor Forward(Tensor x, bool training)
        {
            LastInput = x;
            return base.Forward(x, training);
        }
    }
}
