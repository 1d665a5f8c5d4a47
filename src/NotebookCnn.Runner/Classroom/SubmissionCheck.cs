using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// Checks that a submitted file has the shape grading relies on before anything else reads it: valid
/// JSON is not enough (<c>"cells": [null]</c> or <c>"tags": [1]</c> are valid JSON), and one malformed
/// submission must cost only its own student.
/// </summary>
public static class SubmissionCheck
{
    /// <summary>
    /// The submission at <paramref name="path"/> as a notebook. Throws <see cref="InvalidDataException"/>
    /// naming what was expected and what came for a file over <paramref name="maxBytes"/>, invalid JSON,
    /// or a cell, source, metadata or tag of the wrong type.
    /// </summary>
    public static Notebook Load(string path, long maxBytes)
    {
        long size = new FileInfo(path).Length;
        if (size > maxBytes)
            throw new InvalidDataException($"the file is {size / 1024} KiB, over the {maxBytes / 1024} KiB a submission may have");
        var notebook = Notebook.Load(path);
        var cells = notebook.Cells;
        for (int i = 0; i < cells.Count; i++)
        {
            string where = $"cell {i + 1}";
            if (cells[i] is not JsonObject cell) throw Wrong(where, "an object", cells[i]);
            if (cell["cell_type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String)
                throw Wrong($"{where}'s cell_type", "a string", cell["cell_type"]);
            if (cell["id"] is { } id && id.GetValueKind() != JsonValueKind.String) throw Wrong($"{where}'s id", "a string", id);
            MultilineText(cell["source"], $"{where}'s source");
            if (cell["metadata"] is { } metadata)
            {
                if (metadata is not JsonObject) throw Wrong($"{where}'s metadata", "an object", metadata);
                if (metadata["tags"] is { } tags)
                {
                    if (tags is not JsonArray list) throw Wrong($"{where}'s tags", "an array of strings", tags);
                    foreach (var tag in list)
                        if (tag is null || tag.GetValueKind() != JsonValueKind.String) throw Wrong($"a tag of {where}", "a string", tag);
                }
            }
            if (cell["outputs"] is { } outputs && outputs is not JsonArray) throw Wrong($"{where}'s outputs", "an array", outputs);
        }
        if (notebook.Root["metadata"] is { } meta && meta is not JsonObject) throw Wrong("the notebook's metadata", "an object", meta);
        if (notebook.Root["metadata"]?[Assignment.MetadataKey]?["name"] is { } name && name.GetValueKind() != JsonValueKind.String)
            throw Wrong($"the notebook's {Assignment.MetadataKey}.name", "a string", name);
        return notebook;
    }

    private static void MultilineText(JsonNode? node, string what)
    {
        switch (node)
        {
            case null: return;
            case JsonArray lines:
                foreach (var line in lines)
                    if (line is null || line.GetValueKind() != JsonValueKind.String) throw Wrong($"a line of {what}", "a string", line);
                return;
            default:
                if (node.GetValueKind() != JsonValueKind.String) throw Wrong(what, "a string or an array of strings", node);
                return;
        }
    }

    private static InvalidDataException Wrong(string what, string expected, JsonNode? came)
    {
        string text = came is null ? "null" : came.ToJsonString();
        if (text.Length > 40) text = text[..40] + "…";
        return new InvalidDataException($"{what} should be {expected}, but is {text}");
    }
}
