using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookCnn.Runner;
using Xunit.Abstractions;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// The promise "change a parameter and watch": every chapter runs in quick mode with its defaults, with every ranged
/// parameter at its smallest value (all at once), at its largest value (all at once), and with three seeds other than
/// the default, and no run may print a FAIL line or raise an error. Expectations about the default parameters print
/// NOTE instead of FAIL when a value differs, so only a wrong exercise check or a broken cell fails here.
/// A ranged <c>seed</c> is at its smallest and largest value in the two extreme runs, so one more run (seed 7) makes
/// three other seeds; a chapter whose seed has no range gets three seed runs. Quick mode caps the sizes, so the largest
/// values run in seconds too; the runs share the process (the console is redirected per run), so they run one by one.
/// </summary>
public partial class ChapterParameterMatrixTests(ITestOutputHelper output)
{
    /// <summary>Seeds other than the chapters' default 42 (the first when the extreme runs already vary a ranged seed).</summary>
    private static readonly int[] OtherSeeds = [7, 1, 123];

    /// <summary>One run per chapter and setting: defaults, smallest, largest, and seed=7 (or seed=7, 1 and 123 when the seed has no range).</summary>
    public static TheoryData<string, string> Runs()
    {
        var runs = new TheoryData<string, string>();
        foreach (string chapter in CourseNotebookTests.Chapters())
        {
            var ranged = RangedParameters(chapter);
            runs.Add(chapter, "defaults");
            if (ranged.Count > 0)
            {
                runs.Add(chapter, "smallest");
                runs.Add(chapter, "largest");
            }
            if (DeclaresSeed(chapter))
                foreach (int seed in OtherSeeds.Take(ranged.Any(r => r.Name == "seed") ? 1 : 3)) runs.Add(chapter, $"seed={seed}");
        }
        return runs;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Chapter_prints_no_FAIL_and_no_error_in_quick_mode(string chapter, string setting)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var parameters = ParametersFor(chapter, setting);
        var result = setting == "defaults"
            ? (await CourseNotebookTests.RunnerRun(chapter, quick: true)).Result
            : await Run(chapter, parameters);

        var executed = new ExecutedNotebook(result.Executed.Root);
        string given = string.Join(" ", parameters.Select(p => $"{p.Key}={p.Value}"));
        Assert.True(executed.Errors.Count == 0, $"{chapter} with {given}:\n{string.Join("\n", executed.Errors)}");
        Assert.True(executed.Lines("FAIL").Count == 0, $"{chapter} with {given}:\n{string.Join("\n", executed.Lines("FAIL"))}");
        output.WriteLine($"{chapter} {setting}: {executed.Lines("PASS").Count} PASS, {executed.Lines("NOTE").Count} NOTE, {started.Elapsed.TotalSeconds:0.0} s ({given})");
    }

    [Fact]
    public void Range_comments_are_read_from_a_parameters_line()
    {
        var ranges = ParseRanges("""
            int epochs = 60;            // 1..200: passes
            double learningRate = 0.03; // 0.001..0.033: step size
            int seed = 42;              // seeds the weights
            bool quick = false;         // true: tiny sizes
            """);
        Assert.Equal([("epochs", "1", "200"), ("learningRate", "0.001", "0.033")], ranges);
    }

    /// <summary>The <c>-p</c> values of a setting: quick=true plus the extremes or the seed.</summary>
    private static List<KeyValuePair<string, string>> ParametersFor(string chapter, string setting)
    {
        var values = new List<KeyValuePair<string, string>> { new("quick", "true") };
        if (setting is "smallest" or "largest")
            values.AddRange(RangedParameters(chapter).Select(r => new KeyValuePair<string, string>(r.Name, setting == "smallest" ? r.Smallest : r.Largest)));
        else if (setting.StartsWith("seed=", StringComparison.Ordinal))
            values.Add(new("seed", setting["seed=".Length..]));
        return values;
    }

    private static async Task<NotebookResult> Run(string chapter, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        string outputDirectory = Directory.CreateTempSubdirectory("nbcnn-matrix-").FullName;
        try
        {
            return await NotebookRunner.RunFileAsync(Path.Combine(CourseNotebookTests.RepositoryRoot, "notebooks", chapter), new RunOptions
            {
                OutputDirectory = outputDirectory,
                Parameters = parameters,
                CellTimeout = TimeSpan.FromMinutes(3),
                Log = TextWriter.Null,
            });
        }
        finally
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
    }

    private static string ParametersSource(string chapter)
    {
        var notebook = Notebook.Load(Path.Combine(CourseNotebookTests.RepositoryRoot, "notebooks", chapter));
        var cell = notebook.Cells.OfType<JsonObject>().FirstOrDefault(c => Notebook.TagsOf(c).Contains(Parameters.Tag))
            ?? throw new InvalidOperationException($"{chapter} has no cell tagged '{Parameters.Tag}'.");
        return Notebook.SourceOf(cell);
    }

    private static List<(string Name, string Smallest, string Largest)> RangedParameters(string chapter) => ParseRanges(ParametersSource(chapter));

    private static bool DeclaresSeed(string chapter) => Parameters.Declared(ParametersSource(chapter)).Any(d => d.Name == "seed");

    /// <summary>The parameters whose line ends in a range comment, <c>// a..b: description</c>.</summary>
    private static List<(string Name, string Smallest, string Largest)> ParseRanges(string source) =>
        source.Split('\n').Select(line => RangeLine().Match(line)).Where(m => m.Success)
            .Select(m => (m.Groups["name"].Value, m.Groups["low"].Value, m.Groups["high"].Value)).ToList();

    [GeneratedRegex(@"^\s*\w+\s+(?<name>\w+)\s*=[^;]*;\s*//\s*(?<low>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\.\.(?<high>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*:")]
    private static partial Regex RangeLine();
}
