using System.Diagnostics;

namespace NotebookCnn.Bench;

/// <summary>
/// <c>--profile</c>: where one SimpleConvNet training step spends its time, layer by layer (forward and
/// backward), plus the loss and the Adam step; then the convolution's kernels called alone with its shapes.
/// </summary>
internal static class Profiler
{
    public static void Run(int steps)
    {
        var contender = new NotebookCnnContender();
        var session = contender.SessionFor("SimpleConvNet");
        var layers = session.Model.Layers;
        // Each part's minimum over the steps, besides the mean: on a shared machine the minimum is the
        // time the part takes when nothing else interrupts it.
        var forward = layers.Select(_ => new Timing()).ToArray();
        var backward = layers.Select(_ => new Timing()).ToArray();
        Timing loss = new(), optimizer = new(), step = new();
        for (int i = 0; i < 5; i++) session.Step();

        var watch = new Stopwatch();
        var total = Stopwatch.StartNew();
        var stepWatch = new Stopwatch();
        for (int s = 0; s < steps; s++)
        {
            stepWatch.Restart();
            int b = session.NextBatch();
            Tensor x = session.Data.Images[b];
            for (int l = 0; l < layers.Count; l++)
            {
                watch.Restart();
                x = layers[l].Forward(x, training: true);
                forward[l].Add(watch.Elapsed.TotalMilliseconds);
            }
            watch.Restart();
            session.Loss.Forward(x, session.Data.Labels[b]);
            Tensor dout = session.Loss.Backward();
            loss.Add(watch.Elapsed.TotalMilliseconds);
            for (int l = layers.Count - 1; l >= 0; l--)
            {
                watch.Restart();
                dout = layers[l].Backward(dout);
                backward[l].Add(watch.Elapsed.TotalMilliseconds);
            }
            watch.Restart();
            session.Optimizer.Step(session.Parameters);
            optimizer.Add(watch.Elapsed.TotalMilliseconds);
            step.Add(stepWatch.Elapsed.TotalMilliseconds);
        }
        double totalMs = total.Elapsed.TotalMilliseconds / steps;

        Console.WriteLine($"## Profile: SimpleConvNet training step, batch {Networks.TrainBatch}, {steps} steps");
        Console.WriteLine();
        Console.WriteLine("| part | forward ms (mean / min) | backward ms (mean / min) | share of mean step |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (int l = 0; l < layers.Count; l++)
            Row(layers[l].ToString() ?? layers[l].Name, forward[l], backward[l], totalMs);
        Row("SoftmaxCrossEntropy (forward + backward)", loss, new Timing(), totalMs);
        Row("Adam step", optimizer, new Timing(), totalMs);
        Console.WriteLine($"| **whole step** | {totalMs:F2} / {step.Min:F2} | | {Networks.TrainBatch / totalMs * 1000:F0} img/s (mean), {Networks.TrainBatch / step.Min * 1000:F0} img/s (fastest step) |");
        Console.WriteLine();
        Allocations(session);
        Kernels(steps);
    }

    /// <summary>Bytes allocated (all threads) by each part of one steady-state step.</summary>
    private static void Allocations(NotebookCnnContender.Session session)
    {
        var layers = session.Model.Layers;
        var parts = new List<(string Name, long Bytes)>();
        int b = session.NextBatch();
        Tensor x = session.Data.Images[b];
        long Measure(Action action)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            action();
            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        foreach (var layer in layers) parts.Add((layer.Name + " forward", Measure(() => x = layer.Forward(x, training: true))));
        Tensor dout = x;
        parts.Add(("loss forward + backward", Measure(() => { session.Loss.Forward(x, session.Data.Labels[b]); dout = session.Loss.Backward(); })));
        for (int l = layers.Count - 1; l >= 0; l--)
            parts.Add((layers[l].Name + " backward", Measure(() => dout = layers[l].Backward(dout))));
        parts.Add(("Adam step", Measure(() => session.Optimizer.Step(session.Parameters))));
        Console.WriteLine("Bytes allocated by each part of one step (all threads):");
        Console.WriteLine();
        Console.WriteLine("| part | bytes |");
        Console.WriteLine("|---|---:|");
        foreach (var (name, bytes) in parts) Console.WriteLine($"| {name} | {bytes:N0} |");
        Console.WriteLine($"| **total** | {parts.Sum(p => p.Bytes):N0} |");
        Console.WriteLine();
    }

    private static void Row(string name, Timing forward, Timing backward, double totalMs) =>
        Console.WriteLine($"| {name} | {forward} | {backward} | {(forward.Mean + backward.Mean) / totalMs:P1} |");

    /// <summary>Mean and minimum of one part's times, in milliseconds.</summary>
    private sealed class Timing
    {
        private double _sum;
        private int _count;

        public double Min { get; private set; } = double.MaxValue;
        public double Mean => _count == 0 ? 0 : _sum / _count;

        public void Add(double ms)
        {
            _sum += ms;
            _count++;
            Min = Math.Min(Min, ms);
        }

        public override string ToString() => _count == 0 ? "" : $"{Mean:F3} / {Min:F3}";
    }

    /// <summary>The convolution's kernels alone, with the shapes conv1 of SimpleConvNet gives them.</summary>
    private static void Kernels(int steps)
    {
        const int n = Networks.TrainBatch, c = 1, h = 28, w = 28, k = 5, f = 30, oh = 24;
        int rows = n * oh * oh, rowLength = c * k * k;
        var random = Rng.Create(3);
        float[] x = Fill(n * c * h * w, random), col = new float[rows * rowLength], weights = Fill(f * rowLength, random);
        float[] outRows = Fill(rows * f, random), dw = new float[f * rowLength], dcol = new float[rows * rowLength], dx = new float[n * c * h * w];
        var parts = new (string Name, Action Run)[]
        {
            ("Im2Col.Unfold [100,1,28,28] → [57600, 25]", () => Im2Col.Unfold(x, n, c, h, w, k, k, 1, 0, col)),
            ("Gemm col·Wᵀ 57600×30×25", () => MatMul.Gemm(col, weights, outRows, rows, f, rowLength, transposeB: true)),
            ("Gemm doutᵀ·col 30×25×57600", () => MatMul.Gemm(outRows, col, dw, f, rowLength, rows, transposeA: true)),
            ("Gemm dout·W 57600×25×30", () => MatMul.Gemm(outRows, weights, dcol, rows, rowLength, f)),
            ("Col2Im.Fold [57600, 25] → [100,1,28,28]", () => Col2Im.Fold(dcol, n, c, h, w, k, k, 1, 0, dx)),
        };
        Console.WriteLine("Convolution kernels alone (conv1 shapes):");
        Console.WriteLine();
        Console.WriteLine("| kernel | ms (mean / min) |");
        Console.WriteLine("|---|---:|");
        foreach (var (name, run) in parts)
        {
            run();
            var timing = new Timing();
            for (int s = 0; s < steps; s++)
            {
                var watch = Stopwatch.StartNew();
                run();
                timing.Add(watch.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"| {name} | {timing} |");
        }
        Console.WriteLine();
    }

    private static float[] Fill(int length, Random random)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.NextSingle();
        return values;
    }
}
