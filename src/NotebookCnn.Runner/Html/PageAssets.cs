using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace NotebookCnn.Runner.Html;

/// <summary>
/// The scripts and styles a page embeds, read once from embedded resources and kept for every later page.
/// plotly.js comes from the Plotly.NET assembly the runner already carries; KaTeX (MIT, see
/// <c>Html/assets/katex/LICENSE</c>) is vendored under <c>Html/assets/katex</c>.
/// </summary>
internal static partial class PageAssets
{
    // Logical names given by the EmbeddedResource item in NotebookCnn.Runner.csproj.
    private const string OwnPrefix = "nbcnn.assets.";

    private static readonly Lazy<string> plotlyJs = new(LoadPlotlyJs);
    private static readonly Lazy<string> katexJs = new(() => ScriptText(ReadText(OwnPrefix + "katex.min.js")));
    private static readonly Lazy<string> katexCss = new(LoadKatexCss);
    private static readonly Lazy<string> pageCss = new(() => ReadText(OwnPrefix + "page.css"));
    private static readonly Lazy<string> renderMathJs = new(() => ScriptText(ReadText(OwnPrefix + "render-math.js")));

    /// <summary>plotly.js (minified), as Plotly.NET bundles it.</summary>
    public static string PlotlyJs => plotlyJs.Value;

    /// <summary>KaTeX's script.</summary>
    public static string KatexJs => katexJs.Value;

    /// <summary>KaTeX's style sheet with its woff2 fonts inlined as data: URIs.</summary>
    public static string KatexCss => katexCss.Value;

    /// <summary>The page's own style sheet.</summary>
    public static string PageCss => pageCss.Value;

    /// <summary>The script that typesets every <c>.math</c> element with KaTeX.</summary>
    public static string RenderMathJs => renderMathJs.Value;

    private static string LoadPlotlyJs()
    {
        Assembly plotly = typeof(Plotly.NET.GenericChart).Assembly;
        // Plotly.NET names the resource after the plotly.js version it bundles, e.g. "Plotly.NET.plotly-2.28.0.min.js".
        string[] candidates = plotly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            .ToArray();
        if (candidates.Length != 1)
        {
            throw new InvalidOperationException(
                $"HTML page: expected exactly one plotly.js resource (Plotly.NET.plotly-<version>.min.js) in {plotly.GetName()}, " +
                $"found {candidates.Length}: [{string.Join(", ", candidates)}].");
        }
        return ScriptText(ReadText(plotly, candidates[0]));
    }

    private static string LoadKatexCss()
    {
        string css = ReadText(OwnPrefix + "katex.min.css");
        // Each @font-face lists woff2, woff and ttf files beside the CSS; keep only woff2 (read by every current
        // browser) and inline it, so the page needs no files next to it.
        return FontSources().Replace(css, match =>
        {
            string font = match.Groups["font"].Value;
            string base64 = Convert.ToBase64String(ReadBytes(typeof(PageAssets).Assembly, OwnPrefix + font + ".woff2"));
            return $"src:url(data:font/woff2;base64,{base64}) format(\"woff2\")";
        });
    }

    [GeneratedRegex(@"src:url\(fonts/(?<font>[A-Za-z0-9_\-]+)\.woff2\) format\(""woff2""\)[^;}]*")]
    private static partial Regex FontSources();

    /// <summary>
    /// Makes a script safe to inline in a &lt;script&gt; element: the HTML parser would end the element at any
    /// "&lt;/script", and inside JavaScript strings and regular expressions "&lt;\/" means the same as "&lt;/".
    /// </summary>
    private static string ScriptText(string js) => js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);

    private static string ReadText(string name) => ReadText(typeof(PageAssets).Assembly, name);

    private static string ReadText(Assembly assembly, string name)
    {
        // StreamReader drops a byte order mark, which would otherwise land in the middle of the page.
        using var reader = new StreamReader(new MemoryStream(ReadBytes(assembly, name)), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static byte[] ReadBytes(Assembly assembly, string name)
    {
        using Stream stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"HTML page: the embedded resource '{name}' is missing from {assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
