using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>The socket a message travels on.</summary>
public enum Channel
{
    /// <summary>Requests from front ends (execute, complete, …) and their replies.</summary>
    Shell,
    /// <summary>Interrupt and shutdown: answered even while a cell runs.</summary>
    Control,
    /// <summary>Input requests to the front end (unused: cells read an empty standard input).</summary>
    Stdin,
    /// <summary>Broadcasts: status, outputs, errors.</summary>
    Iopub,
}

/// <summary>
/// The kernel's ZeroMQ sockets (NetMQ): shell, control and stdin (ROUTER), iopub (PUB) and the heartbeat (REP, echoes
/// what it gets). One thread, the poller, owns every socket: it checks each received message's signature, drops the
/// ones signed with another key (and replays of a message already seen) with a line on the log, and hands the rest to
/// <c>received</c>; other threads send through a queue the poller drains.
/// </summary>
public sealed class KernelServer : IDisposable
{
    // Signatures remembered to refuse a message sent a second time (jupyter_client keeps the same number).
    private const int RememberedSignatures = 65_536;

    private readonly ConnectionFile _connection;
    private readonly MessageSigner _signer;
    private readonly TextWriter _log;
    private readonly Action<Channel, JupyterMessage> _received;
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly ResponseSocket _heartbeat = new();
    private readonly NetMQQueue<(Channel Channel, JupyterMessage Message)> _outgoing = new();
    private readonly NetMQPoller _poller;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private bool _disposed;

    /// <summary>Opens the sockets (not yet bound); <paramref name="received"/> gets every well-signed message, on the poller thread.</summary>
    public KernelServer(ConnectionFile connection, TextWriter log, Action<Channel, JupyterMessage> received)
    {
        _connection = connection;
        _signer = new MessageSigner(connection.Key);
        _log = log;
        _received = received;
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat })
            socket.Options.Linger = TimeSpan.FromSeconds(1);
        _shell.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Shell);
        _control.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Control);
        _stdin.ReceiveReady += (_, e) => Receive(e.Socket, Channel.Stdin);
        _heartbeat.ReceiveReady += (_, e) => e.Socket.SendMultipartMessage(e.Socket.ReceiveMultipartMessage());
        _outgoing.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var item, TimeSpan.Zero)) SendNow(item.Channel, item.Message);
        };
        _poller = new NetMQPoller { _shell, _control, _stdin, _heartbeat, _outgoing };
    }

    /// <summary>This kernel's session id, in the header of every message it sends.</summary>
    public string Session { get; } = Guid.NewGuid().ToString();

    /// <summary>Binds every socket to the connection file's address; throws <see cref="RunnerException"/> if a port is taken.</summary>
    public void Bind()
    {
        foreach (var (socket, port, name) in new (NetMQSocket, int, string)[]
                 {
                     (_shell, _connection.ShellPort, "shell"), (_control, _connection.ControlPort, "control"),
                     (_stdin, _connection.StdinPort, "stdin"), (_iopub, _connection.IopubPort, "iopub"),
                     (_heartbeat, _connection.HeartbeatPort, "heartbeat"),
                 })
        {
            try
            {
                socket.Bind(_connection.Address(port));
            }
            catch (Exception e) when (e is NetMQException or System.Net.Sockets.SocketException)
            {
                throw new RunnerException($"Cannot listen on {_connection.Address(port)} ({name} socket): {e.Message}");
            }
        }
    }

    /// <summary>Serves until <see cref="Stop"/>, then sends what is still queued.</summary>
    public void Run()
    {
        _poller.Run();
        while (_outgoing.TryDequeue(out var item, TimeSpan.Zero)) SendNow(item.Channel, item.Message);
    }

    /// <summary>Ends <see cref="Run"/> (from any thread).</summary>
    public void Stop() => _poller.StopAsync();

    /// <summary>Sends <paramref name="message"/> on <paramref name="channel"/> (from any thread); dropped once the sockets are closed.</summary>
    public void Send(Channel channel, JupyterMessage message)
    {
        if (Volatile.Read(ref _disposed)) return;
        try
        {
            _outgoing.Enqueue((channel, message));
        }
        catch (ObjectDisposedException)
        {
            // A cell still running at shutdown printed after the sockets closed: nobody is listening any more.
        }
    }

    /// <summary>Replies to <paramref name="request"/> on the channel it came on.</summary>
    public void Reply(Channel channel, JupyterMessage request, string type, JsonObject content) =>
        Send(channel, JupyterMessage.Create(type, content, Session, request));

    /// <summary>Broadcasts a message on iopub, as a child of the request whose header is <paramref name="parentHeader"/>.</summary>
    public void Publish(string type, JsonObject content, JsonObject? parentHeader) =>
        Send(Channel.Iopub, JupyterMessage.Create(type, content, Session, parentHeader, [Encoding.UTF8.GetBytes($"kernel.{Session}.{type}")]));

    /// <summary>Closes the sockets (waiting at most a second for unsent messages).</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub, _heartbeat }) socket.Dispose();
        _outgoing.Dispose();
        NetMQConfig.Cleanup(block: true);
    }

    private void Receive(NetMQSocket socket, Channel channel)
    {
        NetMQMessage? received = null;
        while (socket.TryReceiveMultipartMessage(TimeSpan.Zero, ref received))
        {
            var frames = received.Select(frame => frame.ToByteArray()).ToList();
            received = null;
            var message = JupyterMessage.Parse(frames, _signer, out string? problem);
            if (message is null)
            {
                _log.WriteLine($"dropped a {channel.ToString().ToLowerInvariant()} message: {problem}; it was not run.");
                continue;
            }
            if (!FirstTimeSeen(JupyterMessage.SignatureOf(frames)))
            {
                _log.WriteLine($"dropped a {channel.ToString().ToLowerInvariant()} {message.Type}: the same signed message was already received (a replay); it was not run.");
                continue;
            }
            try
            {
                _received(channel, message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _log.WriteLine($"failed to handle {message.Type}: {e}");
            }
        }
    }

    private bool FirstTimeSeen(string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return true;
        if (!_seen.Add(signature)) return false;
        _seenOrder.Enqueue(signature);
        if (_seenOrder.Count > RememberedSignatures) _seen.Remove(_seenOrder.Dequeue());
        return true;
    }

    private void SendNow(Channel channel, JupyterMessage message)
    {
        NetMQSocket socket = channel switch
        {
            Channel.Shell => _shell,
            Channel.Control => _control,
            Channel.Stdin => _stdin,
            _ => _iopub,
        };
        var frames = new NetMQMessage();
        foreach (byte[] frame in message.ToFrames(_signer)) frames.Append(frame);
        socket.SendMultipartMessage(frames);
    }
}
