using NotebookCnn.Runner;

namespace NotebookCnn.Runner.Tests;

public class DirectiveTests
{
    [Fact]
    public void Directive_lines_become_blank_lines_so_line_numbers_stay()
    {
        var cell = CellDirectives.Parse("#!csharp\n#r \"lib/My.dll\"\n#r \"nuget: Plotly.NET, 5.1.0\"\n#i \"nuget: https://feed\"\nvar x = 1;");
        Assert.Equal("\n\n\n\nvar x = 1;", cell.Code);
        Assert.Null(cell.OtherKernel);
        Assert.Equal(
            [
                new Directive(DirectiveKind.ReferencePath, 2, "#r \"lib/My.dll\"", "lib/My.dll"),
                new Directive(DirectiveKind.ReferencePackage, 3, "#r \"nuget: Plotly.NET, 5.1.0\"", "Plotly.NET", "5.1.0"),
                new Directive(DirectiveKind.PackageSource, 4, "#i \"nuget: https://feed\"", "https://feed"),
            ],
            cell.Directives);
    }

    [Fact]
    public void A_package_without_version_has_none()
    {
        var directive = Assert.Single(CellDirectives.Parse("#r \"nuget:XPlot.Plotly\"").Directives);
        Assert.Equal(("XPlot.Plotly", (string?)null), (directive.Value, directive.Version));
    }

    [Theory]
    [InlineData("#!fsharp\nprintfn \"x\"", null, "fsharp")]
    [InlineData("Get-Item", "pwsh", "pwsh")]
    [InlineData("#!csharp\nvar a = 1;", "fsharp", null)]
    [InlineData("var a = 1;", "csharp", null)]
    public void The_kernel_comes_from_the_first_line_or_the_metadata(string source, string? metadataKernel, string? other) =>
        Assert.Equal(other, CellDirectives.Parse(source, metadataKernel).OtherKernel);

    [Fact]
    public void Import_and_unknown_magics_are_recognised()
    {
        var directives = CellDirectives.Parse("#!import \"helpers/plots.cs\"\n#!time\nvar a = 1;").Directives;
        Assert.Equal(DirectiveKind.Import, directives[0].Kind);
        Assert.Equal("helpers/plots.cs", directives[0].Value);
        Assert.Equal(DirectiveKind.Unsupported, directives[1].Kind);
        Assert.Equal("time", directives[1].Value);
    }
}
