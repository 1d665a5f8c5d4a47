using System.Text.Json.Nodes;
using NotebookCnn.Runner;
using NotebookCnn.Runner.Classroom;

namespace NotebookCnn.Runner.Tests;

/// <summary>assign and grade on a real chapter: the round trip a teacher makes.</summary>
public sealed class ChapterAssignmentTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nbcnn-chapter-assign-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Chapter_03_assigned_has_no_solution_code_and_its_teacher_version_grades_full_marks()
    {
        string chapter = Path.Combine(CourseNotebookTests.RepositoryRoot, "notebooks", "03-padding-and-stride.ipynb");
        string assignment = Path.Combine(_folder, "assignment");
        var key = Assignment.AssignFiles([chapter], assignment, TextWriter.Null);

        var teacher = Notebook.Load(chapter);
        var student = Notebook.Load(Path.Combine(assignment, "03-padding-and-stride.ipynb"));
        string studentText = string.Concat(student.Cells.OfType<JsonObject>().Select(Notebook.SourceOf));
        // Lines of the solutions that appear nowhere else in the chapter (a check may share a loop header).
        var sources = teacher.Cells.OfType<JsonObject>().Select(Notebook.SourceOf).ToList();
        var elsewhere = sources.SelectMany(s => Lines(s, solution: false)).ToHashSet();
        var solutionLines = sources.SelectMany(s => Lines(s, solution: true)).Where(l => l.Length > 0 && !elsewhere.Contains(l)).ToList();
        Assert.NotEmpty(solutionLines);
        foreach (string line in solutionLines) Assert.DoesNotContain(line, studentText);
        Assert.DoesNotContain("SOLUTION", studentText);
        Assert.Contains("// padding5 = …; padding7 = …;", studentText);   // the stub written after // STUB:
        Assert.Equal(5, key.Assignments.Single().MaxPoints);

        string submissions = Path.Combine(_folder, "submissions");
        Directory.CreateDirectory(submissions);
        File.Copy(chapter, Path.Combine(submissions, "teacher.ipynb"));
        File.Copy(Path.Combine(assignment, "03-padding-and-stride.ipynb"), Path.Combine(submissions, "untouched.ipynb"));
        var grades = (await Grader.GradeAsync(Grader.Submissions(submissions), key, new GradeOptions
        {
            OutputDirectory = Path.Combine(_folder, "graded"),
            Parameters = [new("quick", "true")],
            CellTimeout = TimeSpan.FromMinutes(2),
            Log = TextWriter.Null,
        })).ToDictionary(g => g.Student);

        var full = grades["teacher"];
        Assert.True(full.Points == 5, string.Join("\n", full.Questions.Select(q => $"{q.Title}: {q.Status} {string.Join(" ", q.Messages)}")));
        Assert.Empty(full.Flags);
        // Every question needs the student's work: the untouched student version scores nothing.
        var untouched = grades["untouched"];
        Assert.Equal(0, untouched.Points);
        Assert.All(untouched.Questions.Where(q => q.Title.StartsWith("Exercise", StringComparison.Ordinal)), q => Assert.Equal(0, q.Points));
    }

    // The trimmed lines inside (solution: true) or outside solution blocks.
    private static IEnumerable<string> Lines(string source, bool solution)
    {
        bool inside = false;
        foreach (string line in source.Split('\n').Select(l => l.Trim()))
        {
            if (line == SolutionMarkers.Begin) inside = true;
            else if (line == SolutionMarkers.End) inside = false;
            else if (inside == solution) yield return line;
        }
    }
}
