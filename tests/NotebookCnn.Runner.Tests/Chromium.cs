using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookCnn.Runner.Tests;

/// <summary>
/// Headless Chromium for the page tests (the Debian package "chromium"): loads a page with the network unreachable and
/// returns the DOM the browser built, or what a measuring script found in it.
/// </summary>
internal static partial class Chromium
{
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The chromium executable, or a test failure that says how to install it.</summary>
    public static string Executable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => new[] { "chromium", "chromium-browser" }.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists)
        ?? throw new Xunit.Sdk.XunitException(
            "Chromium is needed to check the HTML page in a browser but was not found on PATH. " +
            "Install it with: apt-get update && apt-get install -y chromium");

    /// <summary>The DOM of the page at <paramref name="pagePath"/> after its scripts ran.</summary>
    public static string DumpDom(string pagePath, string profile)
    {
        var start = new ProcessStartInfo(Executable)
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
            // A fixed window, so layouts (and label overlaps) are the same on every machine.
            "--window-size=1280,900",
            // Lets timers and animation frames the scripts schedule run before the DOM is written.
            "--virtual-time-budget=10000",
            "--dump-dom", new Uri(pagePath).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
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

    /// <summary>
    /// Opens <paramref name="page"/> (HTML text) with <paramref name="measureJs"/> appended, a JavaScript function body
    /// that returns a JSON-serialisable value; it runs a moment after the page loaded (charts drawn, formulas typeset).
    /// </summary>
    public static JsonNode Measure(string page, string measureJs)
    {
        string folder = Directory.CreateTempSubdirectory("nbcnn-chromium-").FullName;
        try
        {
            string script = "<script>window.addEventListener('load', function () { setTimeout(function () {\n"
                + "var out = document.createElement('pre'); out.id = 'nbcnn-measure';\n"
                + "try { out.textContent = JSON.stringify((function () {\n" + measureJs + "\n})()); }\n"
                + "catch (e) { out.textContent = JSON.stringify({ scriptError: String(e) }); }\n"
                + "document.body.appendChild(out); }, 2000); });</script>\n";
            int end = page.LastIndexOf("</body>", StringComparison.Ordinal);
            string measured = end < 0 ? page + script : page[..end] + script + page[end..];
            string pagePath = Path.Combine(folder, "page.html");
            File.WriteAllText(pagePath, measured);
            string dom = DumpDom(pagePath, Path.Combine(folder, "profile"));
            var match = MeasureOutput().Match(dom);
            Assert.True(match.Success, $"the measuring script left no result in the page. DOM tail: {Shorten(dom[^Math.Min(dom.Length, 2000)..])}");
            var result = JsonNode.Parse(System.Net.WebUtility.HtmlDecode(match.Groups[1].Value))!;
            if (result is JsonObject o && o["scriptError"] is { } error) throw new Xunit.Sdk.XunitException($"the measuring script failed: {error}");
            return result;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + " …";

    [GeneratedRegex(@"<pre id=""nbcnn-measure"">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex MeasureOutput();
}
