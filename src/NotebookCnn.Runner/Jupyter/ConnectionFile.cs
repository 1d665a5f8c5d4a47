using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// The connection file a Jupyter front end writes before it starts a kernel: where the five sockets listen and the
/// key that signs every message.
/// </summary>
public sealed record ConnectionFile(string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort, int ControlPort,
    int HeartbeatPort, string Key, string SignatureScheme)
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="RunnerException"/> naming the file and the field that is wrong.</summary>
    public static ConnectionFile Load(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new RunnerException($"No connection file at {full}.");
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(full)) as JsonObject
                ?? throw new RunnerException($"Connection file {full}: expected a JSON object.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new RunnerException($"Connection file {full} is not valid JSON: {e.Message}");
        }

        int Port(string name) => json[name] is JsonValue v && v.TryGetValue(out int port) && port is > 0 and < 65536
            ? port
            : throw new RunnerException($"Connection file {full}: '{name}' must be a port number, got {json[name]?.ToJsonString() ?? "nothing"}.");
        string Text(string name, string fallback) => json[name] is JsonValue v && v.TryGetValue(out string? text) ? text : fallback;

        string scheme = Text("signature_scheme", "hmac-sha256");
        if (scheme != "hmac-sha256")
            throw new RunnerException($"Connection file {full}: signature_scheme '{scheme}' is not supported (nbcnn signs with hmac-sha256).");
        return new ConnectionFile(Text("transport", "tcp"), Text("ip", "127.0.0.1"), Port("shell_port"), Port("iopub_port"),
            Port("stdin_port"), Port("control_port"), Port("hb_port"), Text("key", ""), scheme);
    }

    /// <summary>The address a socket binds to, e.g. <c>tcp://127.0.0.1:5555</c>.</summary>
    public string Address(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";
}
