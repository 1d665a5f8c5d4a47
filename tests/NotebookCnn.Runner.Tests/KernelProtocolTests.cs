using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// The nbcnn kernel driven by Jupyter's own client (Debian's jupyter_client, through <c>tests/jupyter/protocol.py</c>),
/// one kernel per scenario: each message of protocol 5.3 the kernel answers, signatures, interrupts, restart and
/// shutdown. The driver only records what it sees; the assertions are here.
/// </summary>
public class KernelProtocolTests(ITestOutputHelper output) : IDisposable
{
    private const string Kernel = "nbcnn";
    private readonly string _folder = Directory.CreateTempSubdirectory("nbcnn-kernel-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Library => Path.Combine(CourseNotebookTests.RepositoryRoot, "src", "NotebookCnn", "bin", "Release", "net8.0", "NotebookCnn.dll");

    /// <summary>Runs one scenario of the driver and returns its record (the last line it prints, as JSON).</summary>
    private JsonObject Drive(string scenario, bool needsLibrary = false)
    {
        Jupyter.RequireKernel(Kernel);
        if (needsLibrary)
            Assert.True(File.Exists(Library), $"The scenario #r's {Library}: build it with `dotnet build src/NotebookCnn -c Release`.");
        var start = new ProcessStartInfo(Jupyter.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(CourseNotebookTests.RepositoryRoot, "tests", "jupyter", "protocol.py"));
        start.ArgumentList.Add(scenario);
        start.ArgumentList.Add(_folder);
        start.ArgumentList.Add(Library);
        start.Environment["JUPYTER_PATH"] = Jupyter.DataFolder;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"protocol.py {scenario} did not finish within 4 minutes.\n{stderr.Result}");
        }
        string log = File.Exists(Path.Combine(_folder, "kernel.log")) ? File.ReadAllText(Path.Combine(_folder, "kernel.log")) : "";
        Assert.True(process.ExitCode == 0, $"protocol.py {scenario} failed (exit {process.ExitCode}):\n{stderr.Result}\nkernel log:\n{log}");
        string last = stdout.Result.TrimEnd().Split('\n')[^1];
        return JsonNode.Parse(last)!.AsObject();
    }

    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? "";

    private static List<string> Types(JsonNode? iopub) => iopub!.AsArray().Select(m => Text(m!["msg_type"])).ToList();

    private static JsonObject Only(JsonNode? iopub, string type) =>
        Assert.Single(iopub!.AsArray(), m => Text(m!["msg_type"]) == type)!["content"]!.AsObject();

    [Fact]
    public void Kernel_info_describes_csharp_and_the_heartbeat_echoes()
    {
        var record = Drive("kernel_info");
        var info = record["kernel_info"]!["reply"]!;
        Assert.Equal("ok", Text(info["status"]));
        Assert.Equal("5.3", Text(info["protocol_version"]));
        Assert.Equal("nbcnn", Text(info["implementation"]));
        var language = info["language_info"]!;
        Assert.Equal("csharp", Text(language["name"]));
        Assert.Equal(".cs", Text(language["file_extension"]));
        Assert.Equal("text/x-csharp", Text(language["mimetype"]));
        Assert.Equal("csharp", Text(language["pygments_lexer"]));
        Assert.Equal("text/x-csharp", Text(language["codemirror_mode"]));
        Assert.Equal(["status", "status"], Types(record["kernel_info"]!["iopub"]));
        Assert.Equal("ping-nbcnn", Text(record["heartbeat"]));
    }

    [Fact]
    public void Execute_publishes_input_streams_displays_updated_by_id_results_and_errors()
    {
        var cells = Drive("execute")["cells"]!.AsArray();

        var first = cells[0]!;
        Assert.Equal("ok", Text(first["reply"]!["status"]));
        Assert.Equal(1, first["reply"]!["execution_count"]!.GetValue<int>());
        Assert.Equal(["status", "execute_input", "stream", "stream", "display_data", "update_display_data", "execute_result", "status"],
            Types(first["iopub"]));
        var iopub = first["iopub"]!.AsArray();
        Assert.Equal("busy", Text(iopub[0]!["content"]!["execution_state"]));
        Assert.Equal("idle", Text(iopub[^1]!["content"]!["execution_state"]));
        Assert.Equal(1, Only(iopub, "execute_input")["execution_count"]!.GetValue<int>());
        var streams = iopub.Where(m => Text(m!["msg_type"]) == "stream").Select(m => (Text(m!["content"]!["name"]), Text(m["content"]!["text"]))).ToList();
        Assert.Equal([("stdout", "out\n"), ("stderr", "err\n")], streams);
        var shown = Only(iopub, "display_data");
        var updated = Only(iopub, "update_display_data");
        string id = Text(shown["transient"]!["display_id"]);
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(id, Text(updated["transient"]!["display_id"]));
        Assert.Equal("first", Text(shown["data"]!["text/plain"]));
        Assert.Equal("second", Text(updated["data"]!["text/plain"]));
        var result = Only(iopub, "execute_result");
        Assert.Equal(1, result["execution_count"]!.GetValue<int>());
        Assert.Equal("42", Text(result["data"]!["text/plain"]));

        var failing = cells[1]!;
        Assert.Equal("error", Text(failing["reply"]!["status"]));
        var error = Only(failing["iopub"], "error");
        Assert.Equal("System.InvalidOperationException", Text(error["ename"]));
        Assert.Equal("boom", Text(error["evalue"]));
        Assert.Contains("   at cell 2, line 1", error["traceback"]!.AsArray().Select(Text));
        Assert.Equal("System.InvalidOperationException", Text(failing["reply"]!["ename"]));

        // A handle kept in a variable updates its display from a later cell, under the same id.
        var later = Only(cells[2]!["iopub"], "update_display_data");
        Assert.Equal(id, Text(later["transient"]!["display_id"]));
        Assert.Equal("third", Text(later["data"]!["text/plain"]));

        // A chart: the plotly figure as a JSON object, plus HTML.
        var chart = Only(cells[3]!["iopub"], "execute_result")["data"]!.AsObject();
        Assert.Equal("scatter", Text(chart["application/vnd.plotly.v1+json"]!["data"]![0]!["type"]));
        Assert.Contains("Plotly.newPlot", Text(chart["text/html"]));

        // 2,000 printed lines arrive whole and in order, in a few stream messages rather than 2,000.
        var printed = cells[4]!["iopub"]!.AsArray().Where(m => Text(m!["msg_type"]) == "stream").ToList();
        Assert.InRange(printed.Count, 1, 50);
        Assert.Equal(string.Concat(Enumerable.Range(0, 2000).Select(i => i + "\n")), string.Concat(printed.Select(m => Text(m!["content"]!["text"]))));
    }

    [Fact]
    public void A_silent_execution_publishes_nothing_and_does_not_count()
    {
        var record = Drive("silent");
        Assert.Equal("ok", Text(record["silent"]!["reply"]!["status"]));
        Assert.Equal(["status", "status"], Types(record["silent"]!["iopub"]));
        Assert.Equal("error", Text(record["silent_error"]!["reply"]!["status"]));
        Assert.Equal("silent failure", Text(record["silent_error"]!["reply"]!["evalue"]));
        Assert.Equal(["status", "status"], Types(record["silent_error"]!["iopub"]));

        var next = record["next"]!;
        Assert.Equal(1, next["reply"]!["execution_count"]!.GetValue<int>());
        Assert.Equal("6", Text(Only(next["iopub"], "execute_result")["data"]!["text/plain"]));
    }

    [Fact]
    public void Stop_on_error_aborts_the_cells_queued_behind_a_failure_and_only_when_asked()
    {
        var record = Drive("stop_on_error");
        Assert.Equal(["error", "aborted", "aborted"], record["aborted"]!.AsArray().Select(r => Text(r!["status"])));
        Assert.False(record["marker_written"]!.GetValue<bool>(), "an aborted cell ran");
        foreach (var types in record["aborted_iopub"]!.AsArray().Skip(1)) Assert.Equal(["status", "status"], types!.AsArray().Select(Text));
        Assert.Equal(["error", "ok"], record["stop_on_error_false"]!.AsArray().Select(r => Text(r!["status"])));
        Assert.Equal("ok", Text(record["after"]!["reply"]!["status"]));
    }

    [Fact]
    public void Completion_offers_library_members_and_the_session_variables()
    {
        var record = Drive("complete", needsLibrary: true);
        foreach (var cell in record["setup"]!.AsArray()) Assert.Equal("ok", Text(cell!["reply"]!["status"]));

        var tensor = record["tensor"]!["reply"]!;
        Assert.Equal("ok", Text(tensor["status"]));
        Assert.Contains("FromArray", tensor["matches"]!.AsArray().Select(Text));
        Assert.All(tensor["matches"]!.AsArray(), m => Assert.StartsWith("Fr", Text(m), StringComparison.OrdinalIgnoreCase));
        Assert.Equal((7, 9), (tensor["cursor_start"]!.GetValue<int>(), tensor["cursor_end"]!.GetValue<int>()));

        var variable = record["variable"]!["reply"]!;
        Assert.Equal("learningRate", Text(variable["matches"]![0]));
        Assert.Equal(0, variable["cursor_start"]!.GetValue<int>());

        var middle = record["middle"]!["reply"]!;
        Assert.Contains("FromArray", middle["matches"]!.AsArray().Select(Text));
        Assert.Equal(15, middle["cursor_start"]!.GetValue<int>());

        // Positions count code points, as protocol 5.2+ says: an emoji before the cursor is one, not two.
        var emoji = record["emoji"]!["reply"]!;
        Assert.Contains("FromArray", emoji["matches"]!.AsArray().Select(Text));
        Assert.Equal(record["emoji_fr_at"]!.GetValue<int>(), emoji["cursor_start"]!.GetValue<int>());
    }

    [Fact]
    public void Inspection_shows_the_signature_and_the_xml_doc_summary()
    {
        var record = Drive("inspect", needsLibrary: true);
        var method = record["method"]!["reply"]!;
        Assert.True(method["found"]!.GetValue<bool>());
        string text = Text(method["data"]!["text/plain"]);
        Assert.StartsWith("static NotebookCnn.Tensor NotebookCnn.Tensor.FromArray(float[] values)", text);
        Assert.Contains("Creates a 1-D tensor holding a copy of values.", text);

        Assert.Contains("Tensor.FromArray(", Text(record["in_arguments"]!["reply"]!["data"]!["text/plain"]));
        var type = Text(record["type"]!["reply"]!["data"]!["text/plain"]);
        Assert.StartsWith("class NotebookCnn.Trainer\nThe training loop", type);
        Assert.False(record["nothing"]!["reply"]!["found"]!.GetValue<bool>());
    }

    [Fact]
    public void Is_complete_asks_for_more_after_an_open_brace()
    {
        var record = Drive("is_complete");
        Assert.Equal("incomplete", Text(record["if (true) {"]!["status"]));
        Assert.Equal("    ", Text(record["if (true) {"]!["indent"]));
        Assert.Equal("incomplete", Text(record["Console.WriteLine("]!["status"]));
        Assert.Equal("complete", Text(record["var x = 1;"]!["status"]));
        Assert.Equal("complete", Text(record[""]!["status"]));
        Assert.Equal("complete", Text(record["#r \"nuget: Plotly.NET, 6.0.0\"\n1 + 1"]!["status"]));
    }

    [Fact]
    public void Comm_info_lists_no_comms()
    {
        var reply = Drive("comm_info")["comm_info"]!["reply"]!;
        Assert.Equal("ok", Text(reply["status"]));
        Assert.Empty(reply["comms"]!.AsObject());
    }

    [Fact]
    public void History_returns_the_cells_stored_with_their_results()
    {
        var record = Drive("history");
        // [session, line, [input, output]] for the cells stored in history: not the silent one, not store_history=false.
        Assert.Equal(JsonNode.Parse("""[[1,1,["var a = 1;",null]],[1,2,["\"two\"","two"]],[1,3,["a + b","3"]]]"""),
            record["tail"]!["reply"]!["history"], JsonNode.DeepEquals);
        Assert.Equal(JsonNode.Parse("""[[1,2,"\"two\""]]"""), record["range"]!["reply"]!["history"], JsonNode.DeepEquals);
        Assert.Equal(JsonNode.Parse("""[[1,2,"\"two\""]]"""), record["search"]!["reply"]!["history"], JsonNode.DeepEquals);
    }

    [Fact]
    public void A_message_signed_with_another_key_is_dropped_and_logged_and_never_run()
    {
        var record = Drive("wrong_signature");
        Assert.False(record["forged_file_exists"]!.GetValue<bool>(), "the kernel ran a message signed with another key");
        Assert.Equal(1, record["replayed_runs"]!.GetValue<int>());
        Assert.Equal("ok", Text(record["kernel_info_after"]));
        Assert.True(record["genuine_file_exists"]!.GetValue<bool>(), "the same code, correctly signed, did not run");
        Assert.Empty(record["stray_replies"]!.AsArray());
        string log = Text(record["log"]);
        Assert.Contains("dropped a shell message: wrong signature", log);
        Assert.Contains("(a replay); it was not run", log);
    }

    [Fact]
    public void Interrupt_stops_a_sleeping_cell_within_5_s_and_keeps_the_variables()
    {
        var record = Drive("interrupt_sleep");
        var stopped = record["stopped"]!;
        double latency = stopped["latency_seconds"]!.GetValue<double>();
        Assert.InRange(latency, 0, 5);
        Assert.Equal("Interrupted", Text(stopped["reply"]!["ename"]));
        Assert.Equal("Interrupted", Text(Only(stopped["iopub"], "error")["ename"]));
        Assert.Equal("42", Text(Only(record["after"]!["iopub"], "execute_result")["data"]!["text/plain"]));

        // A busy loop ignores interrupts: it is abandoned, and the kernel goes on.
        var busy = record["busy_loop"]!;
        double abandoned = busy["latency_seconds"]!.GetValue<double>();
        Assert.InRange(abandoned, 0, 5);
        Assert.Equal("Interrupted", Text(busy["reply"]!["ename"]));
        Assert.Equal("43", Text(Only(record["after_busy_loop"]!["iopub"], "execute_result")["data"]!["text/plain"]));
        output.WriteLine(FormattableString.Invariant($"interrupt latency: Thread.Sleep {latency:0.000} s, busy loop (abandoned) {abandoned:0.000} s"));
    }

    [Fact]
    public void Interrupt_stops_training_within_5_s_and_the_network_trains_on()
    {
        var record = Drive("interrupt_training", needsLibrary: true);
        Assert.Equal("ok", Text(record["setup"]!["reply"]!["status"]));
        var stopped = record["stopped"]!;
        double latency = stopped["latency_seconds"]!.GetValue<double>();
        Assert.InRange(latency, 0, 5);
        Assert.Equal("Interrupted", Text(stopped["reply"]!["ename"]));
        // Stopped by the trainer's check of the cell's token, not by waking the thread.
        Assert.Contains("System.OperationCanceledException", string.Join("\n", stopped["reply"]!["traceback"]!.AsArray().Select(Text)));

        string after = Text(Only(record["after"]!["iopub"], "execute_result")["data"]!["text/plain"]);
        var parts = System.Text.RegularExpressions.Regex.Match(after, @"^state kept: (\d+) iterations, (\d+) minutes for all$");
        Assert.True(parts.Success, after);
        Assert.True(int.Parse(parts.Groups[1].Value, CultureInfo.InvariantCulture) > 0, after);
        Assert.True(int.Parse(parts.Groups[2].Value, CultureInfo.InvariantCulture) >= 2, $"the training was meant to take minutes: {after}");
        Assert.Equal("3", Text(Only(record["resumed"]!["iopub"], "execute_result")["data"]!["text/plain"]));
        output.WriteLine(FormattableString.Invariant($"interrupt latency: training {latency:0.000} s ({after})"));
    }

    [Fact]
    public void Restart_and_shutdown_end_the_kernel_process_and_leave_none_behind()
    {
        var record = Drive("restart_and_shutdown");
        // Exit code 0: each kernel ended by itself on the shutdown request, before jupyter_client would have killed it.
        Assert.Equal(0, record["first_returncode"]!.GetValue<int>());
        Assert.Equal(0, record["second_returncode"]!.GetValue<int>());
        Assert.NotEqual(record["first_pid"]!.GetValue<int>(), record["second_pid"]!.GetValue<int>());
        Assert.Equal("CompilationError", Text(record["variable_after_restart"]!["ename"]));
        Assert.Equal("ok", Text(record["after_restart"]!["status"]));
        Assert.Empty(record["left_running"]!.AsArray());
        Assert.Contains("shutdown requested (the front end restarts the kernel)", Text(record["log"]));
        output.WriteLine($"restart {record["restart_seconds"]} s, shutdown {record["shutdown_seconds"]} s");
    }

    [Fact]
    public void A_kernel_whose_front_end_died_shuts_itself_down()
    {
        var record = Drive("orphan");
        int pid = record["pid"]!.GetValue<int>();
        var clock = Stopwatch.StartNew();
        while (IsRunning(pid) && clock.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(100);
        Assert.False(IsRunning(pid), $"the kernel (process {pid}) still runs {clock.Elapsed.TotalSeconds:0} s after its front end died");
    }

    // A process that has ended but was not yet reaped (a zombie, state Z) is not running.
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
