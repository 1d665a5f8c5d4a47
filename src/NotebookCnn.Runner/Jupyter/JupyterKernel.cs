using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp;
using NotebookCnn.Runner.Formatting;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// <c>nbcnn kernel</c>: the cell engine behind a Jupyter kernel (messaging protocol 5.3), so VS Code, JupyterLab and
/// nbclient run the course's notebooks with the same directives, display and formatters as <c>nbcnn run</c>. Shell
/// requests are handled one at a time on one thread, in order; control requests (interrupt, shutdown) are answered at
/// once, even while a cell runs.
/// </summary>
public sealed class JupyterKernel
{
    private readonly KernelServer _server;
    private readonly CellEngine _engine;
    private readonly CellRunner _cells;
    private readonly CodeAssistant _assistant;
    private readonly TextWriter _log;
    private readonly BlockingCollection<JupyterMessage> _shellQueue = new();
    private readonly KernelHistory _history = new();
    // Display ids are unique to this process: a front end keeps the displays of an earlier kernel session.
    private readonly string _displayIdPrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + "-";
    private int _executionCount;
    private int _unnumbered;
    private volatile JsonObject? _executingHeader;

    private JupyterKernel(ConnectionFile connection, string directory, TextWriter log)
    {
        _log = log;
        _engine = new CellEngine(directory);
        _cells = new CellRunner(_engine);
        _assistant = new CodeAssistant(_engine.Session);
        _server = new KernelServer(connection, log, Received);
    }

    /// <summary>
    /// Serves the kernel described by <paramref name="connectionFile"/> until a shutdown request (or until the front end
    /// that started it is gone). Relative <c>#r</c> and <c>#!import</c> paths resolve against the current directory,
    /// which Jupyter front ends set to the notebook's folder. Messages about the kernel itself go to <paramref name="log"/>.
    /// </summary>
    public static int Serve(string connectionFile, TextWriter log)
    {
        var connection = ConnectionFile.Load(connectionFile);
        KernelConsole.Detach();
        ChartHtml.IdPrefix = $"nbcnn-chart-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}-";
        LibraryStopSignal.Install();

        var kernel = new JupyterKernel(connection, Environment.CurrentDirectory, log);
        using var capture = new OutputCapture(() => kernel._cells.Current);
        // SIGINT (a front end that interrupts by signal, or Ctrl-C in the terminal that started JupyterLab) interrupts
        // the running cell, as ipykernel does; it does not end the kernel.
        using var interruptSignal = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                log.WriteLine(kernel._cells.Interrupt() ? "SIGINT: stopping the running cell" : "SIGINT: no cell is running");
            });
        kernel._server.Bind();
        var executor = new Thread(kernel.ExecuteShellRequests) { IsBackground = true, Name = "nbcnn kernel shell" };
        executor.Start();
        ParentWatch.Start(log, kernel._server.Stop);
        kernel._server.Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        log.WriteLine($"listening on {connection.Address(connection.ShellPort)} (shell) for {Path.GetFileName(connectionFile)}");
        kernel._server.Run();
        kernel._server.Dispose();
        log.WriteLine("shut down");
        return 0;
    }

    // On the poller thread: shell requests are queued for the shell thread; control requests are answered here.
    private void Received(Channel channel, JupyterMessage message)
    {
        switch (channel)
        {
            case Channel.Shell:
                _shellQueue.Add(message);
                break;
            case Channel.Control:
                Busy(message, () => HandleControl(message));
                break;
            default:
                _log.WriteLine($"ignored {message.Type} on the {channel.ToString().ToLowerInvariant()} channel");
                break;
        }
    }

    private void HandleControl(JupyterMessage request)
    {
        switch (request.Type)
        {
            case "interrupt_request":
                bool stopped = _cells.Interrupt();
                _log.WriteLine(stopped ? "interrupt: stopping the running cell" : "interrupt: no cell is running");
                _server.Reply(Channel.Control, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                Shutdown(Channel.Control, request);
                break;
            case "kernel_info_request":
                _server.Reply(Channel.Control, request, "kernel_info_reply", KernelInfo());
                break;
            default:
                _log.WriteLine($"ignored the control request {request.Type}: not supported");
                break;
        }
    }

    private void Shutdown(Channel channel, JupyterMessage request)
    {
        bool restart = request.Content["restart"] is JsonValue v && v.TryGetValue(out bool r) && r;
        var reply = new JsonObject { ["status"] = "ok", ["restart"] = restart };
        _server.Reply(channel, request, "shutdown_reply", reply);
        _server.Publish("shutdown_reply", (JsonObject)reply.DeepClone(), request.Header);
        _log.WriteLine(restart ? "shutdown requested (the front end restarts the kernel)" : "shutdown requested");
        _server.Stop();
    }

    private void ExecuteShellRequests()
    {
        foreach (var request in _shellQueue.GetConsumingEnumerable()) Busy(request, () => HandleShell(request));
    }

    // Every request is wrapped in status busy … idle on iopub, as front ends expect.
    private void Busy(JupyterMessage request, Action handle)
    {
        _server.Publish("status", new JsonObject { ["execution_state"] = "busy" }, request.Header);
        try
        {
            handle();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.WriteLine($"failed to handle {request.Type}: {e}");
            if (request.Type.EndsWith("_request", StringComparison.Ordinal))
            {
                var content = CellPublisher.ErrorContent(e.GetType().FullName ?? "Error", e.Message, [e.ToString()]);
                content["status"] = "error";
                _server.Reply(Channel.Shell, request, request.Type.Replace("_request", "_reply", StringComparison.Ordinal), content);
            }
        }
        finally
        {
            _server.Publish("status", new JsonObject { ["execution_state"] = "idle" }, request.Header);
        }
    }

    private void HandleShell(JupyterMessage request)
    {
        var content = request.Content;
        switch (request.Type)
        {
            case "execute_request":
                Execute(request);
                break;
            case "kernel_info_request":
                _server.Reply(Channel.Shell, request, "kernel_info_reply", KernelInfo());
                break;
            case "complete_request":
                Complete(request);
                break;
            case "inspect_request":
                Inspect(request);
                break;
            case "is_complete_request":
                bool complete = CodeAssistant.IsComplete(Text(content, "code"));
                var isComplete = new JsonObject { ["status"] = complete ? "complete" : "incomplete" };
                if (!complete) isComplete["indent"] = "    ";
                _server.Reply(Channel.Shell, request, "is_complete_reply", isComplete);
                break;
            case "comm_info_request":
                // No comm targets: nbcnn opens no widgets.
                _server.Reply(Channel.Shell, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "comm_open":
                // A comm for a target this kernel does not have is closed at once, as ipykernel does.
                _server.Publish("comm_close", new JsonObject { ["comm_id"] = content["comm_id"]?.DeepClone(), ["data"] = new JsonObject() }, request.Header);
                break;
            case "comm_msg" or "comm_close":
                break;
            case "history_request":
                _server.Reply(Channel.Shell, request, "history_reply", _history.Reply(content));
                break;
            case "shutdown_request":
                Shutdown(Channel.Shell, request);
                break;
            default:
                _log.WriteLine($"ignored the shell request {request.Type}: not supported");
                break;
        }
    }

    private void Execute(JupyterMessage request)
    {
        var content = request.Content;
        string code = Text(content, "code");
        bool silent = Flag(content, "silent", false);
        bool storeHistory = !silent && Flag(content, "store_history", true);
        bool stopOnError = Flag(content, "stop_on_error", true);

        int count = storeHistory ? ++_executionCount : _executionCount;
        string where = storeHistory ? $"cell {count}" : "this cell";
        string fileName = storeHistory ? $"cell-{count}.csx" : $"request-{++_unnumbered}.csx";
        if (!silent)
            _server.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request.Header);

        using var publisher = new CellPublisher(_server, request, silent, _displayIdPrefix, () => _executingHeader);
        var outputs = new CellOutputs(count) { Listener = publisher };
        var clock = Stopwatch.StartNew();
        var cell = CellDirectives.Parse(code);
        if (cell.OtherKernel is string kernel)
        {
            outputs.AddNote($"{where} skipped: it is a #!{kernel} cell, and nbcnn runs C# cells only.");
        }
        else
        {
            _executingHeader = request.Header;
            try
            {
                _cells.Run(cell, outputs, count, where, fileName);
            }
            finally
            {
                _executingHeader = null;
            }
        }
        publisher.Close();
        if (storeHistory) _history.Add(count, code, outputs);

        JsonObject reply;
        if (publisher.FirstError is var (name, message, traceback))
        {
            reply = CellPublisher.ErrorContent(name, message, traceback);
            reply["status"] = "error";
            reply["execution_count"] = count;
        }
        else
        {
            reply = new JsonObject
            {
                ["status"] = "ok",
                ["execution_count"] = count,
                ["user_expressions"] = new JsonObject(),
                ["payload"] = new JsonArray(),
            };
        }
        _server.Reply(Channel.Shell, request, "execute_reply", reply);
        _log.WriteLine($"{where}: {reply["status"]} ({clock.Elapsed.TotalSeconds:0.00} s)");
        if (reply["status"]!.GetValue<string>() == "error" && stopOnError) AbortQueuedExecutions();
    }

    // stop_on_error: the cells queued behind a failed one were meant to run after it, so they are answered 'aborted'
    // without running. Only those already queued: a request sent after the front end saw the error runs as usual.
    // Other requests (completion, history) queued among them are still served.
    private void AbortQueuedExecutions()
    {
        for (int queued = _shellQueue.Count; queued > 0 && _shellQueue.TryTake(out var next); queued--)
        {
            if (next.Type != "execute_request")
            {
                Busy(next, () => HandleShell(next));
                continue;
            }
            Busy(next, () => _server.Reply(Channel.Shell, next, "execute_reply",
                new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount }));
            _log.WriteLine("aborted a queued cell after an error (stop_on_error)");
        }
    }

    private void Complete(JupyterMessage request)
    {
        string code = Text(request.Content, "code");
        int cursor = CodePoints.ToUtf16(code, Number(request.Content, "cursor_pos", code.Length));
        var completions = _assistant.CompleteAsync(code, cursor).GetAwaiter().GetResult();
        int start = CodePoints.FromUtf16(code, completions.Start), end = CodePoints.FromUtf16(code, completions.End);
        _server.Reply(Channel.Shell, request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(completions.Matches.Select(m => (JsonNode?)m.Text).ToArray()),
            ["cursor_start"] = start,
            ["cursor_end"] = end,
            ["metadata"] = new JsonObject
            {
                // JupyterLab shows the kind of each match from this list.
                ["_jupyter_types_experimental"] = new JsonArray(completions.Matches.Select(m => (JsonNode?)new JsonObject
                {
                    ["start"] = start, ["end"] = end, ["text"] = m.Text, ["type"] = m.Kind,
                }).ToArray()),
            },
        });
    }

    private void Inspect(JupyterMessage request)
    {
        string code = Text(request.Content, "code");
        int cursor = CodePoints.ToUtf16(code, Number(request.Content, "cursor_pos", code.Length));
        string? text = _assistant.InspectAsync(code, cursor, Number(request.Content, "detail_level", 0) > 0).GetAwaiter().GetResult();
        _server.Reply(Channel.Shell, request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = text is not null,
            ["data"] = text is null ? new JsonObject() : new JsonObject { [ValueFormatter.PlainText] = text },
            ["metadata"] = new JsonObject(),
        });
    }

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "nbcnn",
        ["implementation_version"] = Version,
        ["language_info"] = new JsonObject
        {
            ["name"] = "csharp",
            ["version"] = LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString(),
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"C# (NotebookCnn): nbcnn {Version}, Roslyn scripting on .NET {Environment.Version}",
        ["help_links"] = new JsonArray(),
    };

    private static string Version =>
        typeof(JupyterKernel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    private static string Text(JsonObject content, string name) =>
        content[name] is JsonValue v && v.TryGetValue(out string? text) ? text : "";

    private static bool Flag(JsonObject content, string name, bool fallback) =>
        content[name] is JsonValue v && v.TryGetValue(out bool flag) ? flag : fallback;

    private static int Number(JsonObject content, string name, int fallback) =>
        content[name] is JsonValue v && v.TryGetValue(out int number) ? number : fallback;
}
