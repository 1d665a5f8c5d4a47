using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// One message of the Jupyter messaging protocol (version 5.3): the routing identities, the four JSON parts and any
/// binary buffers. On the wire: identities, <c>&lt;IDS|MSG&gt;</c>, the signature, header, parent header, metadata,
/// content, buffers.
/// </summary>
public sealed class JupyterMessage
{
    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>The frame between the routing identities and the signature.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    // Compact JSON that keeps '<' and non-ASCII text readable (HTML outputs are large).
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates a message from its parts.</summary>
    public JupyterMessage(IReadOnlyList<byte[]> identities, JsonObject header, JsonObject parentHeader, JsonObject metadata,
        JsonObject content, IReadOnlyList<byte[]>? buffers = null)
    {
        Identities = identities;
        Header = header;
        ParentHeader = parentHeader;
        Metadata = metadata;
        Content = content;
        Buffers = buffers ?? [];
    }

    /// <summary>Who sent it (ROUTER sockets route the reply back through these), or the topic of an iopub message.</summary>
    public IReadOnlyList<byte[]> Identities { get; }

    /// <summary><c>msg_id</c>, <c>session</c>, <c>username</c>, <c>date</c>, <c>msg_type</c>, <c>version</c>.</summary>
    public JsonObject Header { get; }

    /// <summary>The header of the request this message answers (empty for none).</summary>
    public JsonObject ParentHeader { get; }

    /// <summary>Free-form metadata.</summary>
    public JsonObject Metadata { get; }

    /// <summary>The message type's fields.</summary>
    public JsonObject Content { get; }

    /// <summary>Extra binary frames.</summary>
    public IReadOnlyList<byte[]> Buffers { get; }

    /// <summary>The message type, e.g. <c>execute_request</c>.</summary>
    public string Type => Header["msg_type"] is JsonValue v && v.TryGetValue(out string? type) ? type : "";

    /// <summary>The message id.</summary>
    public string Id => Header["msg_id"] is JsonValue v && v.TryGetValue(out string? id) ? id : "";

    /// <summary>A new message of <paramref name="type"/> from <paramref name="session"/>, answering <paramref name="parent"/> if given.</summary>
    public static JupyterMessage Create(string type, JsonObject content, string session, JupyterMessage? parent = null,
        IReadOnlyList<byte[]>? identities = null) =>
        Create(type, content, session, parent?.Header, identities ?? parent?.Identities ?? []);

    /// <summary>A new message of <paramref name="type"/> whose parent header is <paramref name="parentHeader"/>.</summary>
    public static JupyterMessage Create(string type, JsonObject content, string session, JsonObject? parentHeader, IReadOnlyList<byte[]> identities) =>
        new(identities,
            new JsonObject
            {
                ["msg_id"] = Guid.NewGuid().ToString("N"),
                ["session"] = session,
                ["username"] = "kernel",
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                ["msg_type"] = type,
                ["version"] = ProtocolVersion,
            },
            (JsonObject?)parentHeader?.DeepClone() ?? new JsonObject(),
            new JsonObject(),
            content);

    /// <summary>The frames to send, signed by <paramref name="signer"/>.</summary>
    public List<byte[]> ToFrames(MessageSigner signer)
    {
        byte[] header = Serialize(Header), parent = Serialize(ParentHeader), metadata = Serialize(Metadata), content = Serialize(Content);
        var frames = new List<byte[]>(Identities.Count + 6 + Buffers.Count);
        frames.AddRange(Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        frames.AddRange(Buffers);
        return frames;
    }

    /// <summary>
    /// Reads a received message. Returns null with the reason in <paramref name="problem"/> when it is malformed or its
    /// signature is not the one <paramref name="signer"/> computes: such a message must be dropped unread.
    /// </summary>
    public static JupyterMessage? Parse(IReadOnlyList<byte[]> frames, MessageSigner signer, out string? problem)
    {
        int delimiter = -1;
        for (int i = 0; i < frames.Count && delimiter < 0; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) delimiter = i;
        }
        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            problem = $"malformed message ({frames.Count} frames, delimiter {(delimiter < 0 ? "missing" : "at " + delimiter)})";
            return null;
        }
        byte[] signature = frames[delimiter + 1], header = frames[delimiter + 2], parent = frames[delimiter + 3],
            metadata = frames[delimiter + 4], content = frames[delimiter + 5];
        if (!signer.Verify(signature, header, parent, metadata, content))
        {
            problem = "wrong signature (the message was not signed with this kernel's key)";
            return null;
        }
        try
        {
            problem = null;
            return new JupyterMessage(frames.Take(delimiter).ToList(), ParseObject(header), ParseObject(parent), ParseObject(metadata),
                ParseObject(content), frames.Skip(delimiter + 6).ToList());
        }
        catch (JsonException e)
        {
            problem = "malformed JSON: " + e.Message;
            return null;
        }
    }

    /// <summary>The signature frame of a received message (for replay detection), or null.</summary>
    public static string? SignatureOf(IReadOnlyList<byte[]> frames)
    {
        for (int i = 0; i + 1 < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) return Encoding.ASCII.GetString(frames[i + 1]);
        }
        return null;
    }

    private static JsonObject ParseObject(byte[] json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException("expected a JSON object");

    private static byte[] Serialize(JsonObject json) => JsonSerializer.SerializeToUtf8Bytes(json, Compact);
}
