using System.Diagnostics;

namespace NotebookCnn.Bench;

/// <summary>
/// <c>--profile</c>: where one training step of a network spends its time, layer by layer (forward and
/// backward), plus the loss and the Adam step; then each convolution's kernels called alone with its shapes.
/// </summary>
internal static class Profiler
{
    public static void Run(string network, int steps)
    {
        var contender = new NotebookCnnContender();
        var session = contender.SessionFor(network);
        var layers = session.Model.Layers;
        // Each part's minimum over the steps, besides the mean: on a shared machine the minimum is the
        // time the part takes when nothing else interrupts it.
        var forward = layers.Select(_ => new Timing()).ToArray();
        var backward = layers.Select(_ => new Timing()).ToArray();
        Timing loss = new(), optimizer = new(), step = new();
        // Warm up for a second: long enough for the JIT to replace every hot method by its optimised version.
        for (var warmUp = Stopwatch.StartNew(); warmUp.Elapsed.TotalSeconds < 1;) session.Step();

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
        // The same steps without the per-layer timers, as the throughput run measures them.
        var plain = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++) session.Step();
        double plainMs = plain.Elapsed.TotalMilliseconds / steps;

        Console.WriteLine($"## Profile: {network} training step, batch {Networks.TrainBatch}, {steps} steps");
        Console.WriteLine();
        Console.WriteLine("| part | forward ms (mean / min) | backward ms (mean / min) | share of mean step |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (int l = 0; l < layers.Count; l++)
            Row(layers[l].ToString() ?? layers[l].Name, forward[l], backward[l], totalMs);
        Row("SoftmaxCrossEntropy (forward + backward)", loss, new Timing(), totalMs);
        Row("Adam step", optimizer, new Timing(), totalMs);
        Console.WriteLine($"| **whole step** | {totalMs:F2} / {step.Min:F2} | | {Networks.TrainBatch / totalMs * 1000:F0} img/s (mean), {Networks.TrainBatch / step.Min * 1000:F0} img/s (fastest step) |");
        Console.WriteLine($"| **whole step, untimed parts** | {plainMs:F2} | | {Networks.TrainBatch / plainMs * 1000:F0} img/s |");
        Console.WriteLine();
        Allocations(session);
        Inference(session, steps);
        Kernels(session.Model, steps);
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

    /// <summary>Inference on the 1000-image test batch: time per call and the garbage collections it causes (outputs are new tensors).</summary>
    private static void Inference(NotebookCnnContender.Session session, int steps)
    {
        for (int i = 0; i < 3; i++) session.Model.Forward(session.Data.TestImages, training: false);
        int[] before = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        var timing = new Timing();
        for (int s = 0; s < steps; s++)
        {
            var watch = Stopwatch.StartNew();
            session.Model.Forward(session.Data.TestImages, training: false);
            timing.Add(watch.Elapsed.TotalMilliseconds);
        }
        bytes = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / steps;
        Console.WriteLine($"Inference, batch {Networks.InferBatch}: {timing} ms per call (mean / min), {bytes:N0} bytes allocated per call, " +
            $"garbage collections per 100 calls (gen 0, 1, 2): {string.Join(", ", Enumerable.Range(0, 3).Select(g => $"{(GC.CollectionCount(g) - before[g]) * 100.0 / steps:F0}"))}");
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

    /// <summary>
    /// Each convolution's kernels alone, on one thread, for a whole batch of its shapes: the per-image steps
    /// <see cref="Convolution"/> runs (im2col of the image, the three products, col2im), each timed over the batch.
    /// </summary>
    private static void Kernels(Sequential model, int steps)
    {
        if (!model.Layers.Any(layer => layer is Convolution)) return;
        var shape = new[] { Networks.TrainBatch, 1, 28, 28 };
        Console.WriteLine("Convolution kernels alone (one thread, whole batch, image by image as the layer runs them):");
        Console.WriteLine();
        Console.WriteLine("| layer | kernel | ms (mean / min) |");
        Console.WriteLine("|---|---|---:|");
        var random = Rng.Create(3);
        foreach (var layer in model.Layers)
        {
            int[] outputShape = layer.OutputShape(shape);
            if (layer is Convolution conv)
            {
                int n = shape[0], c = shape[1], h = shape[2], w = shape[3], oh = outputShape[2], ow = outputShape[3];
                var g = new Im2Col.Geometry("profile", n, c, h, w, conv.KernelHeight, conv.KernelWidth, conv.Stride, conv.Padding);
                int f = conv.Filters, positions = oh * ow, rowLength = g.RowLength, image = c * h * w;
                float[] x = Fill(n * image, random), columns = new float[rowLength * positions], weights = Fill(f * rowLength, random);
                float[] outputs = Fill(n * f * positions, random), dw = new float[f * rowLength], dx = new float[n * image];
                var parts = new (string Name, Action<int> Run)[]
                {
                    ($"Im2ColTransposed.Unfold [{c},{h},{w}] → [{rowLength}, {positions}]", b => Im2ColTransposed.Unfold(x, b * image, g, columns)),
                    ($"Gemm W·colᵀ {f}×{positions}×{rowLength}", b => MatMul.Gemm(MatrixView.Of(weights, f, rowLength), MatrixView.Of(columns, rowLength, positions), MatrixView.Of(outputs, f, positions, b * f * positions), maxDegreeOfParallelism: 1)),
                    ($"Gemm dout·col (A·Bᵀ) {f}×{rowLength}×{positions}", b => MatMul.Gemm(MatrixView.Of(outputs, f, positions, b * f * positions), MatrixView.Of(columns, rowLength, positions).T, MatrixView.Of(dw, f, rowLength), b > 0, 1)),
                    ($"Gemm Wᵀ·dout (Aᵀ·B) {rowLength}×{positions}×{f}", b => MatMul.Gemm(MatrixView.Of(weights, f, rowLength).T, MatrixView.Of(outputs, f, positions, b * f * positions), MatrixView.Of(columns, rowLength, positions), maxDegreeOfParallelism: 1)),
                    ($"Im2ColTransposed.Fold [{rowLength}, {positions}] → [{c},{h},{w}]", b => Im2ColTransposed.Fold(columns, g, x, b * image)),
                };
                foreach (var (name, run) in parts)
                {
                    for (int b = 0; b < n; b++) run(b);
                    var timing = new Timing();
                    for (int s = 0; s < steps; s++)
                    {
                        var watch = Stopwatch.StartNew();
                        for (int b = 0; b < n; b++) run(b);
                        timing.Add(watch.Elapsed.TotalMilliseconds);
                    }
                    Console.WriteLine($"| {conv.Name} | {name} | {timing} |");
                }
            }
            shape = outputShape;
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
