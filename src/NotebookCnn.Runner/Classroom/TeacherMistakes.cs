using System.Text.RegularExpressions;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// The slips in a teacher's notebook that would otherwise ship a solution or a hidden test to students
/// without a word: a marker written almost right (<c>//BEGIN SOLUTION</c>, <c>/* BEGIN SOLUTION */</c>), a tag
/// spelt almost right (<c>Hidden-Tests</c>, <c>points: 2</c>), a marker or a grading tag on a markdown cell.
/// Each is an error naming the cell and the fix.
/// </summary>
public static partial class TeacherMistakes
{
    private static readonly string[] KnownTags =
        [Assignment.HiddenTestsTag, Assignment.ReadOnlyTag, Assignment.CheckTag, Assignment.SetupTag, Parameters.Tag];

    /// <summary>Throws <see cref="RunnerException"/> for the first slip in one cell.</summary>
    /// <param name="type">The cell type ("code", "markdown", …).</param>
    /// <param name="source">The cell's source.</param>
    /// <param name="tags">The cell's tags.</param>
    /// <param name="where">The cell, for the message: "notebook.ipynb, cell 3 (id)".</param>
    public static void Check(string type, string source, IReadOnlyList<string> tags, string where)
    {
        foreach (string tag in tags)
        {
            if (KnownTags.Contains(tag) || tag.StartsWith(Assignment.PointsTagPrefix, StringComparison.Ordinal)) continue;
            string plain = Letters(tag);
            if (KnownTags.FirstOrDefault(k => Letters(k) == plain || Letters(k) == plain + "s") is string meant)
                throw new RunnerException($"{where}: tag '{tag}' is not '{meant}' (tags are exact and lower-case); write '{meant}'.");
            if (plain.StartsWith("point", StringComparison.Ordinal) || plain == "hidden")
                throw new RunnerException($"{where}: tag '{tag}' is not a grading tag; write "
                    + (plain == "hidden" ? $"'{Assignment.HiddenTestsTag}'." : $"'{Assignment.PointsTagPrefix}N' (e.g. points:2, no space)."));
        }
        if (type != "code")
        {
            var grading = tags.Where(t => t == Assignment.HiddenTestsTag || t.StartsWith(Assignment.PointsTagPrefix, StringComparison.Ordinal)
                || t == Assignment.CheckTag).ToList();
            if (grading.Count > 0)
                throw new RunnerException($"{where}: a {type} cell is tagged '{string.Join("', '", grading)}', but only code cells are graded "
                    + "(a hidden markdown cell would be handed out); move the tag to the code cell it belongs to.");
        }

        string[] lines = source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (MarkerWords(line) is not string marker) continue;
            string exact = marker == "STUB" ? SolutionMarkers.Stub : marker == "BEGIN SOLUTION" ? SolutionMarkers.Begin : SolutionMarkers.End;
            if (type != "code")
                throw new RunnerException($"{where}, line {i + 1}: '{line}' is a solution marker in a {type} cell; markers work only in code "
                    + "cells, and this text would be handed out as it is.");
            bool right = marker == "STUB" ? line.StartsWith(SolutionMarkers.Stub, StringComparison.Ordinal) : line == exact;
            if (!right)
                throw new RunnerException($"{where}, line {i + 1}: '{line}' looks like a solution marker but is not one, so the solution "
                    + $"would be handed out; write '{exact}' exactly{(marker == "STUB" ? " at the start of the line" : ", alone on its line")}.");
        }
    }

    // "BEGIN SOLUTION", "END SOLUTION" or "STUB" when a line is (a comment holding) just that marker, in any case or spacing.
    private static string? MarkerWords(string line)
    {
        var match = MarkerLine().Match(line);
        if (!match.Success) return null;
        string words = Regex.Replace(match.Groups["words"].Value.ToUpperInvariant(), @"[\s_-]+", " ").Trim();
        return words switch
        {
            "BEGIN SOLUTION" or "BEGINSOLUTION" => "BEGIN SOLUTION",
            "END SOLUTION" or "ENDSOLUTION" => "END SOLUTION",
            _ when words.StartsWith("STUB", StringComparison.Ordinal) && match.Groups["colon"].Success => "STUB",
            _ => null,
        };
    }

    private static string Letters(string text) => string.Concat(text.Where(char.IsLetter)).ToLowerInvariant();

    // Comment openers, the words, a colon for STUB, comment closers.
    [GeneratedRegex(@"^(?:(?://+|/\*+|#+|<!--|\*+)\s*)?(?<words>(?:begin|end)[\s_-]*solution|stub)\s*(?<colon>:)?(?(colon).*|\s*(?:\*+/|-->)?\s*)$", RegexOptions.IgnoreCase)]
    private static partial Regex MarkerLine();
}
