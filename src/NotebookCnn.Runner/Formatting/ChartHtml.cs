using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookCnn.Runner.Formatting;

/// <summary>
/// Chart outputs: a div and a script that draws into it with <c>Plotly.newPlot</c>. The script never
/// loads plotly.js itself; the HTML page (or the notebook front end) provides it once.
/// Contract: <c>&lt;div class="plotly-chart" id="ID"&gt;&lt;/div&gt;&lt;script type="text/javascript"&gt;Plotly.newPlot('ID', DATA, LAYOUT, {"responsive": true});&lt;/script&gt;</c>.
/// </summary>
public static partial class ChartHtml
{
    private static int _counter;

    /// <summary>Restarts chart ids at 1, so each executed notebook's ids are reproducible.</summary>
    public static void ResetIds() => Interlocked.Exchange(ref _counter, 0);

    /// <summary>The HTML for a chart given its plotly.js data (array) and layout (object) as JSON.</summary>
    public static string Render(string dataJson, string layoutJson)
    {
        string id = "nbcnn-chart-" + Interlocked.Increment(ref _counter);
        // A "</script>" inside a title would end the script early; "<\/" means the same in JSON.
        dataJson = dataJson.Replace("</", "<\\/", StringComparison.Ordinal);
        layoutJson = layoutJson.Replace("</", "<\\/", StringComparison.Ordinal);
        return $"<div class=\"plotly-chart\" id=\"{id}\"></div>"
            + $"<script type=\"text/javascript\">Plotly.newPlot('{id}', {dataJson}, {layoutJson}, {{\"responsive\": true}});</script>";
    }

    /// <summary>HTML for a Plotly.NET <c>GenericChart</c> (found by reflection: the notebook's copy of Plotly.NET may differ from ours).</summary>
    public static string FromPlotlyNet(object chart)
    {
        Type? type = chart.GetType();
        while (type is not null && type.FullName != "Plotly.NET.GenericChart") type = type.BaseType;
        MethodInfo toJson = type?.GetMethod("toFigureJson", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{chart.GetType().FullName} is not a Plotly.NET GenericChart with toFigureJson.");
        var figure = JsonNode.Parse((string)toJson.Invoke(null, [chart])!)!.AsObject();
        string data = figure["data"]?.ToJsonString() ?? "[]";
        string layout = figure["layout"]?.ToJsonString() ?? "{}";
        return Render(data, layout);
    }

    /// <summary>HTML for an XPlot.Plotly <c>PlotlyChart</c>, rebuilt from its inline script without the CDN reference.</summary>
    public static string FromXPlot(object chart)
    {
        MethodInfo inline = chart.GetType().GetMethod("GetInlineJS", Type.EmptyTypes)
            ?? throw new InvalidOperationException($"{chart.GetType().FullName} has no GetInlineJS().");
        string script = (string)inline.Invoke(chart, null)!;
        var match = XPlotScript().Match(script);
        if (!match.Success)
            throw new InvalidOperationException("XPlot's chart script has an unexpected shape: " + script);
        string layout = match.Groups["layout"].Value.Trim();
        if (layout is "" or "\"\"") layout = "{}";
        return Render(match.Groups["data"].Value.Trim(), layout);
    }

    // XPlot 4 writes: var data = [...]; var layout = {...}; Plotly.newPlot('id', data, layout);
    [GeneratedRegex(@"var\s+data\s*=\s*(?<data>.*?);\s*var\s+layout\s*=\s*(?<layout>.*?);\s*Plotly\.newPlot\(", RegexOptions.Singleline)]
    private static partial Regex XPlotScript();
}
