using System.Text.Json.Nodes;
using NotebookCnn.Runner.Classroom;

namespace NotebookCnn.Runner.Tests;

/// <summary>The parts of safe grading that need no submission run: teacher slips, the key, the channel, the gradebook.</summary>
public class ClassroomSafetyTests
{
    private static Notebook TeacherWith(string type, string source, params string[] tags)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = type, ["id"] = "c1", ["source"] = source,
            ["metadata"] = new JsonObject { ["tags"] = new JsonArray(tags.Select(t => (JsonNode?)t).ToArray()) },
        };
        if (type == "code")
        {
            cell["outputs"] = new JsonArray();
            cell["execution_count"] = null;
        }
        return Notebook.Parse(new JsonObject { ["cells"] = new JsonArray(cell), ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString());
    }

    [Theory]
    [InlineData("code", "int x = 0;\n//BEGIN SOLUTION\nx = 1;\n//END SOLUTION", "'//BEGIN SOLUTION' looks like a solution marker")]
    [InlineData("code", "int x = 0;\n/* BEGIN SOLUTION */\nx = 1;\n/* END SOLUTION */", "'/* BEGIN SOLUTION */' looks like a solution marker")]
    [InlineData("code", "int x = 0;\n// begin solution\nx = 1;\n// END SOLUTION", "'// begin solution' looks like a solution marker")]
    [InlineData("code", "int x = 0;\n// BEGIN SOLUTION\nx = 1;\n//STUB: x = 0;\n// END SOLUTION", "write '// STUB:' exactly")]
    [InlineData("markdown", "The answer:\n// BEGIN SOLUTION\n42\n// END SOLUTION", "markers work only in code cells")]
    public void Assign_refuses_a_near_miss_marker_naming_the_cell_line_and_fix(string type, string source, string message)
    {
        var error = Assert.Throws<RunnerException>(() => Assignment.Make(TeacherWith(type, source), "t", "."));
        Assert.Contains("t.ipynb, cell 1 (c1)", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("code", "Hidden-Tests", "tag 'Hidden-Tests' is not 'hidden-tests'")]
    [InlineData("code", "hidden_tests", "tag 'hidden_tests' is not 'hidden-tests'")]
    [InlineData("code", "Read-Only", "tag 'Read-Only' is not 'read-only'")]
    [InlineData("code", "hidden", "write 'hidden-tests'")]
    [InlineData("code", "Points:2", "write 'points:N'")]
    [InlineData("markdown", "hidden-tests", "only code cells are graded")]
    [InlineData("markdown", "points:2", "only code cells are graded")]
    public void Assign_refuses_a_near_miss_tag_or_a_graded_markdown_cell(string type, string tag, string message)
    {
        var error = Assert.Throws<RunnerException>(() => Assignment.Make(TeacherWith(type, "Check(true, \"x\");", tag), "t", "."));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Assign_marks_setup_and_parameters_cells_read_only()
    {
        var (_, key) = Assignment.Make(TeacherWith("code", "bool quick = false;", "parameters"), "t", ".");
        Assert.False(Assert.Single(key.Cells).StudentCode);
        (_, key) = Assignment.Make(TeacherWith("code", "int setUp = 1;", "setup"), "t", ".");
        Assert.False(Assert.Single(key.Cells).StudentCode);
    }

    [Fact]
    public void Assign_does_not_overwrite_a_key_without_force()
    {
        string folder = Directory.CreateTempSubdirectory("nbcnn-force-").FullName;
        try
        {
            string teacher = Path.Combine(folder, "t.ipynb");
            TeacherWith("code", "int x = 0;\n// BEGIN SOLUTION\nx = 1;\n// END SOLUTION").Save(teacher);
            string output = Path.Combine(folder, "out");
            Assignment.AssignFiles([teacher], output, TextWriter.Null);
            string before = File.ReadAllText(Path.Combine(output, GradingKey.FileName));
            var error = Assert.Throws<RunnerException>(() => Assignment.AssignFiles([teacher], output, TextWriter.Null));
            Assert.Contains("--force", error.Message);
            Assert.Equal(before, File.ReadAllText(Path.Combine(output, GradingKey.FileName)));
            Assignment.AssignFiles([teacher], output, TextWriter.Null, force: true);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_channel_line_verifies_only_with_the_runs_secret_and_its_own_sequence_number()
    {
        byte[] secret = WorkerChannel.NewSecret();
        string line = WorkerChannel.Frame(secret, 3, "{\"kind\":\"done\"}");
        Assert.Equal("{\"kind\":\"done\"}", WorkerChannel.Open(secret, 3, line));
        Assert.Null(WorkerChannel.Open(secret, 4, line));                              // replayed
        Assert.Null(WorkerChannel.Open(WorkerChannel.NewSecret(), 3, line));           // another run's secret
        Assert.Null(WorkerChannel.Open(secret, 3, line.Replace("done", "dune")));      // changed
        Assert.Null(WorkerChannel.Open(secret, 0, "0 00 {\"kind\":\"done\"}"));        // forged
    }

    [Fact]
    public void A_graded_cells_source_decrypts_only_for_its_own_cell_and_run()
    {
        byte[] secret = WorkerChannel.NewSecret();
        string sent = WorkerChannel.Encrypt(secret, "ex1-hidden", "Check(Add(1, 1) == 2, \"one and one\");");
        Assert.DoesNotContain("Add(1, 1)", sent);
        Assert.Equal("Check(Add(1, 1) == 2, \"one and one\");", WorkerChannel.Decrypt(secret, "ex1-hidden", sent));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => WorkerChannel.Decrypt(secret, "ex2-hidden", sent));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => WorkerChannel.Decrypt(WorkerChannel.NewSecret(), "ex1-hidden", sent));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("alice", "alice")]
    [InlineData("a, b", "\"a, b\"")]
    public void Gradebook_fields_a_spreadsheet_would_run_as_formulas_are_neutralised(string field, string written)
    {
        Assert.Equal(written, Gradebook.Quote(field));
    }

    [Fact]
    public async Task Interrupting_grading_kills_the_running_worker_promptly()
    {
        string folder = Directory.CreateTempSubdirectory("nbcnn-interrupt-").FullName;
        try
        {
            string course = Path.Combine(AttackedClass.AttacksFolder, "course");
            var key = Assignment.AssignFiles([Path.Combine(course, "teacher.ipynb")], Path.Combine(folder, "assignment"), TextWriter.Null);
            using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Grader.GradeAsync(
                [("victim", Path.Combine(AttackedClass.AttacksFolder, "victim.ipynb"))], key,
                new GradeOptions { OutputDirectory = Path.Combine(folder, "graded"), Cancellation = interrupt.Token, Log = TextWriter.Null }));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopped after {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_sandbox_can_be_made_here()
    {
        Assert.Null(Sandbox.WhyUnavailable());
    }
}
