using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using NotebookCnn.Runner.Jupyter;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// The kernel's parts that need no front end: message signing and framing, the connection file, the kernelspec
/// commands, and the output listener the kernel publishes through.
/// </summary>
public sealed class KernelPartsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nbcnn-kernelspec-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Signature_is_hmac_sha256_of_the_four_frames_in_lowercase_hex()
    {
        // The published HMAC-SHA256 test value for key "key" and this sentence, split over the four signed frames.
        var signer = new MessageSigner("key");
        string signature = signer.Sign(Bytes("The quick brown "), Bytes("fox jumps "), Bytes("over the lazy "), Bytes("dog"));
        Assert.Equal("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", signature);
        Assert.True(signer.Verify(Bytes(signature), Bytes("The quick brown "), Bytes("fox jumps "), Bytes("over the lazy "), Bytes("dog")));
        Assert.False(signer.Verify(Bytes(signature), Bytes("The quick brown "), Bytes("fox jumps "), Bytes("over the lazy "), Bytes("cat")));
        Assert.False(new MessageSigner("other").Verify(Bytes(signature), Bytes("The quick brown "), Bytes("fox jumps "), Bytes("over the lazy "), Bytes("dog")));
        Assert.False(signer.Verify(Bytes(signature.ToUpperInvariant()), Bytes("The quick brown "), Bytes("fox jumps "), Bytes("over the lazy "), Bytes("dog")));
    }

    [Fact]
    public void A_message_survives_framing_and_a_changed_byte_or_another_key_is_refused()
    {
        var signer = new MessageSigner("secret");
        var request = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1 + 1 // é <b>" }, "session-1",
            parentHeader: null, identities: [Bytes("client")]);
        var frames = request.ToFrames(signer);
        Assert.Equal("client", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal("<IDS|MSG>", Encoding.UTF8.GetString(frames[1]));

        var parsed = JupyterMessage.Parse(frames, signer, out string? problem);
        Assert.Null(problem);
        Assert.Equal("execute_request", parsed!.Type);
        Assert.Equal("5.3", parsed.Header["version"]!.GetValue<string>());
        Assert.Equal("1 + 1 // é <b>", parsed.Content["code"]!.GetValue<string>());
        Assert.Equal("client", Encoding.UTF8.GetString(Assert.Single(parsed.Identities)));

        var reply = JupyterMessage.Create("execute_reply", new JsonObject { ["status"] = "ok" }, "kernel", parsed);
        Assert.Equal(parsed.Id, reply.ParentHeader["msg_id"]!.GetValue<string>());
        Assert.Equal("client", Encoding.UTF8.GetString(Assert.Single(reply.Identities)));

        var tampered = frames.Select(f => (byte[])f.Clone()).ToList();
        tampered[^1] = Bytes("{\"code\": \"System.IO.File.Delete(\\\"x\\\")\"}");
        Assert.Null(JupyterMessage.Parse(tampered, signer, out problem));
        Assert.Contains("wrong signature", problem);
        Assert.Null(JupyterMessage.Parse(frames, new MessageSigner("another key"), out problem));
        Assert.Contains("wrong signature", problem);
        Assert.Null(JupyterMessage.Parse(frames.Skip(2).ToList(), signer, out problem));
        Assert.Contains("malformed", problem);
    }

    [Fact]
    public void Connection_file_errors_name_the_file_and_the_field()
    {
        string path = Path.Combine(_folder, "kernel-1.json");
        File.WriteAllText(path, """{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "ip": "127.0.0.1", "transport": "tcp", "key": "k", "signature_scheme": "hmac-sha256"}""");
        var error = Assert.Throws<RunnerException>(() => ConnectionFile.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("'hb_port' must be a port number, got nothing", error.Message);

        File.WriteAllText(path, """{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005, "ip": "127.0.0.1", "transport": "tcp", "key": "k", "signature_scheme": "hmac-md5"}""");
        Assert.Contains("signature_scheme 'hmac-md5' is not supported", Assert.Throws<RunnerException>(() => ConnectionFile.Load(path)).Message);

        File.WriteAllText(path, """{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005, "ip": "127.0.0.1", "transport": "tcp", "key": "k"}""");
        var connection = ConnectionFile.Load(path);
        Assert.Equal("tcp://127.0.0.1:5005", connection.Address(connection.HeartbeatPort));
        Assert.Equal("k", connection.Key);
    }

    private (int ExitCode, string Stdout, string Stderr) Nbcnn(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nbcnn.dll"));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["JUPYTER_DATA_DIR"] = Path.Combine(_folder, "user-data");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    [Fact]
    public void Kernel_install_writes_a_kernelspec_that_starts_this_nbcnn_from_any_folder_and_uninstall_removes_it()
    {
        string kernels = Path.Combine(_folder, "kernels");
        var installed = Nbcnn("/", "kernel", "install", "--path", kernels);
        Assert.True(installed.ExitCode == 0, installed.Stderr);
        string file = Path.Combine(kernels, "nbcnn", "kernel.json");
        Assert.Contains(file, installed.Stdout);

        var spec = JsonNode.Parse(File.ReadAllText(file))!;
        Assert.Equal("C# (NotebookCnn)", spec["display_name"]!.GetValue<string>());
        Assert.Equal("csharp", spec["language"]!.GetValue<string>());
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.True(Path.IsPathFullyQualified(argv[0]) && File.Exists(argv[0]), argv[0]);
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(argv[0]));
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "nbcnn.dll"), argv[1]);
        Assert.Equal(["kernel", "--connection-file", "{connection_file}"], argv[2..]);

        // The argv starts nbcnn from another folder: it answers with a clear error for a missing connection file.
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/" };
        foreach (string argument in argv[1..^1]) start.ArgumentList.Add(argument);
        start.ArgumentList.Add(Path.Combine(_folder, "missing.json"));
        using (var kernel = Process.Start(start)!)
        {
            string stderr = kernel.StandardError.ReadToEnd();
            kernel.WaitForExit();
            Assert.Equal(2, kernel.ExitCode);
            Assert.Contains("No connection file at " + Path.Combine(_folder, "missing.json"), stderr);
        }

        var named = Nbcnn(_folder, "kernel", "install", "--prefix", "env", "--name", "course-kernel");
        Assert.True(named.ExitCode == 0, named.Stderr);
        Assert.True(File.Exists(Path.Combine(_folder, "env", "share", "jupyter", "kernels", "course-kernel", "kernel.json")));
        var user = Nbcnn(_folder, "kernel", "install", "--user");
        Assert.True(user.ExitCode == 0, user.Stderr);
        Assert.True(File.Exists(Path.Combine(_folder, "user-data", "kernels", "nbcnn", "kernel.json")));

        var removed = Nbcnn("/", "kernel", "uninstall", "--path", kernels);
        Assert.True(removed.ExitCode == 0, removed.Stderr);
        Assert.False(Directory.Exists(Path.Combine(kernels, "nbcnn")));
        Assert.True(Nbcnn(_folder, "kernel", "uninstall", "--prefix", "env", "--name", "course-kernel").ExitCode == 0);
        Assert.False(File.Exists(Path.Combine(_folder, "env", "share", "jupyter", "kernels", "course-kernel", "kernel.json")));
        var again = Nbcnn("/", "kernel", "uninstall", "--path", kernels);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("no kernel named nbcnn in " + kernels, again.Stderr);
    }

    [Fact]
    public void Kernel_install_refuses_two_locations_and_a_name_that_is_a_path()
    {
        var both = Nbcnn(_folder, "kernel", "install", "--user", "--path", "kernels");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("Choose one of --user, --prefix DIR and --path KERNELS_DIR.", both.Stderr);
        foreach (string name in new[] { "..", "../escape", "a/b" })
        {
            var bad = Nbcnn(_folder, "kernel", "install", "--path", "kernels", "--name", name);
            Assert.Equal(2, bad.ExitCode);
            Assert.Contains($"Kernel name '{name}' is not valid", bad.Stderr);
        }
        Assert.False(File.Exists(Path.Combine(_folder, "kernel.json")));
    }

    private sealed class Recorder : ICellOutputListener
    {
        public List<string> Events { get; } = [];
        public void StreamAppended(string name, string text) => Events.Add($"{name}:{text}");
        public void DisplayAdded(string displayId, IReadOnlyDictionary<string, string> data) => Events.Add($"display {displayId}:{data["text/plain"]}");
        public void DisplayUpdated(string displayId, IReadOnlyDictionary<string, string> data) => Events.Add($"update {displayId}:{data["text/plain"]}");
        public void ResultAdded(int executionCount, IReadOnlyDictionary<string, string> data) => Events.Add($"result {executionCount}:{data["text/plain"]}");
        public void ErrorAdded(string name, string message, IReadOnlyList<string> traceback) => Events.Add($"error {name}:{message}:{traceback.Count}");
    }

    [Fact]
    public void The_output_listener_hears_every_output_in_order_and_the_recorded_outputs_do_not_change()
    {
        var recorder = new Recorder();
        var heard = new CellOutputs(3) { Listener = recorder };
        var plain = new CellOutputs(3);
        foreach (var outputs in new[] { heard, plain })
        {
            outputs.AppendStream("stdout", "a");
            outputs.AppendStream("stdout", "b\n");
            outputs.AddDisplay("d1", new Dictionary<string, string> { ["text/plain"] = "shown" });
            outputs.UpdateDisplay("d1", new Dictionary<string, string> { ["text/plain"] = "updated" });
            outputs.AddResult(7, new Dictionary<string, string> { ["text/plain"] = "42" });
            outputs.AddError("Boom", "it failed", ["line 1", "line 2"]);
        }
        Assert.Equal(["stdout:a", "stdout:b\n", "display d1:shown", "update d1:updated", "result 7:42", "error Boom:it failed:2"], recorder.Events);
        Assert.Equal(plain.ToJson().ToJsonString(), heard.ToJson().ToJsonString());
    }
}
