using System.Text.Json.Nodes;
using NotebookCnn.Runner;
using NotebookCnn.Runner.Classroom;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// The fixture assignment graded once, each submission in its own nbcnn process: the teacher's copy,
/// a wrong answer, an infinite loop, tampered cells, a runaway allocation and a submission that ends its process.
/// </summary>
public sealed class GradedClass : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("nbcnn-grade-test-").FullName;

    public string Submissions => Path.Combine(Folder, "submissions");

    public GradingKey Key { get; }

    public IReadOnlyDictionary<string, StudentGrade> Grades { get; }

    public Dictionary<string, byte[]> Before { get; } = [];

    public GradeOptions Options { get; }

    public GradedClass()
    {
        Key = Assignment.AssignFiles([ClassroomTests.TeacherPath], Path.Combine(Folder, "assignment"), TextWriter.Null);
        Directory.CreateDirectory(Submissions);
        var student = Notebook.Load(Path.Combine(Folder, "assignment", "teacher.ipynb"));
        File.Copy(ClassroomTests.TeacherPath, Path.Combine(Submissions, "teacher-copy.ipynb"));
        Write("wrong", student, ("ex1-answer", "static int Add(int a, int b) => a + b;"), ("ex2-answer", "int square = 7 * 6;"),
            ("ex3-answer", "long total = 5050;"));
        Write("loop", student, ("ex1-answer", "static int Add(int a, int b) => a + b;"), ("ex2-answer", "int square = 49;"),
            ("ex3-answer", "long total = 0;\nwhile (true) { total++; if (total % 100_000_000 == 0) Console.WriteLine(\"FAIL: still looping\"); }"));
        Write("tampered", Notebook.Load(ClassroomTests.TeacherPath), ("ex1-answer", "static int Add(int a, int b) => a - b;"),
            ("ex1-check", "Console.WriteLine(\"PASS: Add(2, 3) is 5\");"), ("ex1-hidden", "Console.WriteLine(\"PASS: hidden\");"));
        Write("hog", student, ("ex1-answer", "static int Add(int a, int b) => a + b;"), ("ex2-answer", "int square = 49;"),
            ("ex3-answer", "long total = 0;\n{ var hog = new List<byte[]>(); while (true) hog.Add(new byte[16_000_000]); }"));
        Write("quitter", student, ("ex1-answer", "static int Add(int a, int b) => a + b;"), ("ex2-answer", "Environment.Exit(3);"),
            ("ex3-answer", "long total = 5050;"));
        foreach (string file in Directory.GetFiles(Submissions)) Before[file] = File.ReadAllBytes(file);

        Options = new GradeOptions
        {
            OutputDirectory = Path.Combine(Folder, "graded"),
            CellTimeout = TimeSpan.FromSeconds(8),
            MemoryLimitMegabytes = 400,
            Log = TextWriter.Null,
        };
        Grades = Grader.GradeAsync(Grader.Submissions(Submissions), Key, Options).GetAwaiter().GetResult().ToDictionary(g => g.Student);
    }

    private void Write(string name, Notebook from, params (string Id, string Source)[] changes)
    {
        var notebook = from.Clone();
        foreach (var (id, source) in changes)
            notebook.Cells.OfType<JsonObject>().Single(c => c["id"]!.GetValue<string>() == id)["source"] = Notebook.SplitLines(source);
        notebook.Save(Path.Combine(Submissions, name + ".ipynb"));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>
/// Grading tests whose limits are measured in wall-clock time (a 0.5 s submission limit): they run alone, after the
/// parallel tests, so that other tests' sandboxed workers and chapter runs on the same cores cannot change what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockGrading
{
    public const string Name = "Grading against wall-clock limits";
}

[Collection(WallClockGrading.Name)]
public class GradingTests(GradedClass graded) : IClassFixture<GradedClass>
{
    private Dictionary<string, int> PointsOf(string student) => graded.Grades[student].Questions.ToDictionary(q => q.Question, q => q.Points);

    [Fact]
    public void The_teacher_version_grades_full_marks_without_flags()
    {
        var grade = graded.Grades["teacher-copy"];
        Assert.Equal(6, grade.Max);
        Assert.True(grade.Points == 6, string.Join("\n", grade.Questions.Select(q => $"{q.Question} {q.Status} {string.Join(" ", q.Messages)}")));
        Assert.Empty(grade.Flags);
    }

    [Fact]
    public void A_wrong_answer_loses_exactly_that_questions_points()
    {
        Assert.Equal(new Dictionary<string, int> { ["ex1-check"] = 1, ["ex1-hidden"] = 2, ["ex2-check"] = 0, ["ex3-check"] = 1 }, PointsOf("wrong"));
        var ex2 = graded.Grades["wrong"].Questions.Single(q => q.Question == "ex2-check");
        Assert.Equal(QuestionStatus.Failed, ex2.Status);
        Assert.Equal(["FAIL: 7 squared is 49"], ex2.Messages);
    }

    [Fact]
    public void An_infinite_loop_is_timed_out_on_that_question_only()
    {
        Assert.Equal(new Dictionary<string, int> { ["ex1-check"] = 1, ["ex1-hidden"] = 2, ["ex2-check"] = 2, ["ex3-check"] = 0 }, PointsOf("loop"));
        var ex3 = graded.Grades["loop"].Questions.Single(q => q.Question == "ex3-check");
        Assert.Equal(QuestionStatus.Timeout, ex3.Status);
        Assert.Contains(ex3.Messages, m => m.Contains("TimeoutError", StringComparison.Ordinal));
        // The loop printed while it was the running cell; once abandoned, its prints go nowhere.
        var executed = Notebook.Load(Path.Combine(graded.Options.OutputDirectory, "executed", "loop.ipynb"));
        string Stdout(string id) => string.Concat(((JsonArray)executed.Cells.OfType<JsonObject>().Single(c => (string?)c["id"] == id)["outputs"]!)
            .OfType<JsonObject>().Where(o => (string?)o["name"] == "stdout").Select(o => Notebook.JoinText(o["text"])));
        Assert.Contains("FAIL: still looping", Stdout("ex3-answer"));
        Assert.DoesNotContain("still looping", Stdout("ex3-check"));
    }

    [Fact]
    public void Tampered_hidden_and_check_cells_are_flagged_and_graded_with_the_keys_version()
    {
        var grade = graded.Grades["tampered"];
        Assert.Equal(2, grade.Flags.Count);
        Assert.Contains(grade.Flags, f => f.StartsWith("Hidden-test cell ex1-hidden", StringComparison.Ordinal));
        Assert.Contains(grade.Flags, f => f.StartsWith("Read-only cell ex1-check", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, int> { ["ex1-check"] = 0, ["ex1-hidden"] = 0, ["ex2-check"] = 2, ["ex3-check"] = 1 }, PointsOf("tampered"));
        string csv = File.ReadAllText(Path.Combine(graded.Options.OutputDirectory, "gradebook.csv"));
        Assert.Contains("tampered,teacher,ex1-hidden,Exercise 1 — Add (hidden tests),0,2,failed,Hidden-test cell ex1-hidden", csv);
    }

    [Fact]
    public void A_runaway_allocation_hits_the_memory_cap_and_costs_only_its_question()
    {
        Assert.Equal(new Dictionary<string, int> { ["ex1-check"] = 1, ["ex1-hidden"] = 2, ["ex2-check"] = 2, ["ex3-check"] = 0 }, PointsOf("hog"));
        var ex3 = graded.Grades["hog"].Questions.Single(q => q.Question == "ex3-check");
        Assert.Contains(ex3.Messages, m => m.Contains("OutOfMemoryException", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cell_that_ends_its_process_is_skipped_in_a_second_run_and_costs_only_its_question()
    {
        var grade = graded.Grades["quitter"];
        Assert.Equal(new Dictionary<string, int> { ["ex1-check"] = 1, ["ex1-hidden"] = 2, ["ex2-check"] = 0, ["ex3-check"] = 1 }, PointsOf("quitter"));
        var ex2 = grade.Questions.Single(q => q.Question == "ex2-check");
        Assert.Equal(QuestionStatus.Error, ex2.Status);
        Assert.Contains(ex2.Messages, m => m.StartsWith("cell ex2-answer: ProcessEndedError", StringComparison.Ordinal));
        Assert.Contains("Cell ex2-answer: the submission's process ended early (exit code 3) while it ran; graded again without that cell.",
            grade.Flags);
        Assert.Contains(grade.Flags, f => f.StartsWith("Cell ex2-answer uses Environment.Exit", StringComparison.Ordinal));
        Assert.Equal(2, grade.Flags.Count);
        Assert.Equal(6, graded.Grades["teacher-copy"].Points);   // graded before and after it, in their own processes
        Assert.Equal(3, graded.Grades["tampered"].Points);
    }

    [Fact]
    public void Submissions_are_never_modified_and_every_student_gets_a_feedback_page_without_hidden_code()
    {
        foreach (var (file, bytes) in graded.Before) Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(6, graded.Grades.Count);
        foreach (var grade in graded.Grades.Values)
        {
            string html = File.ReadAllText(grade.FeedbackPath!);
            Assert.Contains($"{grade.Points} of {grade.Max} points", html);
            Assert.DoesNotContain("Add(-4, 4) == 0", html);
        }
        Assert.Contains("PASS: Add(-4, 4) is 0", File.ReadAllText(graded.Grades["teacher-copy"].FeedbackPath!));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(graded.Options.OutputDirectory, "gradebook.json")))!;
        Assert.Equal(6, json["students"]!.AsArray().Count);
        Assert.Equal(25, File.ReadAllLines(Path.Combine(graded.Options.OutputDirectory, "gradebook.csv")).Length);
    }

    [Fact]
    public async Task A_submission_past_its_time_limit_is_killed_and_flagged()
    {
        string output = Path.Combine(graded.Folder, "time-limit");
        var grades = await Grader.GradeAsync([("slow", Path.Combine(graded.Submissions, "wrong.ipynb"))], graded.Key, new GradeOptions
        {
            OutputDirectory = output, TimeLimit = TimeSpan.FromSeconds(0.5), Log = TextWriter.Null,
        });
        var grade = Assert.Single(grades);
        Assert.Equal(0, grade.Points);
        Assert.StartsWith("The submission ran past its time limit of 0.5 s", Assert.Single(grade.Flags));
    }
}
