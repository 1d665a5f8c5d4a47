using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookCnn.Runner.Formatting;

/// <summary>
/// Registers the runner's formatters with the kernel's <see cref="Formatter"/>: charts (Plotly.NET,
/// XPlot) as plotly.js divs, NotebookCnn tensors as shape + values (or a small picture), training
/// histories as a table. Types are matched by name in every loaded assembly, because a notebook's
/// <c>#r</c> may load its own copy of NotebookCnn.dll or Plotly.NET.
/// </summary>
public static class Formatters
{
    private static readonly object Gate = new();
    private static readonly HashSet<Type> Registered = [];
    private static bool _listening;

    /// <summary>Largest image side shown as a picture; bigger tensors are shown as numbers.</summary>
    public const int MaxImageSide = 256;

    /// <summary>Smallest image side shown as a picture: small matrices (a 3×3 kernel, a 6×6 example) are shown as numbers a student can check.</summary>
    public const int MinImageSide = 16;

    /// <summary>Values shown per axis before eliding with "…".</summary>
    public const int ShownPerAxis = 8;

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
        string? name = assembly.GetName().Name;
        switch (name)
        {
            case "Plotly.NET":
                Register(assembly.GetType("Plotly.NET.GenericChart"), ChartHtml.FromPlotlyNet, _ => "Plotly chart");
                break;
            case "XPlot.Plotly":
                Register(assembly.GetType("XPlot.Plotly.PlotlyChart"), ChartHtml.FromXPlot, _ => "Plotly chart");
                break;
            case "NotebookCnn":
                Register(assembly.GetType("NotebookCnn.Tensor"), TensorHtml, v => v.ToString() ?? "");
                // Every other library type that writes its own ToString (layers, Sequential's layer table, training
                // histories, gradient-check reports, datasets) is shown as that text: it was written for students,
                // whereas the default formatter would dump every property as a tree.
                foreach (var type in SafeTypes(assembly).Where(WritesOwnText))
                    Register(type, PreformattedHtml, v => v.ToString() ?? "");
                break;
        }
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try { return assembly.GetExportedTypes(); }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or TypeLoadException) { return []; }
    }

    private static void Register(Type? type, Func<object, string> html, Func<object, string> plain)
    {
        if (type is null) return;
        lock (Gate)
        {
            if (!Registered.Add(type)) return;
        }
        Formatter.Register(type, (value, writer) => writer.Write(html(value)), ValueFormatter.Html);
        Formatter.Register(type, (value, writer) => writer.Write(plain(value)), ValueFormatter.PlainText);
    }

    /// <summary>
    /// A tensor as HTML: an image-like tensor ([H, W], [1, H, W] or [1, 1, H, W]) as a small greyscale
    /// picture, anything else as its shape and a table of (the first) values.
    /// </summary>
    public static string TensorHtml(object tensor)
    {
        int[] shape = (int[])tensor.GetType().GetMethod("ShapeArray", Type.EmptyTypes)!.Invoke(tensor, null)!;
        float[] data = (float[])tensor.GetType().GetProperty("Data")!.GetValue(tensor)!;
        string title = "Tensor [" + string.Join(", ", shape) + "]";

        int[] spatial = shape.SkipWhile(d => d == 1).ToArray();
        if (shape.Length >= 2 && spatial.Length == 2 && spatial[0] >= MinImageSide && spatial[1] >= MinImageSide
            && spatial[0] <= MaxImageSide && spatial[1] <= MaxImageSide && shape.Length - spatial.Length <= 2)
            return ImageHtml(title, data, spatial[1], spatial[0]);

        var html = new StringBuilder();
        html.Append("<div class=\"nbcnn-tensor\"><div><b>").Append(title).Append("</b></div><table>");
        // Show a matrix view of the last two axes of the first slice; a vector as one row.
        int columns = shape.Length == 0 ? 1 : shape[^1];
        int rows = shape.Length >= 2 ? shape[^2] : 1;
        for (int r = 0; r < Math.Min(rows, ShownPerAxis); r++)
        {
            html.Append("<tr>");
            for (int c = 0; c < Math.Min(columns, ShownPerAxis); c++)
            {
                int index = r * columns + c;
                if (index < data.Length) html.Append("<td>").Append(Number(data[index])).Append("</td>");
            }
            if (columns > ShownPerAxis) html.Append("<td>…</td>");
            html.Append("</tr>");
        }
        if (rows > ShownPerAxis) html.Append("<tr><td>⋮</td></tr>");
        html.Append("</table>");
        if (shape.Length > 2) html.Append("<div>first of ").Append(data.Length / Math.Max(1, rows * columns)).Append(" slices</div>");
        html.Append("</div>");
        return html.ToString();
    }

    private static string ImageHtml(string title, float[] data, int width, int height)
    {
        // Stretch min..max to black..white so weights and activations are visible too, not only [0, 1] pixels.
        float min = data.Length == 0 ? 0 : data.Min(), max = data.Length == 0 ? 0 : data.Max();
        float range = max > min ? max - min : 1;
        var pixels = new byte[width * height];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)Math.Clamp(MathF.Round((data[i] - min) / range * 255), 0, 255);
        string png = Convert.ToBase64String(PngEncoder.EncodeGrey(pixels, width, height));
        int scale = Math.Max(1, 112 / Math.Max(width, height));
        return $"<div class=\"nbcnn-tensor\"><img src=\"data:image/png;base64,{png}\" width=\"{width * scale}\" height=\"{height * scale}\""
            + $" style=\"image-rendering: pixelated\" alt=\"{title}\"/><div>{title}, values {Number(min)}…{Number(max)}</div></div>";
    }

    private static bool WritesOwnText(Type type) =>
        type.Name != "Tensor" && !type.IsAbstract && !type.IsGenericTypeDefinition
        && type.GetMethod("ToString", Type.EmptyTypes)?.DeclaringType is { } declaring
        && declaring != typeof(object) && declaring.Assembly == type.Assembly;

    /// <summary>A value shown as its own <c>ToString()</c> text, HTML-escaped, in a monospaced block.</summary>
    public static string PreformattedHtml(object value) =>
        "<pre class=\"nbcnn-text\">" + WebUtility.HtmlEncode(value.ToString() ?? "") + "</pre>";

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
