using NotebookCnn.Runner.Html;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Opens the fixture page in headless Chromium, with the network unreachable, and checks in the DOM the browser
/// built that plotly.js drew the chart and KaTeX typeset the formulas. Needs the Debian package "chromium".
/// </summary>
public class HtmlBrowserTests
{
    [Fact]
    public void Chromium_draws_the_chart_and_typesets_the_math_offline()
    {

        string folder = Directory.CreateTempSubdirectory("nbcnn-html-").FullName;
        try
        {
            string pagePath = Path.Combine(folder, "executed.html");
            File.WriteAllText(pagePath, HtmlPage.Render(HtmlFixtures.ExecutedNotebook(), "executed"));

            string dom = Chromium.DumpDom(pagePath, Path.Combine(folder, "profile"));

            int chartStart = dom.IndexOf("id=\"chart-loss\"", StringComparison.Ordinal);
            Assert.True(chartStart >= 0, "the chart div is missing from the DOM");
            int chartEnd = dom.IndexOf("<script", chartStart, StringComparison.Ordinal);
            string chart = dom[chartStart..(chartEnd < 0 ? dom.Length : chartEnd)];
            Assert.True(chart.Contains("main-svg", StringComparison.Ordinal),
                $"plotly.js did not draw the chart: no main-svg element inside div#chart-loss. Chart markup: {Shorten(chart)}");
            Assert.Contains("Loss per epoch", chart);
            // The page's style must leave the chart its height (plotly.js sizes a responsive chart to its box).
            var svgHeight = System.Text.RegularExpressions.Regex.Match(chart, @"<svg class=""main-svg""[^>]*\bheight=""(\d+)""");
            Assert.True(svgHeight.Success && int.Parse(svgHeight.Groups[1].Value) >= 300,
                $"the chart should be drawn at least 300 px high, svg height: {(svgHeight.Success ? svgHeight.Groups[1].Value : "not found")}");

            Assert.Contains("class=\"katex\"", dom);
            Assert.Contains("class=\"katex-display\"", dom);
            Assert.DoesNotContain("class=\"katex-error\"", dom); // KaTeX marks formulas it could not parse
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Chromium_draws_the_runners_chart_outputs_in_its_page_and_as_the_notebooks_own_html()
    {
        var result = TestNotebooks.Run("nuget");
        string folder = Directory.CreateTempSubdirectory("nbcnn-html-").FullName;
        try
        {
            // The runner's page draws each plotly figure with the plotly.js it embeds.
            string pagePath = Path.Combine(folder, "nuget.html");
            File.WriteAllText(pagePath, HtmlPage.Render(result.Executed.Root, "nuget"));
            string dom = Chromium.DumpDom(pagePath, Path.Combine(folder, "profile"));
            var drawn = System.Text.RegularExpressions.Regex.Matches(dom, @"id=""page-chart-\d+""[^>]*>.*?main-svg");
            Assert.True(drawn.Count == 2, $"expected the page to draw 2 charts, drew {drawn.Count}");

            // The executed notebook's text/html draws the same chart in a front end that has plotly.js (JupyterLab
            // or VS Code with plotly loaded); without it, the script loads plotly.js itself.
            var assembly = typeof(Plotly.NET.GenericChart).Assembly;
            string resource = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            string chartHtml = Notebook.JoinText(result.Outputs(2).OfType("execute_result")[0]["data"]!["text/html"]);
            string frontEnd = Path.Combine(folder, "front-end.html");
            File.WriteAllText(frontEnd, $"<html><head><script>{reader.ReadToEnd()}</script></head><body>{chartHtml}</body></html>");
            string frontEndDom = Chromium.DumpDom(frontEnd, Path.Combine(folder, "profile2"));
            Assert.Matches(@"id=""nbcnn-chart-1""[^>]*>.*?main-svg", frontEndDom);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void One_line_and_multi_line_display_math_are_centred_blocks_and_inline_math_stays_in_the_line()
    {
        string page = HtmlPage.Render(HtmlFixtures.NotebookWith(
            HtmlFixtures.MarkdownCell("A sum $\\sum_i x_i$ in the line, with $k$ inline.\n\n$$\\sum_i x_i$$\n\nAnd a block:\n\n$$\n\\sum_i x_i\n$$\n")), "math");
        // Per formula: is it display math, its box's display, its width, the centre of the typeset formula relative to the
        // paragraph's centre, and the typeset formula's height.
        var found = Chromium.Measure(page, """
            return Array.from(document.querySelectorAll('.math')).map(function (el) {
              var box = el.getBoundingClientRect(), text = el.querySelector('.katex-html').getBoundingClientRect();
              var column = el.closest('p, div.math, section').getBoundingClientRect();
              return { display: !!el.querySelector('.katex-display'), css: getComputedStyle(el).display, width: box.width,
                       offset: (text.left + text.width / 2) - (column.left + column.width / 2), height: text.height };
            });
            """).AsArray();
        Assert.Equal(4, found.Count);
        var (sumInline, kInline, oneLine, block) = (found[0]!, found[1]!, found[2]!, found[3]!);
        foreach (var inline in new[] { sumInline, kInline })
        {
            Assert.False(inline["display"]!.GetValue<bool>(), $"inline math typeset in display mode: {inline}");
            Assert.Equal("inline", inline["css"]!.GetValue<string>());
        }
        foreach (var display in new[] { oneLine, block })
        {
            Assert.True(display["display"]!.GetValue<bool>(), $"display math not typeset in display mode: {display}");
            Assert.Equal("block", display["css"]!.GetValue<string>());
            Assert.True(display["width"]!.GetValue<double>() > 4 * sumInline["width"]!.GetValue<double>(), $"display math should span the column: {display} vs inline {sumInline}");
            Assert.True(Math.Abs(display["offset"]!.GetValue<double>()) < 3, $"display math should be centred: {display}");
            // Display mode sets a sum's limits below it with a larger sign: the same formula stands taller than inline.
            Assert.True(display["height"]!.GetValue<double>() > 1.3 * sumInline["height"]!.GetValue<double>(), $"display math should be full size: {display} vs inline {sumInline}");
        }
    }

    private static string Shorten(string text) => Chromium.Shorten(text);
}
