using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Html;

/// <summary>Reading the parts of nbformat 4 JSON the page needs, tolerant of the variants front ends write.</summary>
internal static class NotebookJson
{
    /// <summary>
    /// nbformat stores multi-line text (cell source, stream text, mime data) either as one string or as a list of
    /// strings that already end in '\n'; both mean their concatenation.
    /// </summary>
    public static string Text(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "";
            case JsonArray lines:
                var sb = new StringBuilder();
                foreach (JsonNode? line in lines)
                {
                    sb.Append(Text(line));
                }
                return sb.ToString();
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return value.GetValue<string>();
            default:
                // A mime bundle may hold JSON itself (application/json); show it as JSON text.
                return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }
    }

    /// <summary>The string at <paramref name="key"/>, or null when it is missing or not a string.</summary>
    public static string? String(JsonObject? obj, string key) =>
        obj?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>The integer at <paramref name="key"/>, or null when it is missing, null or not a whole number.</summary>
    public static int? Int(JsonObject? obj, string key) =>
        obj?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int i) ? i : null;

    /// <summary>The cell's tags (metadata.tags), empty when it has none.</summary>
    public static IReadOnlyList<string> Tags(JsonObject cell) =>
        (cell["metadata"] as JsonObject)?["tags"] is JsonArray tags
            ? tags.Select(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "").Where(t => t.Length > 0).ToArray()
            : [];
}
