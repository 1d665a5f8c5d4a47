using Xunit.Abstractions;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Every chapter, executed as committed (quick parameters injected papermill-style) through Jupyter's own client in
/// the nbcnn kernel: no error, no FAIL line, the same PASS lines and at least the charts of <c>nbcnn run</c>, which
/// runs the same cell engine.
/// </summary>
public class NbcnnKernelParityTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(CourseNotebookTests.Chapters), MemberType = typeof(CourseNotebookTests))]
    public Task Chapter_runs_in_the_nbcnn_kernel_as_in_the_runner(string chapter) =>
        KernelParityTests.CompareWithRunner(chapter, "nbcnn", output);
}
