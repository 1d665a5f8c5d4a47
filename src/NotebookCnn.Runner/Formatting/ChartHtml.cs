using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookCnn.Runner.Formatting;

/// <summary>
/// Chart outputs. A chart is shown as two representations of one plotly.js figure:
/// <list type="bullet">
/// <item><c>application/vnd.plotly.v1+json</c>: the figure itself (<c>{"data": [...], "layout": {...}}</c>), which
/// JupyterLab and VS Code draw with their own plotly renderer, and which the runner's pages draw with the plotly.js
/// they embed;</item>
/// <item><c>text/html</c>: a div and a script that draws the figure with <c>Plotly.newPlot</c>, loading plotly.js
/// itself (the version Plotly.NET bundles, from plotly's CDN, through require.js where a front end has it) when the
/// page has none, so the executed notebook draws its charts in any front end that runs output scripts.</item>
/// </list>
/// </summary>
public static partial class ChartHtml
{
    /// <summary>The MIME type of a plotly.js figure in Jupyter outputs.</summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    private static int _counter;

    /// <summary>
    /// How chart element ids start (then 1, 2, …). A kernel makes it unique per process: a front end keeps the charts
    /// of an earlier kernel session on the same page, and two elements with one id would draw into the same place.
    /// </summary>
    public static string IdPrefix { get; set; } = "nbcnn-chart-";

    /// <summary>Restarts chart ids at 1, so each executed notebook's ids are reproducible.</summary>
    public static void ResetIds() => Interlocked.Exchange(ref _counter, 0);

    /// <summary>True when <paramref name="value"/> is a Plotly.NET or XPlot.Plotly chart (matched by type name: a notebook may load its own copy).</summary>
    public static bool IsChart(object? value)
    {
        for (Type? type = value?.GetType(); type is not null; type = type.BaseType)
        {
            if (type.FullName is "Plotly.NET.GenericChart" or "XPlot.Plotly.PlotlyChart") return true;
        }
        return false;
    }

    /// <summary>The chart's plotly.js figure as JSON: <c>{"data": [...], "layout": {...}}</c>.</summary>
    public static string FigureJson(object chart)
    {
        var (data, layout) = chart.GetType().FullName == "XPlot.Plotly.PlotlyChart" ? XPlotFigure(chart) : PlotlyNetFigure(chart);
        return $"{{\"data\": {data}, \"layout\": {layout}}}";
    }

    /// <summary>The HTML for a chart given its plotly.js data (array) and layout (object) as JSON.</summary>
    public static string Render(string dataJson, string layoutJson)
    {
        string id = IdPrefix + Interlocked.Increment(ref _counter);
        // A "</script>" inside a title would end the script early; "<\/" means the same in JSON.
        dataJson = dataJson.Replace("</", "<\\/", StringComparison.Ordinal);
        layoutJson = layoutJson.Replace("</", "<\\/", StringComparison.Ordinal);
        string src = PlotlyJsUrl;
        return $"<div class=\"plotly-chart\" id=\"{id}\"></div>"
            + "<script type=\"text/javascript\">(function () {"
            + $"function draw() {{ Plotly.newPlot('{id}', {dataJson}, {layoutJson}, {{\"responsive\": true}}); }}"
            + "if (window.Plotly) { draw(); return; }"
            + "if (typeof require === 'function' && require.config) {"
            + $"require.config({{paths: {{plotly: '{src[..^3]}'}}}}); require(['plotly'], function (p) {{ window.Plotly = p; draw(); }}); return; }}"
            + $"var s = document.createElement('script'); s.src = '{src}'; s.onload = draw; document.head.appendChild(s);"
            + "})();</script>";
    }

    /// <summary>Where a front end without plotly.js loads it: the version Plotly.NET bundles.</summary>
    public static string PlotlyJsUrl => $"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min.js";

    /// <summary>The plotly.js version Plotly.NET bundles (its resource is named <c>Plotly.NET.plotly-VERSION.min.js</c>).</summary>
    public static string PlotlyJsVersion { get; } = typeof(Plotly.NET.GenericChart).Assembly.GetManifestResourceNames()
        .Select(n => PlotlyResource().Match(n)).Where(m => m.Success).Select(m => m.Groups["version"].Value).Single();

    [GeneratedRegex(@"^Plotly\.NET\.plotly-(?<version>[0-9.]+)\.min\.js$")]
    private static partial Regex PlotlyResource();

    /// <summary>HTML for a Plotly.NET <c>GenericChart</c> (found by reflection: the notebook's copy of Plotly.NET may differ from ours).</summary>
    public static string FromPlotlyNet(object chart)
    {
        var (data, layout) = PlotlyNetFigure(chart);
        return Render(data, layout);
    }

    private static (string Data, string Layout) PlotlyNetFigure(object chart)
    {
        Type? type = chart.GetType();
        while (type is not null && type.FullName != "Plotly.NET.GenericChart") type = type.BaseType;
        MethodInfo toJson = type?.GetMethod("toFigureJson", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{chart.GetType().FullName} is not a Plotly.NET GenericChart with toFigureJson.");
        var figure = JsonNode.Parse((string)toJson.Invoke(null, [chart])!)!.AsObject();
        return (figure["data"]?.ToJsonString() ?? "[]", figure["layout"]?.ToJsonString() ?? "{}");
    }

    /// <summary>HTML for an XPlot.Plotly <c>PlotlyChart</c>, rebuilt from its inline script without the CDN reference.</summary>
    public static string FromXPlot(object chart)
    {
        var (data, layout) = XPlotFigure(chart);
        return Render(data, layout);
    }

    private static (string Data, string Layout) XPlotFigure(object chart)
    {
        MethodInfo inline = chart.GetType().GetMethod("GetInlineJS", Type.EmptyTypes)
            ?? throw new InvalidOperationException($"{chart.GetType().FullName} has no GetInlineJS().");
        string script = (string)inline.Invoke(chart, null)!;
        var match = XPlotScript().Match(script);
        if (!match.Success)
            throw new InvalidOperationException("XPlot's chart script has an unexpected shape: " + script);
        string layout = match.Groups["layout"].Value.Trim();
        if (layout is "" or "\"\"") layout = "{}";
        return (match.Groups["data"].Value.Trim(), layout);
    }

    // XPlot 4 writes: var data = [...]; var layout = {...}; Plotly.newPlot('id', data, layout);
    [GeneratedRegex(@"var\s+data\s*=\s*(?<data>.*?);\s*var\s+layout\s*=\s*(?<layout>.*?);\s*Plotly\.newPlot\(", RegexOptions.Singleline)]
    private static partial Regex XPlotScript();
}
