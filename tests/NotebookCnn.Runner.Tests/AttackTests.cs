using System.Text.Json.Nodes;
using NotebookCnn.Runner.Classroom;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// A class of submissions to a small course (classroom/attacks/course: a setup cell importing the course's
/// check helper, a parameters cell, two exercises and a 2-point hidden test; the untouched notebook scores
/// 0 of 5) graded once in the sandbox: every attack of classroom/attacks/attack-*.ipynb, three malformed
/// files, the untouched notebook and a solved classmate graded after them all. Placeholders in the attack
/// files (@@VICTIM@@, @@COURSE@@, @@KEY@@, @@OUT@@) are replaced by the real paths, so each attack knows
/// exactly where its target is.
/// </summary>
public sealed class AttackedClass : IDisposable
{
    public static string AttacksFolder => Path.Combine(AppContext.BaseDirectory, "classroom", "attacks");

    public string Folder { get; } = Directory.CreateTempSubdirectory("nbcnn-attack-test-").FullName;

    public string Course => Path.Combine(Folder, "course");

    public string Submissions => Path.Combine(Folder, "submissions");

    public string Output => Path.Combine(Folder, "graded");

    public string KeyPath => Path.Combine(Folder, "assignment", GradingKey.FileName);

    public GradingKey Key { get; }

    public IReadOnlyDictionary<string, StudentGrade> Grades { get; }

    public string HelpersBefore { get; }

    public byte[] VictimBefore { get; }

    /// <summary>The gradebook as it is a few seconds after grading (a detached child had time to strike).</summary>
    public string GradebookAfter { get; }

    /// <summary>Seconds per submission that ran (malformed files excluded).</summary>
    public double SecondsPerSubmission { get; }

    public AttackedClass()
    {
        Directory.CreateDirectory(Course);
        foreach (string file in Directory.GetFiles(Path.Combine(AttacksFolder, "course")))
            File.Copy(file, Path.Combine(Course, Path.GetFileName(file)));
        HelpersBefore = File.ReadAllText(Path.Combine(Course, "Helpers.csx"));
        Assignment.AssignFiles([Path.Combine(Course, "teacher.ipynb")], Path.GetDirectoryName(KeyPath)!, TextWriter.Null);
        Key = GradingKey.Load(KeyPath);
        Directory.CreateDirectory(Submissions);
        foreach (string file in Directory.GetFiles(AttacksFolder, "*.ipynb"))
        {
            string text = File.ReadAllText(file)
                .Replace("@@VICTIM@@", Path.Combine(Submissions, "victim.ipynb"), StringComparison.Ordinal)
                .Replace("@@COURSE@@", Course, StringComparison.Ordinal)
                .Replace("@@KEY@@", KeyPath, StringComparison.Ordinal)
                .Replace("@@OUT@@", Output, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(Submissions, Path.GetFileName(file)), text);
        }
        VictimBefore = File.ReadAllBytes(Path.Combine(Submissions, "victim.ipynb"));

        var options = new GradeOptions
        {
            OutputDirectory = Output,
            CellTimeout = TimeSpan.FromSeconds(10),
            TimeLimit = TimeSpan.FromSeconds(240),
            MemoryLimitMegabytes = 400,
            Log = TextWriter.Null,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var submissions = Grader.Submissions(Submissions);
        Grades = Grader.GradeAsync(submissions, Key, options).GetAwaiter().GetResult().ToDictionary(g => g.Student);
        SecondsPerSubmission = clock.Elapsed.TotalSeconds / submissions.Count(s => !Path.GetFileName(s.Path).StartsWith("broken-", StringComparison.Ordinal));
        Thread.Sleep(TimeSpan.FromSeconds(3));
        GradebookAfter = File.ReadAllText(Path.Combine(Output, "gradebook.csv"));
    }

    /// <summary>Every text grading wrote that a student or the class could see: feedback pages, executed outputs, the gradebook.</summary>
    public IEnumerable<(string Where, string Text)> Outputs(string student)
    {
        var grade = Grades[student];
        if (grade.FeedbackPath is string page) yield return ($"{student}'s feedback page", File.ReadAllText(page));
        string executed = Path.Combine(Output, "executed", student + ".ipynb");
        if (File.Exists(executed))
        {
            foreach (var cell in Notebook.Load(executed).Cells.OfType<JsonObject>())
                yield return ($"{student}'s outputs of cell {cell["id"]}", cell["outputs"]?.ToJsonString() ?? "");
        }
        yield return ("gradebook.json", File.ReadAllText(Path.Combine(Output, "gradebook.json")));
        yield return ("gradebook.csv", GradebookAfter);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public class AttackTests(AttackedClass graded) : IClassFixture<AttackedClass>
{
    /// <summary>Texts only the key holds: hidden-test code and the teacher's solution.</summary>
    private static readonly string[] Secrets = ["SECRET-HIDDEN-MARKER", "Twice(-7) == -14", "KEY-SOLUTION-MARKER", "return 2 * x", GradingKey.CurrentFormat];

    public static TheoryData<string> Attacks()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(AttackedClass.AttacksFolder, "attack-*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void An_attack_scores_no_more_than_the_untouched_notebook_and_the_victim_keeps_full_marks(string attack)
    {
        Assert.Equal(0, graded.Grades["untouched"].Points);
        Assert.True(graded.Grades[attack].Points <= graded.Grades["untouched"].Points,
            $"{attack} scored {graded.Grades[attack].Points}: {string.Join(" | ", graded.Grades[attack].Questions.SelectMany(q => q.Messages))}");
        Assert.Equal(5, graded.Grades["victim"].Points);
        Assert.Empty(graded.Grades["victim"].Flags);
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void No_hidden_test_or_key_text_appears_in_any_output_of_an_attack(string attack)
    {
        foreach (var (where, text) in graded.Outputs(attack).Concat(graded.Outputs("victim")))
            foreach (string secret in Secrets)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"'{secret}' appears in {where}");
    }

    [Fact]
    public void The_gradebook_is_complete_and_no_child_process_rewrote_it()
    {
        var lines = graded.GradebookAfter.TrimEnd('\n').Split('\n');
        int students = Directory.GetFiles(graded.Submissions, "*.ipynb").Length;
        Assert.Equal(students, graded.Grades.Count);
        Assert.Equal(1 + 3 * students, lines.Length);
        Assert.Equal("student,assignment,question,title,points,max,status,flags", lines[0]);
        foreach (string student in graded.Grades.Keys)
            Assert.Equal(3, lines.Count(l => l.StartsWith(student + ",", StringComparison.Ordinal)));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(graded.Output, "gradebook.json")))!;
        Assert.Equal(students, json["students"]!.AsArray().Count);
    }

    [Fact]
    public void Classmates_and_course_files_are_out_of_reach()
    {
        Assert.Equal(graded.VictimBefore, File.ReadAllBytes(Path.Combine(graded.Submissions, "victim.ipynb")));
        Assert.Equal(graded.HelpersBefore, File.ReadAllText(Path.Combine(graded.Course, "Helpers.csx")));
        // What the attack cells printed: the exception their write threw, not their success line.
        Assert.Matches("(UnauthorizedAccess|IO|FileNotFound|DirectoryNotFound)Exception", AttackCellOutput("attack-overwrite-classmate"));
        Assert.DoesNotContain("classmate overwritten", AttackCellOutput("attack-overwrite-classmate"));
        Assert.Matches("(UnauthorizedAccess|IO|FileNotFound|DirectoryNotFound)Exception", AttackCellOutput("attack-append-to-course-file"));
        Assert.DoesNotContain("course file changed", AttackCellOutput("attack-append-to-course-file"));
    }

    private string AttackCellOutput(string student) =>
        string.Concat(graded.Outputs(student).Where(o => o.Where == $"{student}'s outputs of cell attack").Select(o => o.Text));

    [Fact]
    public void Forged_records_are_rejected_and_the_early_exit_is_flagged()
    {
        var grade = graded.Grades["attack-forged-records-then-exit"];
        Assert.Contains(grade.Flags, f => f.Contains("process ended early", StringComparison.Ordinal));
        Assert.DoesNotContain(grade.Questions.SelectMany(q => q.Messages), m => m.Contains("forged", StringComparison.Ordinal));
    }

    [Fact]
    public void Code_that_reaches_past_the_notebook_is_flagged_for_the_teacher()
    {
        foreach (string attack in new[] { "attack-console-setout", "attack-reflection-rewrites-later-cells", "attack-read-secrets", "attack-forged-records-then-exit" })
            Assert.Contains(graded.Grades[attack].Flags, f => f.StartsWith("Cell attack uses", StringComparison.Ordinal));
        var edited = graded.Grades["attack-edit-read-only-cells"].Flags;
        Assert.Contains(edited, f => f.StartsWith("Read-only cell setup", StringComparison.Ordinal));
        Assert.Contains(edited, f => f.StartsWith("Read-only cell parameters", StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_submissions_score_zero_with_a_flag_that_says_what_is_wrong()
    {
        Assert.Contains("a tag of cell 5 should be a string, but is 1", Assert.Single(graded.Grades["broken-tags-not-strings"].Flags));
        Assert.Contains("cell 4 should be an object, but is null", Assert.Single(graded.Grades["broken-null-cell"].Flags));
        Assert.Contains("is not valid notebook JSON", Assert.Single(graded.Grades["broken-not-json"].Flags));
        foreach (string broken in new[] { "broken-tags-not-strings", "broken-null-cell", "broken-not-json" })
        {
            Assert.Equal(0, graded.Grades[broken].Points);
            Assert.Equal(3, graded.Grades[broken].Questions.Count);
        }
    }

    [Fact]
    public void A_script_in_a_students_markdown_does_not_reach_the_feedback_page()
    {
        string page = File.ReadAllText(graded.Grades["attack-script-in-markdown"].FeedbackPath!);
        Assert.Contains("Content-Security-Policy", page);
        Assert.DoesNotContain("<script>document.title", page);
        Assert.DoesNotContain("<img src=\"x\"", page);
        Assert.DoesNotContain("javascript:alert", page);
        Assert.Contains("&lt;script&gt;document.title", page);
    }

    [Fact]
    public void Output_floods_and_children_that_hold_the_pipes_cost_only_their_own_submission()
    {
        foreach (string attack in new[] { "attack-gigabyte-of-output", "attack-child-holds-output", "attack-detached-child-rewrites-gradebook" })
            Assert.Equal(3, graded.Grades[attack].Questions.Count);
        Assert.True(graded.SecondsPerSubmission < 60, $"{graded.SecondsPerSubmission:0.0} s per submission");
    }

    [Fact]
    public async Task Parameters_given_to_grade_reach_every_submission_over_the_restored_parameters_cell()
    {
        string output = Path.Combine(graded.Folder, "quick");
        var grades = await Grader.GradeAsync(
            [("victim", Path.Combine(graded.Submissions, "victim.ipynb")), ("edited", Path.Combine(graded.Submissions, "attack-edit-read-only-cells.ipynb"))],
            graded.Key, new GradeOptions { OutputDirectory = output, Parameters = [new("quick", "true")], Log = TextWriter.Null });
        Assert.Equal(5, grades[0].Points);
        foreach (string student in new[] { "victim", "edited" })
            Assert.Contains("quick=True", File.ReadAllText(Path.Combine(output, "executed", student + ".ipynb")));
        // Without -p, the edited parameters cell (quick = true) is put back to the key's (quick = false).
        Assert.Contains("quick=False", File.ReadAllText(Path.Combine(graded.Output, "executed", "attack-edit-read-only-cells.ipynb")));
    }
}

/// <summary>
/// The real chapter 01 with one 2-point hidden-test cell added, graded in the sandbox with -p quick=true: the
/// teacher's copy, the untouched student version, and a student who turns FAIL into PASS on the console,
/// redefines Check and edits a check cell. The chapter's own files are used where they are (the copy sits in a
/// temporary folder with links to the repository's library build and data sets).
/// </summary>
public class ChapterAttackTests
{
    [Fact]
    public async Task In_chapter_01_console_and_helper_tricks_score_no_more_than_the_untouched_notebook()
    {
        string repository = CourseNotebookTests.RepositoryRoot;
        string chapters = Path.Combine(repository, "notebooks");
        string folder = Directory.CreateTempSubdirectory("nbcnn-chapter-attack-").FullName;
        try
        {
            string notebooks = Path.Combine(folder, "notebooks");
            Directory.CreateDirectory(notebooks);
            foreach (string file in Directory.GetFiles(chapters, "*.cs")) File.Copy(file, Path.Combine(notebooks, Path.GetFileName(file)));
            Directory.CreateSymbolicLink(Path.Combine(folder, "src"), Path.Combine(repository, "src"));
            if (Directory.Exists(Path.Combine(repository, "datasets")))
                Directory.CreateSymbolicLink(Path.Combine(folder, "datasets"), Path.Combine(repository, "datasets"));

            var chapter = Notebook.Load(Directory.GetFiles(chapters, "01-*.ipynb").Single());
            var cells = chapter.Cells;
            int last = cells.Select((c, i) => (c, i)).Last(x => Notebook.TagsOf((JsonObject)x.c!).Contains(Assignment.CheckTag)).i;
            cells.Insert(last + 1, new JsonObject
            {
                ["cell_type"] = "code", ["id"] = "hidden-width", ["execution_count"] = null, ["outputs"] = new JsonArray(),
                ["metadata"] = new JsonObject { ["tags"] = new JsonArray(Assignment.HiddenTestsTag, "points:2") },
                ["source"] = "// SECRET-HIDDEN-MARKER\nCheck(myHidden >= 3, \"the hidden layer is wider than two units\");",
            });
            string teacherPath = Path.Combine(notebooks, "01-mlp.ipynb");
            chapter.Save(teacherPath);
            var key = Assignment.AssignFiles([teacherPath], Path.Combine(folder, "assignment"), TextWriter.Null);

            string submissions = Path.Combine(folder, "submissions");
            Directory.CreateDirectory(submissions);
            File.Copy(teacherPath, Path.Combine(submissions, "solved.ipynb"));
            var student = Notebook.Load(Path.Combine(folder, "assignment", "01-mlp.ipynb"));
            student.Save(Path.Combine(submissions, "untouched.ipynb"));
            var attacker = student.Clone();
            var setup = attacker.Cells.OfType<JsonObject>().First(c => (string?)c["cell_type"] == "code");
            int at = attacker.Cells.IndexOf(setup);
            attacker.Cells.Insert(at + 1, new JsonObject
            {
                ["cell_type"] = "code", ["id"] = "attack", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["metadata"] = new JsonObject(),
                ["source"] = """
                    class PassWriter(System.IO.TextWriter inner) : System.IO.TextWriter
                    {
                        public override Encoding Encoding => inner.Encoding;
                        public override void Write(char value) => inner.Write(value);
                        public override void Write(string? value) => inner.Write(value?.Replace("FAIL", "PASS"));
                        public override void WriteLine(string? value) => inner.WriteLine(value?.Replace("FAIL", "PASS"));
                    }
                    Console.SetOut(new PassWriter(Console.Out));
                    static void Check(bool ok, string what, string hint) => Console.WriteLine($"PASS: {what}");
                    static void Check(bool ok, string what) => Console.WriteLine($"PASS: {what}");
                    static void Check(bool ok, string what, string expected, object? actual) => Console.WriteLine($"PASS: {what}");
                    """,
            });
            foreach (var check in attacker.Cells.OfType<JsonObject>().Where(c => Notebook.TagsOf(c).Contains(Assignment.CheckTag)))
                check["source"] = "Console.WriteLine(\"PASS: checked\");";
            attacker.Save(Path.Combine(submissions, "attacker.ipynb"));

            var grades = (await Grader.GradeAsync(Grader.Submissions(submissions), key, new GradeOptions
            {
                OutputDirectory = Path.Combine(folder, "graded"),
                Parameters = [new("quick", "true")],
                CellTimeout = TimeSpan.FromMinutes(3),
                Log = TextWriter.Null,
            })).ToDictionary(g => g.Student);

            int max = key.Assignments.Single().MaxPoints;
            Assert.True(grades["solved"].Points == max,
                string.Join("\n", grades["solved"].Questions.Where(q => q.Points < q.Max).Select(q => $"{q.Title}: {q.Status} {string.Join(" ", q.Messages)}")));
            Assert.True(grades["untouched"].Points < max);
            Assert.True(grades["attacker"].Points <= grades["untouched"].Points, $"attacker {grades["attacker"].Points}, untouched {grades["untouched"].Points}");
            Assert.Contains(grades["attacker"].Flags, f => f.StartsWith("Read-only cell", StringComparison.Ordinal));
            foreach (var grade in grades.Values)
                Assert.DoesNotContain("SECRET-HIDDEN-MARKER", File.ReadAllText(grade.FeedbackPath!));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
