using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookCnn.Runner.Formatting;

/// <summary>
/// Registers the runner's chart formatters with the kernel's <see cref="Formatter"/>: Plotly.NET and XPlot charts
/// as plotly.js figures (see <see cref="ChartHtml"/>), the part that Plotly.NET.Interactive plays in the .NET
/// Interactive kernel. Types are matched by name in every loaded assembly, because a notebook's <c>#r</c> may load
/// its own copy of Plotly.NET. The course's own types are formatted by the course setup file
/// (<c>notebooks/Course.cs</c>), the same code in every host.
/// </summary>
public static class Formatters
{
    private static readonly object Gate = new();
    private static readonly HashSet<Type> Registered = [];
    private static bool _listening;

    /// <summary>Registers formatters for the types already loaded and for every assembly loaded later.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (!_listening)
            {
                _listening = true;
                AppDomain.CurrentDomain.AssemblyLoad += (_, e) => RegisterFrom(e.LoadedAssembly);
            }
        }
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) RegisterFrom(assembly);
    }

    private static void RegisterFrom(Assembly assembly)
    {
        if (assembly.IsDynamic) return;
        switch (assembly.GetName().Name)
        {
            case "Plotly.NET":
                Register(assembly.GetType("Plotly.NET.GenericChart"), ChartHtml.FromPlotlyNet);
                break;
            case "XPlot.Plotly":
                Register(assembly.GetType("XPlot.Plotly.PlotlyChart"), ChartHtml.FromXPlot);
                break;
        }
    }

    private static void Register(Type? type, Func<object, string> html)
    {
        if (type is null) return;
        lock (Gate)
        {
            if (!Registered.Add(type)) return;
        }
        Formatter.Register(type, (value, writer) => writer.Write(html(value)), ValueFormatter.Html);
        Formatter.Register(type, (_, writer) => writer.Write("Plotly chart"), ValueFormatter.PlainText);
    }
}
