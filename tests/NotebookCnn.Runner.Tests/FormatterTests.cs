using NotebookCnn.Runner.Formatting;

namespace NotebookCnn.Runner.Tests;

public class FormatterTests
{
    [Fact]
    public void Library_objects_show_the_text_they_write_for_students()
    {
        var net = new Sequential(new Affine(4, 3), new Relu());
        string html = Formatters.PreformattedHtml(net);
        Assert.StartsWith("<pre class=\"nbcnn-text\">Sequential", html);
        Assert.Contains("Affine affine1: 4→3", html);
    }

    [Fact]
    public void Preformatted_text_is_escaped()
    {
        Assert.Equal("<pre class=\"nbcnn-text\">&lt;b&gt;</pre>", Formatters.PreformattedHtml(new Angle()));
    }

    private sealed class Angle
    {
        public override string ToString() => "<b>";
    }

    [Fact]
    public void A_tensor_that_is_not_image_like_shows_shape_and_elided_values()
    {
        var tensor = new Tensor(Enumerable.Range(0, 30).Select(i => (float)i).ToArray(), 3, 10);
        string html = Formatters.TensorHtml(tensor);
        Assert.StartsWith("<div class=\"nbcnn-tensor\"><div><b>Tensor [3, 10]</b></div><table><tr><td>0</td>", html);
        Assert.Contains("<td>7</td><td>…</td></tr><tr><td>10</td>", html);
        Assert.DoesNotContain("<td>8</td>", html);
    }

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
