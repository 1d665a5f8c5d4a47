using System.Diagnostics;

namespace NotebookCnn.Bench;

/// <summary>NotebookCnn itself, in this process: the training loop a student writes (forward, loss, backward, Adam step).</summary>
internal sealed class NotebookCnnContender : IContender
{
    private readonly Dictionary<string, Session> _sessions = [];
    private readonly Dictionary<(int, int, int), (float[] A, float[] B, float[] C)> _matrices = [];

    public string Name => "notebookcnn";

    public string Description =>
        $"NotebookCnn {typeof(Tensor).Assembly.GetName().Version} on .NET {Environment.Version}, " +
        $"{Environment.ProcessorCount} threads available, Vector256 hardware-accelerated: {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}";

    public double Train(string network, int iterations)
    {
        var session = SessionFor(network);
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) session.Step();
        return stopwatch.Elapsed.TotalSeconds;
    }

    public double Infer(string network, int iterations)
    {
        var session = SessionFor(network);
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) session.Model.Forward(session.Data.TestImages, training: false);
        return stopwatch.Elapsed.TotalSeconds;
    }

    public double MatMul(int m, int n, int k, bool transposeA, bool transposeB, int iterations)
    {
        if (!_matrices.TryGetValue((m, n, k), out var abc))
        {
            var random = Rng.Create(7);
            abc = (Random(m * k, random), Random(k * n, random), new float[m * n]);
            _matrices[(m, n, k)] = abc;
        }
        NotebookCnn.MatMul.Gemm(abc.A, abc.B, abc.C, m, n, k, transposeA, transposeB);
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
            NotebookCnn.MatMul.Gemm(abc.A, abc.B, abc.C, m, n, k, transposeA, transposeB);
        return stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Bytes allocated (all threads) per training step, measured over <paramref name="steps"/> steady-state steps.</summary>
    public double AllocatedBytesPerStep(string network, int steps)
    {
        var session = SessionFor(network);
        for (int i = 0; i < 3; i++) session.Step();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < steps; i++) session.Step();
        long after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before) / (double)steps;
    }

    /// <summary>
    /// Bytes allocated (all threads) per plain inference call on the test batch, and the gen-2 collections that
    /// <paramref name="calls"/> calls caused, after a warm-up call.
    /// </summary>
    public (double BytesPerCall, int Gen2Collections) InferenceAllocation(string network, int calls)
    {
        var session = SessionFor(network);
        session.Model.Forward(session.Data.TestImages, training: false);
        int gen2Before = GC.CollectionCount(2);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < calls; i++) session.Model.Forward(session.Data.TestImages, training: false);
        long after = GC.GetTotalAllocatedBytes(precise: true);
        return ((after - before) / (double)calls, GC.CollectionCount(2) - gen2Before);
    }

    internal Session SessionFor(string network)
    {
        if (!_sessions.TryGetValue(network, out var session))
            _sessions[network] = session = new Session(Networks.Create(network), new RandomData(seed: 42));
        return session;
    }

    private static float[] Random(int length, Random random)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.NextSingle();
        return values;
    }

    public void Dispose() { }

    /// <summary>One network, its loss and optimizer, and the minibatches it cycles through.</summary>
    internal sealed class Session
    {
        private int _step;

        public Session(Sequential model, RandomData data)
        {
            (Model, Data, Parameters) = (model, data, model.Parameters);
            // As Trainer does (and PyTorch, for data that does not require a gradient): no ∂L/∂images.
            model.InputGradientNeeded = false;
        }

        public Sequential Model { get; }
        public RandomData Data { get; }
        public SoftmaxCrossEntropy Loss { get; } = new();
        public Adam Optimizer { get; } = new(learningRate: 1e-3f);

        // Read once: Sequential.Parameters builds a new list on every call.
        public IReadOnlyList<Parameter> Parameters { get; }

        public int NextBatch() => _step++ % RandomData.DistinctBatches;

        public void Step()
        {
            int b = NextBatch();
            Tensor scores = Model.Forward(Data.Images[b], training: true);
            Loss.Forward(scores, Data.Labels[b]);
            Model.Backward(Loss.Backward());
            Optimizer.Step(Parameters);
        }
    }
}
