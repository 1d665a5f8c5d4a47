namespace NotebookCnn.Runner;

/// <summary>A NuGet package the runner carries in its own folder and can give to a notebook.</summary>
/// <param name="Name">The package id as notebooks write it.</param>
/// <param name="Version">The version the runner carries.</param>
/// <param name="Assemblies">The assembly files (in the runner's folder) a cell needs to compile against it.</param>
public sealed record CarriedPackage(string Name, string Version, IReadOnlyList<string> Assemblies);

/// <summary>
/// The packages <c>#r "nuget: …"</c> can ask for. The runner does not download packages: it serves
/// the ones it was built with, which is what makes a headless run reproducible and offline.
/// </summary>
public static class CarriedPackages
{
    private static readonly string[] PlotlyNet = ["Plotly.NET.dll", "DynamicObj.dll", "FSharp.Core.dll", "Giraffe.ViewEngine.dll"];

    /// <summary>The packages, by name (case-insensitive).</summary>
    public static IReadOnlyDictionary<string, CarriedPackage> All { get; } =
        new[]
        {
            new CarriedPackage("Plotly.NET", "6.0.0", PlotlyNet),
            new CarriedPackage("Plotly.NET.CSharp", "0.14.0", [.. PlotlyNet, "Plotly.NET.CSharp.dll"]),
            new CarriedPackage("XPlot.Plotly", "4.1.0", ["XPlot.Plotly.dll", "FSharp.Core.dll", "Newtonsoft.Json.dll"]),
            new CarriedPackage("Microsoft.DotNet.Interactive.Formatting", "1.0.0-beta.23562.1",
                ["Microsoft.DotNet.Interactive.Formatting.dll", "Microsoft.AspNetCore.Html.Abstractions.dll"]),
            new CarriedPackage("Microsoft.ML.OnnxRuntime", "1.32.0", ["Microsoft.ML.OnnxRuntime.dll", "System.Numerics.Tensors.dll"]),
        }.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Packages that need nothing here: <c>Plotly.NET.Interactive</c> only adds the kernel's chart
    /// formatter, and the runner has its own.
    /// </summary>
    public static IReadOnlySet<string> Satisfied { get; } =
        new HashSet<string>(["Plotly.NET.Interactive"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The full path of a carried assembly file.</summary>
    public static string PathOf(string assemblyFile) => Path.Combine(AppContext.BaseDirectory, assemblyFile);
}
