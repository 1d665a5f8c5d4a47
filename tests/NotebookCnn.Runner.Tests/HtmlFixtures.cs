using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Tests;

/// <summary>Notebooks for the HTML page tests, read from fixtures/html beside this file.</summary>
internal static class HtmlFixtures
{
    /// <summary>The hand-made executed notebook: markdown with math and a table, stdout/stderr, an error, an HTML table, a chart.</summary>
    public static JsonObject ExecutedNotebook() => Load("executed.ipynb");

    /// <summary>A notebook holding the given cells (JSON objects), with Polyglot metadata.</summary>
    public static JsonObject NotebookWith(params string[] cellsJson) =>
        JsonNode.Parse($$"""
            {
              "cells": [{{string.Join(",", cellsJson)}}],
              "metadata": { "kernelspec": { "display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp" } },
              "nbformat": 4, "nbformat_minor": 5
            }
            """)!.AsObject();

    /// <summary>A code cell with the given source and outputs (a JSON array).</summary>
    public static string CodeCell(string source, string outputsJson = "[]", int? count = 1, string metadataJson = "{}") =>
        $$"""{ "cell_type": "code", "execution_count": {{(count is int n ? n.ToString() : "null")}}, "metadata": {{metadataJson}}, "outputs": {{outputsJson}}, "source": {{JsonValue.Create(source).ToJsonString()}} }""";

    /// <summary>A markdown cell with the given source.</summary>
    public static string MarkdownCell(string source) =>
        $$"""{ "cell_type": "markdown", "metadata": {}, "source": {{JsonValue.Create(source).ToJsonString()}} }""";

    private static JsonObject Load(string name, [CallerFilePath] string thisFile = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(thisFile)!, "fixtures", "html", name);
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }
}
