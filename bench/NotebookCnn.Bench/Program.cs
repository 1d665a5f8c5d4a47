using System.Globalization;
using System.Runtime.InteropServices;
using NotebookCnn.Bench;

// NotebookCnn.Bench: trains and infers the course's networks in NotebookCnn and in its peers (TorchSharp, PyTorch),
// float32, batch 100 (inference 1000), runs interleaved, median of several repeats. See bench/README.md.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length >= 1 && args[0] == "--serve-torchsharp")
    return TorchSharpServer.Run(args.Length >= 2 ? int.Parse(args[1]) : 2);

bool quick = args.Contains("--quick");
// --network NAME (repeatable) limits the run, or the profile, to those networks.
var networks = new List<string>();
var unknown = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--network" && i + 1 < args.Length)
    {
        string name = args[++i];
        string? known = Networks.Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            Console.Error.WriteLine($"Unknown network '{name}'. Known: {string.Join(", ", Networks.Names)}.");
            return 2;
        }
        networks.Add(known);
    }
    else if (args[i] is not ("--quick" or "--profile" or "--no-pytorch" or "--no-torchsharp" or "--no-matmul"))
        unknown.Add(args[i]);
}
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown option {unknown[0]}. Options: --quick, --profile, --network NAME, --no-pytorch, --no-torchsharp, --no-matmul.");
    return 2;
}
if (networks.Count == 0) networks.AddRange(Networks.Names);
if (args.Contains("--profile"))
{
    foreach (string network in networks) Profiler.Run(network, quick ? 20 : 100);
    return 0;
}

int threads = Environment.ProcessorCount;
int repeats = quick ? 3 : 7;
double chunkSeconds = quick ? 0.25 : 1.0;
var machine = Machine.Detect();

Console.WriteLine("# NotebookCnn benchmark");
Console.WriteLine();
Console.WriteLine($"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; mode: {(quick ? "--quick" : "full")}; {repeats} repeats of ≈{chunkSeconds} s per contender, interleaved, after a warm-up; medians");
Console.WriteLine($"- Machine: {machine.Cpu}, {machine.Cores} cores at {machine.ClockGHz:F2} GHz, {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}");
Console.WriteLine($"- Threads: {threads} for every contender (OMP_NUM_THREADS / torch.set_num_threads)");
Console.WriteLine($"- Load average at start (1, 5, 15 min): {LoadAverage()}");

var contenders = new List<IContender> { new NotebookCnnContender() };
var notes = new List<string>();
if (!args.Contains("--no-torchsharp")) TryStart("torchsharp", () => PeerProcess.StartTorchSharp(threads));
if (!args.Contains("--no-pytorch")) TryStart("pytorch", () => PeerProcess.StartPyTorch(threads));
foreach (var c in contenders) Console.WriteLine($"- {c.Name}: {c.Description}");
Console.WriteLine($"- TorchSharp runtime: {TorchSharpRuntime.Describe()}");
foreach (var note in notes) Console.WriteLine($"- {note}");
Console.WriteLine();

try
{
    var results = new List<(string Network, string Mode, Dictionary<string, double> ImagesPerSecond)>();
    foreach (string network in networks)
        foreach (string mode in new[] { "train", "infer" })
        {
            Console.Error.WriteLine($"… {network} {mode}");
            var perSecond = Measure(contenders, repeats, chunkSeconds,
                (c, iterations) => mode == "train" ? c.Train(network, iterations) : c.Infer(network, iterations),
                mode == "train" ? Networks.TrainBatch : Networks.InferBatch);
            results.Add((network, mode, perSecond));
        }

    var notebookCnn = (NotebookCnnContender)contenders[0];
    var matMulResults = new List<(string Shape, Dictionary<string, double> GigaflopsPerSecond)>();
    Console.WriteLine("## Throughput (images per second, median)");
    Console.WriteLine();
    Console.WriteLine($"| network | mode | batch | {string.Join(" | ", contenders.Select(c => c.Name))} | {string.Join(" | ", contenders.Skip(1).Select(c => "ratio vs " + c.Name))} | notebookcnn GFLOP/s |");
    Console.WriteLine($"|---|---|---:|{string.Concat(contenders.Select(_ => "---:|"))}{string.Concat(contenders.Skip(1).Select(_ => "---:|"))}---:|");
    foreach (var (network, mode, ips) in results)
    {
        double own = ips["notebookcnn"];
        double flops = mode == "train" ? Networks.TrainFlopsPerImage(network) : Networks.InferFlopsPerImage(network);
        Console.WriteLine($"| {network} | {mode} | {(mode == "train" ? Networks.TrainBatch : Networks.InferBatch)} | " +
            string.Join(" | ", contenders.Select(c => $"{ips[c.Name]:N0}")) + " | " +
            string.Concat(contenders.Skip(1).Select(c => $"{own / ips[c.Name]:F2} | ")) + $"{own * flops / 1e9:F1} |");
    }
    Console.WriteLine();
    Console.WriteLine("GFLOP/s counts 2 × multiply-adds of convolutions and affine layers (training: forward + 2 × backward).");
    Console.WriteLine();

    Console.WriteLine("## Allocation (NotebookCnn, steady-state training, all threads)");
    Console.WriteLine();
    Console.WriteLine("| network | bytes per training minibatch | bytes per inference call (batch 1000) | gen-2 collections per 100 inference calls |");
    Console.WriteLine("|---|---:|---:|---:|");
    foreach (string network in networks)
    {
        var (inferenceBytes, gen2) = notebookCnn.InferenceAllocation(network, calls: 100);
        Console.WriteLine($"| {network} | {notebookCnn.AllocatedBytesPerStep(network, quick ? 10 : 50):N0} | {inferenceBytes:N0} | {gen2} |");
    }
    Console.WriteLine();
    Console.WriteLine("Inference is a plain `model.Forward(images, training: false)`, as a notebook calls it; its result (the scores) is a new tensor each call.");
    Console.WriteLine();

    if (!args.Contains("--no-matmul"))
    {
        Console.WriteLine("## Matrix multiply (GFLOP/s, median)");
        Console.WriteLine();
        foreach (string line in machine.Derivation()) Console.WriteLine($"    {line}");
        Console.WriteLine();
        Console.WriteLine($"| shape | m×n×k | {string.Join(" | ", contenders.Select(c => c.Name))} | notebookcnn % of peak |");
        Console.WriteLine($"|---|---|{string.Concat(contenders.Select(_ => "---:|"))}---:|");
        foreach (var (label, m, n, k, ta, tb, oneImage) in Networks.MatMulShapes)
        {
            Console.Error.WriteLine($"… matmul {label}");
            // A one-image product is below MatMul's parallel threshold and runs on one core: compare it with one core's peak.
            double peak = oneImage ? machine.Peak / machine.Cores : machine.Peak;
            double flops = 2.0 * m * n * k;
            var gflops = Measure(contenders, repeats, chunkSeconds / 2,
                (c, iterations) => c.MatMul(m, n, k, ta, tb, iterations), flops / 1e9);
            string transposes = (ta ? "Aᵀ" : "A") + "·" + (tb ? "Bᵀ" : "B");
            matMulResults.Add(($"{label} {m}×{n}×{k}", gflops));
            Console.WriteLine($"| {label} ({transposes}){(oneImage ? ", one image" : "")} | {m}×{n}×{k} | " +
                string.Join(" | ", contenders.Select(c => $"{gflops[c.Name]:F1}")) + $" | {gflops["notebookcnn"] / peak:P0} |");
        }
        Console.WriteLine();
        Console.WriteLine("Peers multiply the same m, n, k without transposes (torch.mm). A convolution layer multiplies one image at a time,");
        Console.WriteLine("one image per core: rows marked \"one image\" are such a product, run by NotebookCnn on one thread, and their");
        Console.WriteLine("% is of one core's peak.");
        Console.WriteLine();
    }

    Console.WriteLine($"Load average at the end (1, 5, 15 min): {LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("## Ratios");
    Console.WriteLine();
    foreach (string mode in new[] { "train", "infer" })
        foreach (var (network, _, ips) in results.Where(r => r.Mode == mode))
            foreach (var peer in contenders.Skip(1))
                Console.WriteLine($"{network} {mode}: notebookcnn {ips["notebookcnn"]:F0} img/s, {peer.Name} {ips[peer.Name]:F0} img/s, ratio {ips["notebookcnn"] / ips[peer.Name]:F2}");
    foreach (var (shape, gflops) in matMulResults)
        foreach (var peer in contenders.Skip(1))
            Console.WriteLine($"matmul {shape}: notebookcnn {gflops["notebookcnn"]:F1} GFLOP/s, {peer.Name} {gflops[peer.Name]:F1} GFLOP/s, ratio {gflops["notebookcnn"] / gflops[peer.Name]:F2}");
}
finally
{
    foreach (var c in contenders) c.Dispose();
}
return 0;

void TryStart(string name, Func<IContender> start)
{
    try
    {
        contenders.Add(start());
    }
    catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException or System.Text.Json.JsonException)
    {
        notes.Add($"{name} peer not measured: {e.Message.Split('\n')[0]}");
        Console.Error.WriteLine($"{name} peer not available: {e.Message}");
    }
}

// Warm-up (one second) and calibration (each contender gets the iteration count that fills one chunk), then
// `repeats` rounds in which every contender runs one chunk, the order rotating each round; returns
// the median of units per second (images or GFLOP) per contender.
static Dictionary<string, double> Measure(List<IContender> contenders, int repeats, double chunkSeconds,
    Func<IContender, int, double> run, double unitsPerIteration)
{
    var iterations = new Dictionary<string, int>();
    foreach (var c in contenders)
    {
        // Warm up for a second: the .NET JIT replaces hot methods by optimised ones only after some calls
        // (tiered compilation), and the peers fill their caches and thread pools.
        for (var warmUp = System.Diagnostics.Stopwatch.StartNew(); warmUp.Elapsed.TotalSeconds < 1;) run(c, 1);
        int probe = 1;
        double seconds;
        while ((seconds = run(c, probe)) < chunkSeconds / 10 && probe < 1 << 20) probe *= 4;
        iterations[c.Name] = Math.Max(1, (int)Math.Round(chunkSeconds / (seconds / probe)));
    }
    var samples = contenders.ToDictionary(c => c.Name, _ => new List<double>());
    for (int r = 0; r < repeats; r++)
        for (int i = 0; i < contenders.Count; i++)
        {
            var c = contenders[(i + r) % contenders.Count];
            int n = iterations[c.Name];
            samples[c.Name].Add(n * unitsPerIteration / run(c, n));
        }
    return samples.ToDictionary(s => s.Key, s => Median(s.Value));
}

static string LoadAverage() => File.Exists("/proc/loadavg")
    ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
    : "unknown";

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    int mid = sorted.Count / 2;
    return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
