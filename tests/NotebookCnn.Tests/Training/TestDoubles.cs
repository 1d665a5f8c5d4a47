namespace NotebookCnn.Tests.Training;

// Test doubles: small stand-ins for the library's real layers and losses, written with plain loops so the
// training tests do not depend on them. They follow the same contracts (Backward overwrites gradients).

/// <summary>Test double of an affine layer: y = x·W + b, with W [in, out] and b [out].</summary>
internal sealed class TestLinear : Layer
{
    private readonly Parameter _weight;
    private readonly Parameter _bias;
    private Tensor? _x;

    public TestLinear(string name, int inputs, int outputs, int seed, float std = 0.1f) : base(name)
    {
        _weight = new Parameter(name + ".weight", Tensor.RandomNormal(std, Rng.Create(seed), inputs, outputs));
        _bias = new Parameter(name + ".bias", new Tensor(outputs), isWeight: false);
    }

    public Parameter Weight => _weight;
    public Parameter Bias => _bias;
    private int Inputs => _weight.Value.Dim(0);
    private int Outputs => _weight.Value.Dim(1);

    public override IReadOnlyList<Parameter> Parameters => new[] { _weight, _bias };

    public override Tensor Forward(Tensor x, bool training)
    {
        int n = x.Dim(0);
        _x = x.Reshape(n, Inputs);
        var y = new Tensor(n, Outputs);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < Outputs; j++)
            {
                float sum = _bias.Value[j];
                for (int k = 0; k < Inputs; k++) sum += _x[i, k] * _weight.Value[k, j];
                y[i, j] = sum;
            }
        return y;
    }

    public override Tensor Backward(Tensor dout)
    {
        var x = _x ?? throw new InvalidOperationException("Backward before Forward");
        int n = x.Dim(0);
        _weight.Gradient.Clear();
        _bias.Gradient.Clear();
        var dx = new Tensor(n, Inputs);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < Outputs; j++)
            {
                float d = dout[i, j];
                _bias.Gradient[j] += d;
                for (int k = 0; k < Inputs; k++)
                {
                    _weight.Gradient[k, j] += x[i, k] * d;
                    dx[i, k] += d * _weight.Value[k, j];
                }
            }
        return dx;
    }

    public override int[] OutputShape(int[] inputShape) => new[] { inputShape[0], Outputs };
}

/// <summary>Test double with a buffer: passes its input through and keeps a running mean of it while training.</summary>
internal sealed class TestRunningMean : Layer
{
    private readonly Tensor _runningMean;

    public TestRunningMean(string name, int features) : base(name) => _runningMean = new Tensor(features);

    public Tensor RunningMean => _runningMean;

    public override IReadOnlyList<(string Name, Tensor Value)> Buffers => new[] { (Name + ".running_mean", _runningMean) };

    public override Tensor Forward(Tensor x, bool training)
    {
        if (training)
        {
            int n = x.Dim(0), f = _runningMean.Length;
            for (int j = 0; j < f; j++)
            {
                float mean = 0;
                for (int i = 0; i < n; i++) mean += x.Data[i * f + j];
                _runningMean[j] = 0.9f * _runningMean[j] + 0.1f * mean / n;
            }
        }
        return x;
    }

    public override Tensor Backward(Tensor dout) => dout;

    public override int[] OutputShape(int[] inputShape) => inputShape;
}

/// <summary>Test double of a layer stack.</summary>
internal sealed class TestSequential(params Layer[] layers) : Layer("net")
{
    public override IReadOnlyList<Parameter> Parameters => layers.SelectMany(l => l.Parameters).ToArray();

    public override IReadOnlyList<(string Name, Tensor Value)> Buffers => layers.SelectMany(l => l.Buffers).ToArray();

    public override Tensor Forward(Tensor x, bool training)
    {
        foreach (var layer in layers) x = layer.Forward(x, training);
        return x;
    }

    public override Tensor Backward(Tensor dout)
    {
        for (int i = layers.Length - 1; i >= 0; i--) dout = layers[i].Backward(dout);
        return dout;
    }

    public override int[] OutputShape(int[] inputShape)
    {
        foreach (var layer in layers) inputShape = layer.OutputShape(inputShape);
        return inputShape;
    }
}

/// <summary>Test double of softmax + cross-entropy: mean over the batch of −log softmax(output)[label].</summary>
internal sealed class TestSoftmaxCrossEntropy : Loss
{
    private Tensor? _probabilities;
    private Tensor? _target;

    public override float Forward(Tensor output, Tensor target)
    {
        int n = output.Dim(0), c = output.Dim(1);
        var p = new Tensor(n, c);
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            float max = float.NegativeInfinity;
            for (int j = 0; j < c; j++) max = Math.Max(max, output[i, j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.Exp(output[i, j] - max);
            for (int j = 0; j < c; j++)
            {
                p[i, j] = (float)(Math.Exp(output[i, j] - max) / sum);
                if (target[i, j] > 0) loss -= target[i, j] * Math.Log(p[i, j] + 1e-7);
            }
        }
        _probabilities = p;
        _target = target;
        return (float)(loss / n);
    }

    public override Tensor Backward()
    {
        var p = _probabilities ?? throw new InvalidOperationException("Backward before Forward");
        var t = _target!;
        int n = p.Dim(0);
        var d = p.ZerosLike();
        for (int i = 0; i < p.Length; i++) d.Data[i] = (p.Data[i] - t.Data[i]) / n;
        return d;
    }
}

/// <summary>Small datasets for the training tests.</summary>
internal static class TestData
{
    /// <summary>Two well-separated clouds of 2-D points: class 0 around (−2, −1), class 1 around (2, 1).</summary>
    public static Dataset TwoClouds(int count, int seed, bool flipLabels = false)
    {
        var random = Rng.Create(seed);
        var inputs = new Tensor(count, 2);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            float sign = label == 0 ? -1 : 1;
            inputs[i, 0] = sign * 2 + 0.5f * Rng.NextGaussian(random);
            inputs[i, 1] = sign * 1 + 0.5f * Rng.NextGaussian(random);
            labels[i] = flipLabels ? 1 - label : label;
        }
        return new Dataset(inputs, labels, new[] { "left", "right" }, flipLabels ? "clouds-flipped" : "clouds");
    }
}
