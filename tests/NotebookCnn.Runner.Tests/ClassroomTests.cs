using System.Text.Json.Nodes;
using NotebookCnn.Runner;
using NotebookCnn.Runner.Classroom;

namespace NotebookCnn.Runner.Tests;

/// <summary>assign and grade without child processes: markers, student versions, keys, restoring cells, the gradebook.</summary>
public class ClassroomTests
{
    public static string TeacherPath => Path.Combine(AppContext.BaseDirectory, "classroom", "teacher.ipynb");

    public static (Notebook Student, AssignmentKey Key) AssignFixture() =>
        Assignment.Make(Notebook.Load(TeacherPath), "teacher", Path.GetDirectoryName(TeacherPath)!);

    private static JsonObject CellWithId(Notebook notebook, string id) =>
        notebook.Cells.OfType<JsonObject>().Single(c => c["id"]!.GetValue<string>() == id);

    [Fact]
    public void A_solution_block_becomes_a_throw_at_the_indentation_of_its_markers()
    {
        string source = "int x = 0;\nif (true)\n{\n    // BEGIN SOLUTION\n    x = 42;\n    // END SOLUTION\n}\nConsole.WriteLine(x);";
        Assert.Equal("int x = 0;\nif (true)\n{\n    throw new NotImplementedException(); // your code here\n}\nConsole.WriteLine(x);",
            SolutionMarkers.Strip(source, "cell 1"));
    }

    [Fact]
    public void Stub_lines_inside_the_block_replace_it()
    {
        string source = "static int Twice(int a)\n{\n    // BEGIN SOLUTION\n    return 2 * a;\n    // STUB: // double a here\n    // STUB: return 0;\n    // END SOLUTION\n}\n";
        Assert.Equal("static int Twice(int a)\n{\n    // double a here\n    return 0;\n}\n", SolutionMarkers.Strip(source, "cell 1"));
    }

    [Theory]
    [InlineData("// BEGIN SOLUTION\nx = 1;", "cell 3: the // BEGIN SOLUTION on line 1 has no // END SOLUTION after it.")]
    [InlineData("x = 1;\n// END SOLUTION", "cell 3, line 2: // END SOLUTION without a // BEGIN SOLUTION above it.")]
    [InlineData("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "cell 3, line 2: // BEGIN SOLUTION inside the block opened on line 1; close it with // END SOLUTION first.")]
    public void Broken_markers_are_reported_with_the_cell_and_line(string source, string message)
    {
        Assert.Equal(message, Assert.Throws<FormatException>(() => SolutionMarkers.Strip(source, "cell 3")).Message);
    }

    [Fact]
    public void The_student_version_has_no_solutions_no_hidden_tests_no_outputs_and_names_its_assignment()
    {
        var (student, key) = AssignFixture();
        string all = string.Concat(student.Cells.OfType<JsonObject>().Select(Notebook.SourceOf));
        Assert.DoesNotContain("SOLUTION", all);
        Assert.DoesNotContain("a + b", all);
        Assert.DoesNotContain("7 * 7", all);
        Assert.DoesNotContain("total += i", all);
        Assert.DoesNotContain("Add(-4, 4)", all);
        Assert.Equal("static int Add(int a, int b)\n{\n    return 0;\n}", Notebook.SourceOf(CellWithId(student, "ex1-answer")));
        Assert.Contains("throw new NotImplementedException();", Notebook.SourceOf(CellWithId(student, "ex2-answer")));
        Assert.DoesNotContain(student.Cells.OfType<JsonObject>(), c => c["id"]!.GetValue<string>() == "ex1-hidden");
        Assert.All(student.Cells.OfType<JsonObject>().Where(c => (string?)c["cell_type"] == "code"),
            c => Assert.Empty((JsonArray)c["outputs"]!));
        Assert.Equal("teacher", student.Root["metadata"]![Assignment.MetadataKey]!["name"]!.GetValue<string>());

        Assert.Equal(["ex1-check", "ex1-hidden", "ex2-check", "ex3-check"], key.Questions.Select(q => q.Id));
        Assert.Equal(6, key.MaxPoints);
        Assert.Equal("Exercise 2 — Square", key.Questions.Single(q => q.Id == "ex2-check").Title);
        Assert.True(key.Cells.Single(c => c.Id == "ex1-hidden").Hidden);
    }

    [Fact]
    public async Task The_student_version_runs_and_fails_every_check()
    {
        var (student, key) = AssignFixture();
        var result = await NotebookRunner.ExecuteAsync(student, Path.GetDirectoryName(TeacherPath)!, "student",
            new RunOptions { AllowErrors = true, Log = TextWriter.Null });
        foreach (var question in key.Questions.Where(q => !q.Hidden))
        {
            var outputs = ((JsonArray)CellWithId(result.Executed, question.Id)["outputs"]!).OfType<JsonObject>().ToList();
            bool failed = outputs.Any(o => (string?)o["output_type"] == "error")
                || outputs.Any(o => Notebook.JoinText(o["text"]).Contains("FAIL:", StringComparison.Ordinal));
            Assert.True(failed, $"{question.Id} should fail in the student version: {new JsonArray([.. outputs.Select(o => o.DeepClone())]).ToJsonString()}");
        }
        var ex2 = ((JsonArray)CellWithId(result.Executed, "ex2-answer")["outputs"]!).OfType<JsonObject>().Single();
        Assert.Equal("System.NotImplementedException", ex2["ename"]!.GetValue<string>());
    }

    [Fact]
    public void Grading_puts_hidden_tests_back_in_place_and_restores_changed_read_only_cells_with_a_flag()
    {
        var (student, key) = AssignFixture();
        CellWithId(student, "ex2-check")["source"] = Notebook.SplitLines("Console.WriteLine(\"PASS: trust me\");");
        var (grading, flags) = Grader.Prepare(student, key);
        var ids = grading.Cells.Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.IndexOf("ex1-check") + 1, ids.IndexOf("ex1-hidden"));
        Assert.Equal("Check(square == 49, \"7 squared is 49\");", Notebook.SourceOf(CellWithId(grading, "ex2-check")));
        Assert.Equal("Read-only cell ex2-check (Exercise 2 — Square) was changed; graded with the original.", Assert.Single(flags));
        Assert.Contains("PASS: trust me", Notebook.SourceOf(CellWithId(student, "ex2-check")));   // the submission itself is untouched
    }

    [Fact]
    public void The_teacher_version_prepares_without_flags_and_a_deleted_check_is_flagged_and_put_back()
    {
        var teacher = Notebook.Load(TeacherPath);
        var (_, key) = AssignFixture();
        Assert.Empty(Grader.Prepare(teacher, key).Flags);

        var (student, _) = AssignFixture();
        student.Cells.Remove(CellWithId(student, "ex3-check"));
        var (grading, flags) = Grader.Prepare(student, key);
        Assert.Equal("Read-only cell ex3-check (Exercise 3 — Sum) was deleted; graded with the original put back.", Assert.Single(flags));
        Assert.Equal("ex3-check", grading.Cells[^1]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void The_gradebook_has_one_csv_row_per_student_and_question_with_quoted_fields()
    {
        var grades = new[]
        {
            new StudentGrade("ann", "ch", "ann.ipynb",
                [new QuestionGrade("q1", "Exercise 1, \"sizes\"", 2, 2, QuestionStatus.Passed, []),
                 new QuestionGrade("q2", "Exercise 2", 0, 1, QuestionStatus.Failed, ["FAIL: x"])], ["Read-only cell q1 was changed"]),
        };
        Assert.Equal("student,assignment,question,title,points,max,status,flags\n"
            + "ann,ch,q1,\"Exercise 1, \"\"sizes\"\"\",2,2,passed,Read-only cell q1 was changed\n"
            + "ann,ch,q2,Exercise 2,0,1,failed,Read-only cell q1 was changed\n", Gradebook.Csv(grades));
        Assert.Equal("student,assignment,points,max,flags\nann,ch,2,3,Read-only cell q1 was changed\n", Gradebook.TotalsCsv(grades));
        var json = JsonNode.Parse(Gradebook.Json(grades))!;
        Assert.Equal("FAIL: x", json["students"]![0]!["questions"]![1]!["messages"]![0]!.GetValue<string>());
    }

    [Fact]
    public void With_continue_after_timeout_the_cells_after_a_runaway_cell_still_run()
    {
        var result = TestNotebooks.Run("timeout", new RunOptions
        {
            CellTimeout = TimeSpan.FromSeconds(1), ContinueAfterTimeout = true, AllowErrors = true, Log = TextWriter.Null,
        });
        Assert.True(result.TimedOut);
        Assert.Null(result.StoppedAtCell);
        Assert.Equal("after\n", result.Stream(3));
        Assert.Contains("the run went on with the next cell", result.Outputs(2).OfType("error").Single()["evalue"]!.GetValue<string>());
    }
    [Fact]
    public async Task A_submission_that_is_not_a_notebook_scores_zero_with_a_flag_and_no_process()
    {
        string folder = Directory.CreateTempSubdirectory("nbcnn-broken-").FullName;
        try
        {
            string broken = Path.Combine(folder, "kim.ipynb");
            File.WriteAllText(broken, "{not json");
            var key = new GradingKey { Assignments = { AssignFixture().Key } };
            var grade = Assert.Single(await Grader.GradeAsync(Grader.Submissions(folder), key,
                new GradeOptions { OutputDirectory = Path.Combine(folder, "graded"), Log = TextWriter.Null }));
            Assert.Equal(("kim", "teacher", 0, 6), (grade.Student, grade.Assignment, grade.Points, grade.Max));
            Assert.All(grade.Questions, q => Assert.Equal(QuestionStatus.NotRun, q.Status));
            Assert.StartsWith("The submission could not be read: kim.ipynb is not valid notebook JSON", Assert.Single(grade.Flags));
            Assert.StartsWith("student,assignment,points,max,flags\nkim,teacher,0,6,", File.ReadAllText(Path.Combine(folder, "graded", "totals.csv")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
