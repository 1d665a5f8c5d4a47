using System.Text;
using System.Text.Json.Nodes;
using NotebookCnn.Runner.Formatting;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// Publishes one execute request's outputs on iopub as the cell produces them: <c>stream</c>, <c>display_data</c> and
/// <c>update_display_data</c> (both with <c>transient.display_id</c>, the same id for a display and its updates),
/// <c>execute_result</c> and <c>error</c>. Console text is gathered for a few milliseconds into one message, as
/// ipykernel does, so a loop that prints a line per minibatch does not send thousands of messages.
/// </summary>
internal sealed class CellPublisher : ICellOutputListener, IDisposable
{
    private static readonly TimeSpan StreamDelay = TimeSpan.FromMilliseconds(50);

    private readonly KernelServer _server;
    private readonly JupyterMessage _request;
    private readonly bool _silent;
    private readonly string _displayIdPrefix;
    private readonly Func<JsonObject?> _executingHeader;
    private readonly object _gate = new();
    private readonly StringBuilder _pending = new();
    private readonly Timer _timer;
    private string? _pendingName;
    private bool _closed;

    /// <summary>
    /// Publishes the outputs of <paramref name="request"/> (nothing but its error when <paramref name="silent"/>).
    /// Display ids are prefixed with <paramref name="displayIdPrefix"/>, unique to this kernel process; an update of a
    /// display made by an earlier cell is sent as a child of the request now running (<paramref name="executingHeader"/>).
    /// </summary>
    public CellPublisher(KernelServer server, JupyterMessage request, bool silent, string displayIdPrefix, Func<JsonObject?> executingHeader)
    {
        _server = server;
        _request = request;
        _silent = silent;
        _displayIdPrefix = displayIdPrefix;
        _executingHeader = executingHeader;
        _timer = new Timer(_ =>
        {
            lock (_gate) FlushStream();
        });
    }

    /// <summary>The cell's first error (name, message, traceback), for the execute reply.</summary>
    public (string Name, string Message, IReadOnlyList<string> Traceback)? FirstError { get; private set; }

    /// <inheritdoc/>
    public void StreamAppended(string name, string text)
    {
        lock (_gate)
        {
            if (_silent || _closed) return;
            if (_pendingName is not null && _pendingName != name) FlushStream();
            _pendingName = name;
            bool first = _pending.Length == 0;
            _pending.Append(text);
            if (first) _timer.Change(StreamDelay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc/>
    public void DisplayAdded(string displayId, IReadOnlyDictionary<string, string> data)
    {
        lock (_gate)
        {
            if (_silent || _closed) return;
            FlushStream();
            _server.Publish("display_data", DisplayContent(displayId, data), _request.Header);
        }
    }

    /// <inheritdoc/>
    public void DisplayUpdated(string displayId, IReadOnlyDictionary<string, string> data)
    {
        // A handle kept in a variable may be updated by a later cell, or by a thread after the cell ended: the update
        // still reaches the front end, which finds the display by its id.
        lock (_gate)
        {
            if (_silent) return;
            FlushStream();
            _server.Publish("update_display_data", DisplayContent(displayId, data), _executingHeader() ?? _request.Header);
        }
    }

    /// <inheritdoc/>
    public void ResultAdded(int executionCount, IReadOnlyDictionary<string, string> data)
    {
        lock (_gate)
        {
            if (_silent || _closed) return;
            FlushStream();
            _server.Publish("execute_result", new JsonObject
            {
                ["execution_count"] = executionCount,
                ["data"] = Bundle(data),
                ["metadata"] = new JsonObject(),
            }, _request.Header);
        }
    }

    /// <inheritdoc/>
    public void ErrorAdded(string name, string message, IReadOnlyList<string> traceback)
    {
        lock (_gate)
        {
            if (_closed) return;
            FirstError ??= (name, message, traceback);
            if (_silent) return;
            FlushStream();
            _server.Publish("error", ErrorContent(name, message, traceback), _request.Header);
        }
    }

    /// <summary>Sends the console text still gathered and ignores the cell's later outputs (but not display updates).</summary>
    public void Close()
    {
        lock (_gate)
        {
            FlushStream();
            _closed = true;
        }
    }

    /// <summary>Stops the stream timer.</summary>
    public void Dispose() => _timer.Dispose();

    /// <summary>The fields of an <c>error</c> message or an error reply.</summary>
    public static JsonObject ErrorContent(string name, string message, IEnumerable<string> traceback) => new()
    {
        ["ename"] = name,
        ["evalue"] = message,
        ["traceback"] = new JsonArray(traceback.Select(line => (JsonNode?)line).ToArray()),
    };

    /// <summary>A MIME bundle as Jupyter sends it: text as strings, JSON MIME types (the plotly figure) as JSON.</summary>
    public static JsonObject Bundle(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, text) in data)
            bundle[mime] = ValueFormatter.IsJson(mime) ? JsonNode.Parse(text) : text;
        return bundle;
    }

    private JsonObject DisplayContent(string displayId, IReadOnlyDictionary<string, string> data) => new()
    {
        ["data"] = Bundle(data),
        ["metadata"] = new JsonObject(),
        ["transient"] = new JsonObject { ["display_id"] = _displayIdPrefix + displayId },
    };

    private void FlushStream()
    {
        if (_pending.Length == 0) return;
        _server.Publish("stream", new JsonObject { ["name"] = _pendingName, ["text"] = _pending.ToString() }, _request.Header);
        _pending.Clear();
        _pendingName = null;
    }
}
