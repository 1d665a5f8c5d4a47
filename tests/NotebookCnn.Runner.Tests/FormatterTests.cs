using NotebookCnn.Runner.Formatting;

namespace NotebookCnn.Runner.Tests;

public class FormatterTests
{
    [Fact]
    public void Chart_json_cannot_close_the_script_early()
    {
        string html = ChartHtml.Render("[{\"name\":\"</script><b>\"}]", "{}");
        Assert.Contains("[{\"name\":\"<\\/script><b>\"}]", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "</script>"));
    }

    [Fact]
    public void Notebook_code_can_register_its_own_formatters()
    {
        var result = TestNotebooks.Run("display");
        Assert.Equal("version 1.2", Assert.Single(result.Outputs(2))["data"]!["text/plain"].Text());
    }
}
