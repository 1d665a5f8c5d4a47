using NotebookCnn.Runner.Formatting;

namespace NotebookCnn.Runner.Tests;

public class FormatterTests
{
    /// <summary>Stands in for the library's training history: per-epoch series as list properties.</summary>
    public sealed class FakeHistory
    {
        public List<float> TrainLoss { get; } = [2.3f, 0.5f];
        public List<double> ValidationAccuracy { get; } = [0.1, 0.9];
        public string Name => "not a series";
    }

    [Fact]
    public void A_training_history_is_a_table_with_a_row_per_epoch()
    {
        string html = Formatters.HistoryHtml(new FakeHistory());
        Assert.Equal(
            "<table class=\"nbcnn-history\"><tr><th>epoch</th><th>TrainLoss</th><th>ValidationAccuracy</th></tr>"
            + "<tr><td>1</td><td>2.3</td><td>0.1</td></tr><tr><td>2</td><td>0.5</td><td>0.9</td></tr></table>",
            html);
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
