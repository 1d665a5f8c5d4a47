namespace NotebookCnn.Tests;

public class BatchNormTests
{
    /// <summary>Images whose channel c has mean 2c − 1 and standard deviation c + 1, plus a ramp along the rows.</summary>
    private static Tensor Images(int seed, int n, int c, int h, int w)
    {
        var x = Tensor.RandomNormal(1f, Rng.Create(seed), n, c, h, w);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int iy = 0; iy < h; iy++)
                    for (int ix = 0; ix < w; ix++)
                        x[b, ch, iy, ix] = x[b, ch, iy, ix] * (ch + 1) + 2 * ch - 1 + 0.5f * iy;
        return x;
    }

    /// <summary>A layer with γ and β away from their initial 1 and 0, so the check exercises them fully.</summary>
    private static BatchNorm WithRandomScaleAndShift(int features, int seed)
    {
        var bn = new BatchNorm(features, name: "bn");
        var random = Rng.Create(seed);
        for (int c = 0; c < features; c++)
        {
            bn.Gamma.Value.Data[c] = 0.5f + random.NextSingle();
            bn.Beta.Value.Data[c] = random.NextSingle() - 0.5f;
        }
        return bn;
    }

    [Fact]
    public void Gradient_check_passes_on_feature_rows()
    {
        var x = Tensor.RandomNormal(2f, Rng.Create(1), 6, 4);
        LayerTesting.AssertPasses(GradientCheck.Run(WithRandomScaleAndShift(4, 2), x, seed: 3));
    }

    [Fact]
    public void Gradient_check_passes_on_images()
    {
        var x = Images(seed: 4, 3, 2, 3, 3);
        var report = GradientCheck.Run(WithRandomScaleAndShift(2, 5), x, seed: 6);
        Assert.Equal(["input", "bn.gamma", "bn.beta"], report.Results.Select(r => r.Name));
        LayerTesting.AssertPasses(report);
    }

    [Theory]
    [InlineData(1.1f, 1f, "input")]
    [InlineData(1f, 1.1f, "bn.gamma")]
    public void Gradient_check_fails_when_a_gradient_is_off_by_ten_percent(float inputFactor, float parameterFactor, string row)
    {
        var x = Images(seed: 4, 3, 2, 3, 3);
        var report = GradientCheck.Run(new SabotagedLayer(WithRandomScaleAndShift(2, 5), inputFactor, parameterFactor), x, seed: 6);
        Assert.True(report[row].RelativeError > 0.05, report.ToString());
    }

    [Fact]
    public void Training_normalises_each_channel_over_batch_and_pixels()
    {
        // 16·8·24·24 values: also large enough for the parallel path.
        var x = Images(seed: 7, 16, 8, 24, 24);
        var y = new BatchNorm(8).Forward(x, training: true);
        int m = 16 * 24 * 24;
        for (int c = 0; c < 8; c++)
        {
            var xs = ChannelValues(x, c);
            var ys = ChannelValues(y, c);
            double mean = xs.Average(), variance = xs.Sum(v => (v - mean) * (v - mean)) / m;
            double yMean = ys.Average(), yVariance = ys.Sum(v => (v - yMean) * (v - yMean)) / m;
            Assert.InRange(yMean, -1e-4, 1e-4);
            Assert.InRange(yVariance, 1 - 1e-3, 1 + 1e-3);
            for (int i = 0; i < m; i += 97)
                Assert.Equal((xs[i] - mean) / Math.Sqrt(variance + BatchNorm.DefaultEpsilon), ys[i], 1e-4);
        }
    }

    [Fact]
    public void Training_on_images_does_not_normalise_each_pixel_position_separately()
    {
        // Rows have different means (the ramp 0.5·row). Per-channel statistics keep that difference;
        // per-pixel statistics (a known bug in a teaching reference) would give every position mean 0.
        var x = Images(seed: 8, 32, 2, 4, 4);
        var y = new BatchNorm(2).Forward(x, training: true);
        double top = Enumerable.Range(0, 32).Average(n => y[n, 0, 0, 0]);
        double bottom = Enumerable.Range(0, 32).Average(n => y[n, 0, 3, 0]);
        Assert.True(bottom - top > 0.5, $"row means {top:0.###} and {bottom:0.###} should differ");
    }

    [Fact]
    public void Training_on_rows_normalises_each_feature()
    {
        var x = Tensor.RandomNormal(3f, Rng.Create(9), 50, 3);
        for (int i = 0; i < 50; i++) x[i, 2] += 10f;
        var y = new BatchNorm(3).Forward(x, training: true);
        for (int f = 0; f < 3; f++)
        {
            var column = Enumerable.Range(0, 50).Select(i => (double)y[i, f]).ToArray();
            double mean = column.Average();
            Assert.InRange(mean, -1e-5, 1e-5);
            Assert.InRange(column.Sum(v => (v - mean) * (v - mean)) / 50, 0.999, 1.001);
        }
    }

    [Fact]
    public void Running_statistics_follow_the_momentum_formula()
    {
        var bn = new BatchNorm(1, momentum: 0.9f);
        bn.Forward(new Tensor([1f, 2f, 3f, 6f], 4, 1), training: true);
        // Batch mean 3, unbiased variance (4 + 1 + 0 + 9) / 3 = 14/3; running starts at mean 0, variance 1.
        Assert.Equal(0.1f * 3f, bn.RunningMean[0], 6);
        Assert.Equal(0.9f + 0.1f * 14f / 3f, bn.RunningVariance[0], 5);
    }

    [Fact]
    public void Running_statistics_converge_to_the_data_statistics()
    {
        var bn = new BatchNorm(2);
        var random = Rng.Create(10);
        for (int step = 0; step < 100; step++)
        {
            var x = Tensor.RandomNormal(1f, random, 8, 2, 4, 4);
            for (int i = 0; i < x.Length; i++)
                x.Data[i] = (i / 16 % 2 == 0) ? 3f + 2f * x.Data[i] : -1f + 0.5f * x.Data[i]; // channel 0: N(3, 2²), channel 1: N(−1, 0.5²)
            bn.Forward(x, training: true);
        }
        // The running averages weigh about the last 20 batches (2560 values): tolerances ≈ 3 standard errors.
        Assert.Equal(3.0, bn.RunningMean[0], 0.15);
        Assert.Equal(4.0, bn.RunningVariance[0], 0.5);
        Assert.Equal(-1.0, bn.RunningMean[1], 0.04);
        Assert.Equal(0.25, bn.RunningVariance[1], 0.04);
    }

    [Fact]
    public void Inference_uses_the_running_statistics_not_the_batch()
    {
        var bn = new BatchNorm(2, name: "bn1");
        for (int step = 0; step < 3; step++) bn.Forward(Images(step, 4, 2, 3, 3), training: true);
        var x = Images(seed: 11, 4, 2, 3, 3);
        var inference = bn.Forward(x, training: false);
        var training = bn.Forward(x, training: true);
        Assert.NotEqual(training.Data, inference.Data);
        // Recompute inference from the running statistics as they were (the training call above moved them).
        var bn2 = new BatchNorm(2);
        for (int step = 0; step < 3; step++) bn2.Forward(Images(step, 4, 2, 3, 3), training: true);
        var mean = bn2.RunningMean.Clone();
        var variance = bn2.RunningVariance.Clone();
        var y = bn2.Forward(x, training: false);
        for (int i = 0; i < x.Length; i++)
        {
            int c = i / 9 % 2;
            Assert.Equal((x.Data[i] - mean[c]) / MathF.Sqrt(variance[c] + BatchNorm.DefaultEpsilon), y.Data[i], 1e-5f);
        }
        Assert.Equal(mean.Data, bn2.RunningMean.Data); // inference does not update the running statistics
        Assert.Equal(inference.Data, y.Data);
    }

    [Fact]
    public void Backward_after_inference_treats_the_statistics_as_constants()
    {
        var bn = WithRandomScaleAndShift(2, 12);
        bn.Forward(Images(seed: 13, 4, 2, 3, 3), training: true);
        bn.Forward(Images(seed: 14, 4, 2, 3, 3), training: false);
        var dout = Tensor.RandomNormal(1f, Rng.Create(15), 4, 2, 3, 3);
        var dx = bn.Backward(dout);
        for (int i = 0; i < dx.Length; i++)
        {
            int c = i / 9 % 2;
            float expected = bn.Gamma.Value[c] * dout.Data[i] / MathF.Sqrt(bn.RunningVariance[c] + BatchNorm.DefaultEpsilon);
            Assert.Equal(expected, dx.Data[i], 1e-5f);
        }
    }

    [Fact]
    public void A_constant_channel_gives_beta_instead_of_nan()
    {
        var bn = new BatchNorm(1);
        bn.Beta.Value.Data[0] = 0.5f;
        var y = bn.Forward(Tensor.Full(4f, 3, 1, 2, 2), training: true);
        Assert.All(y.Data, v => Assert.Equal(0.5f, v));
        Assert.Equal(1e-5f, BatchNorm.DefaultEpsilon);
    }

    [Fact]
    public void Backward_does_not_change_dout()
    {
        foreach (var training in new[] { true, false })
        {
            var bn = WithRandomScaleAndShift(2, 16);
            bn.Forward(Images(seed: 17, 4, 2, 3, 3), training);
            var dout = Tensor.RandomNormal(1f, Rng.Create(18), 4, 2, 3, 3);
            var before = dout.Clone();
            bn.Backward(dout);
            Assert.Equal(before.Data, dout.Data);
        }
    }

    [Fact]
    public void Parameters_and_buffers_are_named_after_the_layer()
    {
        var bn = new BatchNorm(16, name: "bn1");
        Assert.Equal(["bn1.gamma", "bn1.beta"], bn.Parameters.Select(p => p.Name));
        Assert.All(bn.Parameters, p => Assert.False(p.IsWeight));
        Assert.All(bn.Gamma.Value.Data, v => Assert.Equal(1f, v));
        Assert.All(bn.Beta.Value.Data, v => Assert.Equal(0f, v));
        Assert.Equal(["bn1.runningMean", "bn1.runningVariance"], bn.Buffers.Select(b => b.Name));
        Assert.Equal(32, bn.ParameterCount);
        bn.Name = "batchnorm2";
        Assert.Equal("batchnorm2.gamma", bn.Parameters[0].Name);
        Assert.Equal("batchnorm", new BatchNorm(3).Name);
        Assert.Equal("BatchNorm bn1: 16 features, momentum 0.9, epsilon 1e-5", new BatchNorm(16, name: "bn1").ToString());
    }

    [Fact]
    public void Wrong_channel_count_or_rank_names_the_layer_and_the_shapes()
    {
        var bn = new BatchNorm(16, name: "bn1");
        var e = Assert.Throws<ArgumentException>(() => bn.Forward(new Tensor(2, 8, 4, 4), training: true));
        Assert.Contains("BatchNorm 'bn1'", e.Message);
        Assert.Contains("expects 16 channels", e.Message);
        Assert.Contains("[2, 8, 4, 4]", e.Message);
        var rank = Assert.Throws<ArgumentException>(() => bn.Forward(new Tensor(2, 16, 4), training: true));
        Assert.Contains("[N, C, H, W] or [N, D]", rank.Message);
        Assert.Contains("[2, 16, 4]", rank.Message);
        var features = Assert.Throws<ArgumentException>(() => bn.OutputShape([5, 10]));
        Assert.Contains("expects 16 features", features.Message);
    }

    [Fact]
    public void Training_on_a_single_value_per_feature_throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm(3, name: "bn1").Forward(new Tensor(1, 3), training: true));
        Assert.Contains("'bn1'", e.Message);
        Assert.Contains("[1, 3]", e.Message);
        Assert.Equal(new[] { 1, 3 }, new BatchNorm(3).Forward(new Tensor(1, 3), training: false).ShapeArray());
    }

    [Theory]
    [InlineData(0, 0.9f, 1e-5f)]
    [InlineData(4, 1.5f, 1e-5f)]
    [InlineData(4, -0.1f, 1e-5f)]
    [InlineData(4, 0.9f, 0f)]
    public void Bad_settings_throw(int features, float momentum, float epsilon) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(features, momentum, epsilon));

    private static double[] ChannelValues(Tensor t, int c)
    {
        int n = t.Dim(0), channels = t.Dim(1), plane = t.Dim(2) * t.Dim(3);
        var values = new double[n * plane];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < plane; i++) values[b * plane + i] = t.Data[(b * channels + c) * plane + i];
        return values;
    }
}
