using Xunit.Abstractions;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Every chapter, executed as committed (quick parameters injected papermill-style) through Jupyter's own client in
/// the final .NET Interactive kernel, the kernel students' editors run: no error, no FAIL line, the same PASS lines
/// as <c>nbcnn run</c>, at least the charts <c>nbcnn run</c> draws in each cell, and no value shown as a huge
/// property dump.
/// </summary>
public class KernelParityTests(ITestOutputHelper output)
{
    /// <summary>Largest non-chart output a chapter may show: a tensor or dataset shown as a property tree is far bigger.</summary>
    private const int LargestTextOutput = 50_000;

    [Theory]
    [MemberData(nameof(CourseNotebookTests.Chapters), MemberType = typeof(CourseNotebookTests))]
    public Task Chapter_runs_in_the_final_dotnet_interactive_kernel_as_in_the_runner(string chapter) =>
        CompareWithRunner(chapter, Jupyter.DotNetInteractive, output);

    /// <summary>Runs <paramref name="chapter"/> in <paramref name="kernel"/> through Jupyter and holds it to the runner's run.</summary>
    internal static async Task CompareWithRunner(string chapter, string kernel, ITestOutputHelper output)
    {
        string path = Path.Combine(CourseNotebookTests.RepositoryRoot, "notebooks", chapter);
        var inKernel = new ExecutedNotebook(Jupyter.Execute(path, kernel, TimeSpan.FromMinutes(10), ("quick", "true")));
        var (runnerResult, _) = await CourseNotebookTests.RunnerRun(chapter, quick: true);
        var inRunner = new ExecutedNotebook(runnerResult.Executed.Root);

        Assert.True(inKernel.Errors.Count == 0, $"{chapter} in {kernel}:\n{string.Join("\n", inKernel.Errors)}");
        Assert.Empty(inKernel.Lines("FAIL"));
        var passInRunner = inRunner.Lines("PASS");
        Assert.NotEmpty(passInRunner);
        Assert.Equal(passInRunner, inKernel.Lines("PASS"));

        var chartsInKernel = inKernel.ChartsPerCell;
        foreach (var (cell, charts) in inRunner.ChartsPerCell)
            Assert.True(chartsInKernel.GetValueOrDefault(cell) >= charts,
                $"{chapter}: cell {cell} draws {charts} chart(s) in nbcnn run but {chartsInKernel.GetValueOrDefault(cell)} in {kernel}");

        foreach (var cell in inKernel.CodeCells)
            foreach (var shown in ExecutedNotebook.Outputs(cell).Where(o => !ExecutedNotebook.IsChart(o) && o["data"] is not null))
            {
                string data = shown["data"]!.ToJsonString();
                if (data.Length >= LargestTextOutput)
                    Assert.Fail($"{chapter}: cell {cell["id"]} shows a {data.Length}-character output in {kernel}: {data[..300]}…");
            }

        output.WriteLine($"{chapter} in {kernel}: {passInRunner.Count} PASS, {chartsInKernel.Values.Sum()} charts "
            + $"(nbcnn run: {inRunner.ChartsPerCell.Values.Sum()}), {inKernel.Root["metadata"]?["nbcnn_execution_seconds"]} s");
    }
}
