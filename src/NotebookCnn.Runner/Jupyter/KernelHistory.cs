using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// The inputs (and the plain-text results) of the cells run with <c>store_history</c>, for <c>history_request</c>:
/// the last n (<c>tail</c>), a range of execution counts (<c>range</c>) or the inputs matching a glob (<c>search</c>).
/// Kept in memory for this kernel session only, which is numbered 1.
/// </summary>
internal sealed class KernelHistory
{
    private const int Session = 1;
    private readonly object _gate = new();
    private readonly List<(int Line, string Input, string? Output)> _entries = [];

    /// <summary>Remembers cell <paramref name="line"/>.</summary>
    public void Add(int line, string input, CellOutputs outputs)
    {
        string? output = outputs.ToJson().OfType<JsonObject>()
            .Where(o => o["output_type"]?.GetValue<string>() == "execute_result")
            .Select(o => o["data"]?[Formatting.ValueFormatter.PlainText] is { } text ? Notebook.JoinText(text) : null)
            .LastOrDefault();
        lock (_gate) _entries.Add((line, input, output));
    }

    /// <summary>The <c>history_reply</c> content for a request's <paramref name="content"/>.</summary>
    public JsonObject Reply(JsonObject content)
    {
        bool withOutput = content["output"] is JsonValue o && o.TryGetValue(out bool b) && b;
        string access = content["hist_access_type"] is JsonValue a && a.TryGetValue(out string? type) ? type : "tail";
        int? n = content["n"] is JsonValue nv && nv.TryGetValue(out int count) ? count : null;
        List<(int Line, string Input, string? Output)> entries;
        lock (_gate) entries = [.. _entries];

        IEnumerable<(int Line, string Input, string? Output)> chosen = access switch
        {
            "range" => Range(entries, content),
            "search" => Search(entries, content, n),
            _ => n is int last ? entries.TakeLast(Math.Max(0, last)) : entries,
        };
        var history = new JsonArray();
        foreach (var (line, input, output) in chosen)
            history.Add(new JsonArray(Session, line, withOutput ? new JsonArray(input, output) : (JsonNode)input));
        return new JsonObject { ["status"] = "ok", ["history"] = history };
    }

    // Session 0 (or 1, or a negative offset from the current one) is this session; stop is exclusive, as in IPython.
    private static IEnumerable<(int, string, string?)> Range(List<(int Line, string Input, string? Output)> entries, JsonObject content)
    {
        int session = content["session"] is JsonValue s && s.TryGetValue(out int sv) ? sv : 0;
        if (session > Session) return [];
        int start = content["start"] is JsonValue st && st.TryGetValue(out int a) ? a : 1;
        int? stop = content["stop"] is JsonValue sp && sp.TryGetValue(out int z) ? z : null;
        return entries.Where(e => e.Line >= start && (stop is null || e.Line < stop));
    }

    private static IEnumerable<(int Line, string Input, string? Output)> Search(List<(int Line, string Input, string? Output)> entries, JsonObject content, int? n)
    {
        string pattern = content["pattern"] is JsonValue p && p.TryGetValue(out string? text) ? text : "*";
        bool unique = content["unique"] is JsonValue u && u.TryGetValue(out bool flag) && flag;
        var glob = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.Singleline);
        var found = entries.Where(e => glob.IsMatch(e.Input)).ToList();
        if (unique) found = found.GroupBy(e => e.Input).Select(g => g.Last()).OrderBy(e => e.Line).ToList();
        return n is int last ? found.TakeLast(Math.Max(0, last)) : found;
    }
}
