using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NotebookCnn.Bench;

/// <summary>
/// A peer in its own process, spoken to by one command line per request and one JSON line per answer
/// (the protocol is described in peers/pytorch_bench.py). Both PyTorch and TorchSharp run this way, so each
/// keeps its own native runtime and thread pool, and the bench interleaves their runs with its own.
/// </summary>
internal sealed class PeerProcess : IContender
{
    private readonly Process _process;

    private PeerProcess(string name, ProcessStartInfo start)
    {
        Name = name;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {name} peer.");
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Errors.Add(e.Data); };
        _process.BeginErrorReadLine();
        var hello = Ask("hello");
        Description = string.Join(", ", hello.EnumerateObject().Select(p => $"{p.Name} {p.Value}"));
    }

    public string Name { get; }
    public string Description { get; }
    private List<string> Errors { get; } = [];

    /// <summary>Starts the PyTorch peer with Debian's python3-torch and OpenBLAS (OpenMP build), 2 threads.</summary>
    public static PeerProcess StartPyTorch(int threads)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "peers", "pytorch_bench.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { ArgumentList = { "-u", script } };
        const string openBlas = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
        if (Directory.Exists(openBlas)) start.Environment["LD_LIBRARY_PATH"] = openBlas;
        start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        // Set on some processors for old OpenBLAS builds; they would pin a slower kernel (see bench/README.md).
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        return new PeerProcess("pytorch", start);
    }

    /// <summary>Starts this bench again in TorchSharp server mode, under the runtime TorchSharp needs (see TorchSharpRuntime).</summary>
    public static PeerProcess StartTorchSharp(int threads)
    {
        var start = TorchSharpRuntime.StartInfo();
        start.ArgumentList.Add("--serve-torchsharp");
        start.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
        start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        return new PeerProcess("torchsharp", start);
    }

    public double Train(string network, int iterations) => Ask($"train {network} {iterations}").GetProperty("seconds").GetDouble();

    public double Infer(string network, int iterations) => Ask($"infer {network} {iterations}").GetProperty("seconds").GetDouble();

    public double MatMul(int m, int n, int k, bool transposeA, bool transposeB, int iterations) =>
        Ask($"matmul {m} {n} {k} {iterations}").GetProperty("seconds").GetDouble();

    private JsonElement Ask(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        string? line = _process.StandardOutput.ReadLine();
        if (line is null)
        {
            _process.WaitForExit(5000);
            throw new InvalidOperationException(
                $"The {Name} peer ended while answering '{command}'. Its error output:\n{string.Join('\n', Errors.TakeLast(20))}");
        }
        var answer = JsonDocument.Parse(line).RootElement;
        if (answer.TryGetProperty("error", out var error))
            throw new InvalidOperationException($"The {Name} peer could not run '{command}': {error}");
        return answer;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { }
        _process.Dispose();
    }
}
