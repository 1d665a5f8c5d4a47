using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NotebookCnn.Bench;

/// <summary>What this machine is, and its float32 peak derived from /proc/cpuinfo (cores × FMA units × lanes × 2 × clock).</summary>
internal sealed record Machine(string Cpu, int Cores, double ClockGHz, bool Avx512, bool Avx2Fma)
{
    /// <summary>Assumed FMA units per core: two on Xeon server cores (Skylake-SP and later) and on AMD Zen 5; not visible from software.</summary>
    public const int FmaUnitsPerCore = 2;

    public static Machine Detect()
    {
        string cpu = "unknown";
        double mhz = 0;
        if (File.Exists("/proc/cpuinfo"))
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                string[] parts = line.Split(':', 2);
                if (parts.Length < 2) continue;
                string key = parts[0].Trim(), value = parts[1].Trim();
                if (key == "model name" && cpu == "unknown") cpu = value;
                if (key == "cpu MHz" && mhz == 0) mhz = double.Parse(value, CultureInfo.InvariantCulture);
            }
        return new Machine(cpu, Environment.ProcessorCount, mhz / 1000, Avx512F.IsSupported, Avx2.IsSupported && Fma.IsSupported);
    }

    /// <summary>float32 lanes of the widest FMA the processor has.</summary>
    public int Lanes => Avx512 ? Vector512<float>.Count : Avx2Fma ? Vector256<float>.Count : Vector128<float>.Count;

    /// <summary>GFLOP/s: cores × FMA units × lanes × 2 (an FMA is a multiply and an add) × GHz.</summary>
    public double PeakGflops(int lanes) => Cores * FmaUnitsPerCore * lanes * 2 * ClockGHz;

    public double Peak => PeakGflops(Lanes);

    public IEnumerable<string> Derivation()
    {
        yield return $"FP32 peak = cores × FMA units × float lanes × 2 (FMA = multiply + add) × clock";
        yield return $"  = {Cores} × {FmaUnitsPerCore} × {Lanes} ({(Avx512 ? "AVX-512" : Avx2Fma ? "AVX2" : "SSE")}) × 2 × {ClockGHz:F2} GHz = {Peak:F1} GFLOP/s";
        if (Avx512)
            yield return $"  with 256-bit vectors only (Vector256, AVX2 + FMA): {Cores} × {FmaUnitsPerCore} × 8 × 2 × {ClockGHz:F2} GHz = {PeakGflops(8):F1} GFLOP/s";
        yield return $"  clock from /proc/cpuinfo 'cpu MHz' (nominal; turbo may be higher); {FmaUnitsPerCore} full-width FMA units per core is an assumption (Xeon server cores since Skylake-SP, AMD Zen 5; Zen 4 runs AVX-512 at half that rate)";
    }
}
