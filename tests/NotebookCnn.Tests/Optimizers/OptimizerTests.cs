namespace NotebookCnn.Tests.Optimizers;

/// <summary>Single steps of every optimizer against numbers worked out by hand (shown in the comments).</summary>
public class OptimizerTests
{
    private const float Tolerance = 1e-6f;

    // Every test starts from w = [1, −2] with gradient g = [0.5, 0.25].
    private static Parameter NewWeight(bool isWeight = true)
    {
        var p = new Parameter("w", Tensor.FromArray(new[] { 1f, -2f }), isWeight);
        SetGradient(p, 0.5f, 0.25f);
        return p;
    }

    private static void SetGradient(Parameter p, params float[] g) => g.CopyTo(p.Gradient.Data, 0);

    private static void AssertValues(Parameter p, params float[] expected) => AssertValuesWithin(Tolerance, p, expected);

    private static void AssertValuesWithin(float tolerance, Parameter p, params float[] expected)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(p.Value.Data[i] - expected[i]) <= tolerance,
                $"{p.Name}[{i}] = {p.Value.Data[i]}, expected {expected[i]}");
    }

    [Fact]
    public void Sgd_step_subtracts_learning_rate_times_gradient()
    {
        var p = NewWeight();
        new Sgd(0.1f).Step(p);
        // w − η·g = [1 − 0.05, −2 − 0.025]
        AssertValues(p, 0.95f, -2.025f);
    }

    [Fact]
    public void Momentum_two_steps_accumulate_velocity()
    {
        var p = NewWeight();
        var opt = new Momentum(0.1f, momentum: 0.9f);
        opt.Step(p);
        // v = −0.1·g = [−0.05, −0.025];  w = [0.95, −2.025]
        AssertValues(p, 0.95f, -2.025f);
        opt.Step(p);
        // v = 0.9·v − 0.1·g = [−0.095, −0.0475];  w = [0.855, −2.0725]
        AssertValues(p, 0.855f, -2.0725f);
    }

    [Fact]
    public void Nesterov_two_steps_add_the_look_ahead_velocity()
    {
        var p = NewWeight();
        var opt = new Nesterov(0.1f, momentum: 0.9f);
        opt.Step(p);
        // v = [−0.05, −0.025];  w += 0.9·v − 0.1·g = [−0.095, −0.0475]  →  [0.905, −2.0475]
        AssertValues(p, 0.905f, -2.0475f);
        opt.Step(p);
        // v = [−0.095, −0.0475];  w += 0.9·v − 0.1·g = [−0.1355, −0.06775]  →  [0.7695, −2.11525]
        AssertValues(p, 0.7695f, -2.11525f);
    }

    [Fact]
    public void AdaGrad_two_steps_divide_by_root_of_summed_squares()
    {
        var p = NewWeight();
        var opt = new AdaGrad(0.1f);
        opt.Step(p);
        // h = g² = [0.25, 0.0625], √h = [0.5, 0.25], g/√h = [1, 1]  →  w = [0.9, −2.1]
        AssertValues(p, 0.9f, -2.1f);
        opt.Step(p);
        // h = [0.5, 0.125], g/√h = [1/√2, 1/√2]  →  w = [0.9 − 0.0707107, −2.1 − 0.0707107]
        AssertValues(p, 0.8292893f, -2.1707107f);
    }

    [Fact]
    public void RmsProp_two_steps_divide_by_root_of_moving_average()
    {
        var p = NewWeight();
        var opt = new RmsProp(0.1f, decayRate: 0.9f);
        opt.Step(p);
        // h = 0.1·g² = [0.025, 0.00625], g/√h = [√10, √10] = 3.1622777  →  w = [1 − 0.3162278, −2 − 0.3162278]
        AssertValues(p, 0.6837722f, -2.3162278f);
        opt.Step(p);
        // h = 0.9·h + 0.1·g² = [0.0475, 0.011875], g/√h = 2.2941573  →  w −= 0.2294157
        AssertValues(p, 0.4543565f, -2.5456435f);
    }

    [Fact]
    public void Adam_first_step_moves_each_weight_by_learning_rate_against_the_gradient_sign()
    {
        // Bias correction at t = 1: m̂ = g, v̂ = g², so the step is η·g/|g| whatever the size of g.
        var p = new Parameter("w", Tensor.FromArray(new[] { 1f, -2f, 3f }));
        SetGradient(p, 1e-3f, -50f, 0.25f);
        new Adam(0.1f).Step(p);
        // ≈ because of ε: for g = 1e-3 the step is 0.1·1e-3 / (1e-3 + 1e-8) = 0.1·(1 − 1e-5).
        AssertValuesWithin(2e-6f, p, 0.9f, -1.9f, 2.9f);
    }

    [Fact]
    public void Adam_first_step_size_is_the_learning_rate_only_thanks_to_bias_correction()
    {
        // Guards the division: uncorrected, m/√v = 0.1·g / √(0.001·g²) ≈ 3.16 per unit η, not 1; with the
        // multiplication some references use, it would be ≈ 0.0006. Only division gives exactly η.
        var p = NewWeight();
        new Adam(0.1f).Step(p);
        Assert.Equal(0.1f, 1f - p.Value[0], 5);
    }

    [Fact]
    public void Adam_second_step_matches_hand_computation()
    {
        var p = NewWeight();
        var opt = new Adam(0.1f, beta1: 0.9f, beta2: 0.999f);
        opt.Step(p);
        AssertValues(p, 0.9f, -2.1f);
        SetGradient(p, -0.5f, 0.25f);
        opt.Step(p);
        // m = 0.9·[0.05, 0.025] + 0.1·[−0.5, 0.25] = [−0.005, 0.0475];  m̂ = m / 0.19 = [−0.0263158, 0.25]
        // v = 0.999·[0.00025, 0.0000625] + 0.001·[0.25, 0.0625] = [0.00049975, 0.0001249375];  v̂ = v / 0.001999 = [0.25, 0.0625]
        // w −= 0.1·m̂/√v̂ = 0.1·[−0.0526316, 1]  →  [0.9052632, −2.2]
        AssertValues(p, 0.9052632f, -2.2f);
    }

    [Fact]
    public void Adam_counts_one_step_per_call_not_per_parameter()
    {
        // With two parameters, a per-parameter counter would give the second one t = 2 on the first step.
        var a = NewWeight();
        var b = NewWeight();
        b.Name = "b";
        var opt = new Adam(0.1f);
        opt.Step(new[] { a, b });
        AssertValues(a, 0.9f, -2.1f);
        AssertValues(b, 0.9f, -2.1f);
        Assert.Equal(1, opt.StepCount);
    }

    [Fact]
    public void Optimizers_keep_separate_state_for_each_parameter()
    {
        var a = NewWeight();
        var b = new Parameter("b", Tensor.FromArray(new[] { 1f, -2f }));
        SetGradient(b, -0.5f, -0.25f);
        var opt = new Momentum(0.1f, 0.9f);
        opt.Step(new[] { a, b });
        opt.Step(new[] { a, b });
        AssertValues(a, 0.855f, -2.0725f);
        AssertValues(b, 1.145f, -1.9275f);
    }

    [Fact]
    public void Weight_decay_applies_to_weights_but_not_to_biases()
    {
        var weight = NewWeight(isWeight: true);
        var bias = NewWeight(isWeight: false);
        new Sgd(0.1f) { WeightDecay = 0.5f }.Step(new[] { weight, bias });
        // weight: g + λ·w = [0.5 + 0.5, 0.25 − 1] = [1, −0.75]  →  [0.9, −1.925]
        AssertValues(weight, 0.9f, -1.925f);
        // bias: plain SGD
        AssertValues(bias, 0.95f, -2.025f);
    }

    [Fact]
    public void Weight_decay_leaves_the_stored_gradient_unchanged()
    {
        var p = NewWeight();
        new Adam(0.1f) { WeightDecay = 0.5f }.Step(p);
        Assert.Equal(new[] { 0.5f, 0.25f }, p.Gradient.Data);
    }

    [Fact]
    public void The_gradient_norm_of_large_parameters_is_accurate_to_float_precision()
    {
        // Summed in float blocks, each block's total in double: compare with a plain double sum over 1.2 million values.
        var random = Rng.Create(4);
        var parameters = new[] { 1_000_003, 200_000, 17 }.Select(length =>
        {
            var p = new Parameter("p" + length, new Tensor(length));
            for (int i = 0; i < length; i++) p.Gradient.Data[i] = (random.NextSingle() - 0.5f) * (i % 7 + 1);
            return p;
        }).ToArray();
        double expected = Math.Sqrt(parameters.Sum(p => p.Gradient.Data.Sum(g => (double)g * g)));
        var opt = new Sgd(0f);
        opt.Step(parameters);
        Assert.True(Math.Abs(opt.LastGradientNorm - expected) <= 1e-5 * expected, $"{opt.LastGradientNorm} vs {expected}");
    }

    [Fact]
    public void Clipping_scales_the_global_norm_down_to_the_maximum()
    {
        var a = new Parameter("a", Tensor.FromArray(new[] { 0f, 0f }));
        var b = new Parameter("b", Tensor.FromArray(new[] { 0f }), isWeight: false);
        SetGradient(a, 3f, 0f);
        SetGradient(b, 4f); // global norm √(9 + 16) = 5
        var opt = new Sgd(1f) { MaxGradientNorm = 1f };
        opt.Step(new[] { a, b });
        Assert.Equal(5f, opt.LastGradientNorm, 5);
        // With η = 1 the step is the clipped gradient: 0.2·[3, 0, 4], of norm 1, same direction.
        AssertValues(a, -0.6f, 0f);
        AssertValues(b, -0.8f);
    }

    [Fact]
    public void Clipping_leaves_small_gradients_alone()
    {
        var p = NewWeight(); // ‖g‖ ≈ 0.559
        new Sgd(0.1f) { MaxGradientNorm = 1f }.Step(p);
        AssertValues(p, 0.95f, -2.025f);
    }

    [Fact]
    public void Clipping_bounds_the_step_of_a_huge_gradient()
    {
        var p = new Parameter("w", new Tensor(100));
        for (int i = 0; i < 100; i++) p.Gradient[i] = 1e6f * (i % 7 - 3);
        new Sgd(1f) { MaxGradientNorm = 2.5f }.Step(p);
        double stepNorm = Math.Sqrt(p.Value.Data.Sum(v => (double)v * v));
        Assert.InRange(stepNorm, 2.5 - 1e-4, 2.5 + 1e-4);
    }

    [Fact]
    public void Optimizer_with_a_schedule_uses_the_scheduled_rate_of_each_step()
    {
        var p = new Parameter("w", Tensor.FromArray(new[] { 0f }));
        var opt = new Sgd(1f) { Schedule = LearningRateSchedule.Step(0.1f, stepSize: 2, factor: 0.5f) };
        float[] rates = new float[5];
        for (int t = 0; t < 5; t++)
        {
            p.Gradient[0] = 1f;
            opt.Step(p);
            rates[t] = opt.LearningRate;
        }
        Assert.Equal(new[] { 0.1f, 0.1f, 0.05f, 0.05f, 0.025f }, rates);
        Assert.Equal(-0.325f, p.Value[0], 6);
    }

    [Fact]
    public void Reset_forgets_momentum()
    {
        var p = NewWeight();
        var opt = new Momentum(0.1f, 0.9f);
        opt.Step(p);
        opt.Reset();
        p.Value.CopyFrom(Tensor.FromArray(new[] { 1f, -2f }));
        opt.Step(p);
        AssertValues(p, 0.95f, -2.025f);
        Assert.Equal(1, opt.StepCount);
    }

    [Fact]
    public void Negative_learning_rate_is_rejected_with_the_optimizer_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(-0.1f));
        Assert.Contains("Adam", e.Message);
        Assert.Contains("-0.1", e.Message);
    }

    [Fact]
    public void ToString_shows_the_hyperparameters()
    {
        Assert.Equal("Momentum(lr=0.01, momentum=0.9, weightDecay=0.1)", new Momentum(0.01f) { WeightDecay = 0.1f }.ToString());
    }
}
