using System.Diagnostics;
using NotebookCnn.Runner.Html;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Opens the fixture page in headless Chromium, with the network unreachable, and checks in the DOM the browser
/// built that plotly.js drew the chart and KaTeX typeset the formulas. Needs the Debian package "chromium".
/// </summary>
public class HtmlBrowserTests
{
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Chromium_draws_the_chart_and_typesets_the_math_offline()
    {
        string chromium = FindChromium() ?? throw new Xunit.Sdk.XunitException(
            "Chromium is needed to check the HTML page in a browser but was not found on PATH. " +
            "Install it with: apt-get update && apt-get install -y chromium");

        string folder = Directory.CreateTempSubdirectory("nbcnn-html-").FullName;
        try
        {
            string pagePath = Path.Combine(folder, "executed.html");
            File.WriteAllText(pagePath, HtmlPage.Render(HtmlFixtures.ExecutedNotebook(), "executed"));

            string dom = DumpDom(chromium, pagePath, Path.Combine(folder, "profile"));

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
        string chromium = FindChromium() ?? throw new Xunit.Sdk.XunitException(
            "Chromium is needed to check the HTML page in a browser but was not found on PATH. " +
            "Install it with: apt-get update && apt-get install -y chromium");
        var result = TestNotebooks.Run("nuget");
        string folder = Directory.CreateTempSubdirectory("nbcnn-html-").FullName;
        try
        {
            // The runner's page draws each plotly figure with the plotly.js it embeds.
            string pagePath = Path.Combine(folder, "nuget.html");
            File.WriteAllText(pagePath, HtmlPage.Render(result.Executed.Root, "nuget"));
            string dom = DumpDom(chromium, pagePath, Path.Combine(folder, "profile"));
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
            string frontEndDom = DumpDom(chromium, frontEnd, Path.Combine(folder, "profile2"));
            Assert.Matches(@"id=""nbcnn-chart-1""[^>]*>.*?main-svg", frontEndDom);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string DumpDom(string chromium, string pagePath, string profile)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
            // Any host name fails to resolve: the page must work without the network.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--user-data-dir=" + profile,
            // Lets timers and animation frames the scripts schedule run before the DOM is written.
            "--virtual-time-budget=10000",
            "--dump-dom", new Uri(pagePath).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {chromium}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BrowserTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"Chromium did not finish within {BrowserTimeout.TotalSeconds} s. stderr: {Shorten(stderr.Result)}");
        }
        string dom = stdout.Result;
        Assert.True(process.ExitCode == 0 && dom.Length > 0,
            $"Chromium exited with code {process.ExitCode} and {dom.Length} characters of DOM. stderr: {Shorten(stderr.Result)}");
        return dom;
    }

    private static string? FindChromium()
    {
        string[] names = ["chromium", "chromium-browser"];
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    private static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + " …";
}
