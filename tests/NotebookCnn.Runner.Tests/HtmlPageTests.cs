using System.Text.RegularExpressions;
using NotebookCnn.Runner.Html;
using static NotebookCnn.Runner.Tests.HtmlFixtures;

namespace NotebookCnn.Runner.Tests;

public class HtmlPageTests
{
    // The header plotly.js starts with; it occurs once per copy of the library.
    private const string PlotlyMarker = "* plotly.js v";
    // A function name inside katex.min.js, present once per copy of KaTeX.
    private const string KatexMarker = "renderToString";

    private static readonly Lazy<string> FixturePage = new(() => HtmlPage.Render(ExecutedNotebook(), "01-fixture"));

    private static int Count(string text, string marker) => Regex.Matches(text, Regex.Escape(marker)).Count;

    /// <summary>
    /// The page without the embedded copies of plotly.js and KaTeX, whose code mentions URLs (links in the
    /// chart toolbar, map tile servers) that a page of ours never loads.
    /// </summary>
    private static string OwnMarkup(string page) =>
        Regex.Replace(page, @"<script id=""(plotly-js|katex-js)"">.*?</script>|<style id=""katex-css"">.*?</style>", "", RegexOptions.Singleline);

    [Fact]
    public void Page_is_a_complete_html_document_with_the_title_and_header()
    {
        string page = FixturePage.Value;
        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.Contains("<meta charset=\"utf-8\">", page);
        Assert.Contains("<title>01-fixture</title>", page);
        Assert.Contains("<span class=\"page-title\">01-fixture</span>", page);
        Assert.Contains(".NET (C#)", page);
        Assert.Contains("1 error", page);
        Assert.EndsWith("</html>\n", page);
    }

    [Fact]
    public void Markdown_cells_render_headings_and_pipe_tables()
    {
        string page = FixturePage.Value;
        Assert.Matches("<h1[^>]*>Mass and energy</h1>", page);
        Assert.Contains("<table>", page);
        Assert.Contains("<td>Convolution</td>", page);
    }

    [Fact]
    public void Math_reaches_the_page_in_katex_ready_form_with_katex_embedded_once()
    {
        string page = FixturePage.Value;
        Assert.Contains("<span class=\"math\">\\(E = mc^2\\)</span>", page);
        Assert.Matches(@"<div class=""math"">\s*\\\[\s*\\operatorname\{softmax\}\(z\)_i = \\frac\{e\^\{z_i - \\max_j z_j\}\}", page);
        Assert.Equal(1, Count(page, "<script id=\"katex-js\">"));
        Assert.Equal(1, Count(page, KatexMarker));
        Assert.Contains("katex.render(", page);
        // KaTeX's fonts are inlined, not loaded from files beside the page.
        Assert.Contains("src:url(data:font/woff2;base64,", page);
        Assert.DoesNotContain("url(fonts/", page);
        string katexCss = Regex.Match(page, @"<style id=""katex-css"">(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(20, Count(katexCss, "@font-face"));
        Assert.DoesNotMatch(@"url\((?!data:font/woff2;base64,)", katexCss);
    }

    [Fact]
    public void Plotly_js_is_embedded_exactly_once_in_the_head_before_the_chart_scripts()
    {
        string page = FixturePage.Value;
        Assert.Equal(2, Count(page, "Plotly.newPlot('chart-")); // the fixture has two charts
        Assert.Equal(1, Count(page, PlotlyMarker));
        Assert.Equal(1, Count(page, "<script id=\"plotly-js\">"));
        int library = page.IndexOf(PlotlyMarker, StringComparison.Ordinal);
        int headEnd = page.IndexOf("</head>", StringComparison.Ordinal);
        int chart = page.IndexOf("Plotly.newPlot('chart-loss'", StringComparison.Ordinal);
        Assert.True(library < headEnd && headEnd < chart, $"plotly.js at {library}, </head> at {headEnd}, chart script at {chart}");
        Assert.Contains("<div class=\"plotly-chart\" id=\"chart-loss\"></div>", page);
    }

    [Fact]
    public void Page_without_charts_or_math_embeds_neither_plotly_nor_katex()
    {
        string page = HtmlPage.Render(NotebookWith(MarkdownCell("Costs $5 or more, no formulas."), CodeCell("1 + 1")), "plain");
        Assert.Equal(0, Count(page, PlotlyMarker));
        Assert.Equal(0, Count(page, KatexMarker));
        Assert.DoesNotContain("<script", page);
        Assert.True(page.Length < 50_000, $"a page with no chart or formula should be small, was {page.Length} characters");
    }

    [Fact]
    public void Page_references_no_external_resources()
    {
        string page = OwnMarkup(FixturePage.Value);
        Assert.True(page.Length < 50_000, "the embedded libraries should be cut out before looking for URLs");
        Assert.DoesNotMatch(@"<script[^>]*\bsrc\s*=", page);
        Assert.DoesNotMatch(@"<link[^>]*\bhref\s*=", page);
        Assert.DoesNotMatch(@"\b(src|href)\s*=\s*[""']?(https?:)?//", page);
        Assert.DoesNotMatch(@"url\(\s*[""']?(https?:)?//", page);
        Assert.DoesNotMatch(@"@import", page);
    }

    [Fact]
    public void Stream_text_is_escaped_and_stderr_is_marked_without_ansi_codes()
    {
        string page = FixturePage.Value;
        Assert.Contains("&lt;b&gt;not bold&lt;/b&gt; &amp; done", page);
        Assert.DoesNotContain("<b>not bold</b>", page);
        // Consecutive stdout outputs form one block.
        Assert.Contains("<pre>epoch 1: loss 0.52\n&lt;b&gt;", page);
        Assert.Matches(@"<div class=""output output-stream output-stderr""><pre>warning: slow path</pre>", page);
        Assert.DoesNotContain("\u001b", OwnMarkup(page));
    }

    [Fact]
    public void Error_output_shows_a_red_box_with_name_message_and_traceback()
    {
        string page = FixturePage.Value;
        Assert.Contains("<div class=\"output output-error\"><div class=\"error-title\">ArgumentException: Convolution &#39;conv1&#39; expects 1 input channel, got 3</div>", page);
        Assert.Contains("<pre class=\"traceback\">System.ArgumentException: Convolution &#39;conv1&#39; expects 1 input channel, got 3\n   at NotebookCnn.Layers.Convolution.Forward(Tensor x, Boolean training)</pre>", page);
        Assert.Contains(".output-error {", page);
    }

    [Fact]
    public void Html_output_is_inserted_as_is_with_its_out_prompt()
    {
        string page = FixturePage.Value;
        Assert.Contains("<div class=\"prompt out-prompt\">Out[4]:</div><div class=\"output output-html\"><table class=\"summary\"><thead><tr><th>layer</th>", page);
        Assert.DoesNotContain("conv1 780", page); // the text/plain fallback is not shown when HTML is there
    }

    [Fact]
    public void Code_cells_show_execution_count_highlighted_source_and_parameters_tag()
    {
        string page = FixturePage.Value;
        Assert.Contains("In&nbsp;[1]:", page);
        Assert.Contains("<span class=\"cell-tag\">parameters</span>", page);
        Assert.Contains("<code class=\"language-csharp\"><span class=\"tok-kw\">int</span> epochs = <span class=\"tok-num\">3</span>; <span class=\"tok-com\">// change me</span>", page);
        Assert.Contains("<span class=\"tok-kw\">float</span> learningRate = <span class=\"tok-num\">1e-3f</span>;", page);
        Assert.Contains("<span class=\"tok-dir\">#r &quot;nuget: Plotly.NET, 5.1.0&quot;</span>", page);
        Assert.Contains("<span class=\"tok-com\">/* one point per epoch */</span>", page);
        Assert.Contains("<span class=\"tok-str\">&quot;&lt;b&gt;not bold&lt;/b&gt; &amp; done&quot;</span>", page);
        Assert.Contains("<span class=\"tok-str\">$&quot;epoch {1}: loss {0.52}&quot;</span>", page);
    }

    [Fact]
    public void Highlighter_handles_verbatim_raw_and_char_literals_and_leaves_other_text_escaped()
    {
        string source = "var path = @\"C:\\data\"\"x\"\"\";\nvar raw = \"\"\"\n  a \"quote\" <tag>\n  \"\"\";\nchar c = '\\'';\nif (a < b && b > 0.5) { }";
        string page = HtmlPage.Render(NotebookWith(CodeCell(source, count: null)), "t");
        Assert.Contains("In&nbsp;[&nbsp;]:", page);
        Assert.Contains("<span class=\"tok-str\">@&quot;C:\\data&quot;&quot;x&quot;&quot;&quot;</span>;", page);
        Assert.Contains("<span class=\"tok-str\">&quot;&quot;&quot;\n  a &quot;quote&quot; &lt;tag&gt;\n  &quot;&quot;&quot;</span>;", page);
        Assert.Contains("<span class=\"tok-str\">&#39;\\&#39;&#39;</span>;", page);
        Assert.Contains("<span class=\"tok-kw\">if</span> (a &lt; b &amp;&amp; b &gt; <span class=\"tok-num\">0.5</span>) { }", page);
    }

    [Fact]
    public void Carriage_returns_keep_only_the_last_state_of_a_progress_line()
    {
        string outputs = """[{ "name": "stdout", "output_type": "stream", "text": "epoch 1 [##   ]\repoch 1 [#####] done\r\nnext line\n" }]""";
        string page = HtmlPage.Render(NotebookWith(CodeCell("Train()", outputs)), "t");
        Assert.Contains("<pre>epoch 1 [#####] done\nnext line</pre>", page);
    }

    [Fact]
    public void Png_output_becomes_an_inline_data_image_with_its_size()
    {
        string outputs = """[{ "output_type": "display_data", "data": { "image/png": "iVBORw0K\nGgo=", "text/plain": "<image>" }, "metadata": { "image/png": { "width": 280 } } }]""";
        string page = HtmlPage.Render(NotebookWith(CodeCell("ShowDigit(3)", outputs)), "t");
        Assert.Contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\" width=\"280\" alt=\"\">", page);
    }

    [Fact]
    public void Plain_text_result_is_escaped_in_a_pre_block()
    {
        string outputs = """[{ "output_type": "execute_result", "execution_count": 7, "data": { "text/plain": ["Tensor [2, 3] <float>\n"] }, "metadata": {} }]""";
        string page = HtmlPage.Render(NotebookWith(CodeCell("t", outputs, count: 7)), "t");
        Assert.Contains("Out[7]:</div><div class=\"output output-text\"><pre>Tensor [2, 3] &lt;float&gt;</pre>", page);
    }

    [Fact]
    public void External_scripts_in_outputs_are_removed_so_the_page_stays_offline()
    {
        string html = """<script src="https://cdn.plot.ly/plotly-2.27.1.min.js"></script><div id="c"></div><script>Plotly.newPlot('c', [], {});</script>""";
        string outputs = $$"""[{ "output_type": "display_data", "data": { "text/html": {{System.Text.Json.Nodes.JsonValue.Create(html).ToJsonString()}} }, "metadata": {} }]""";
        string page = HtmlPage.Render(NotebookWith(CodeCell("chart", outputs)), "t");
        Assert.DoesNotContain("cdn.plot.ly", OwnMarkup(page));
        Assert.Contains("<script>Plotly.newPlot('c', [], {});</script>", page);
        Assert.Equal(1, Count(page, PlotlyMarker));
    }

    [Fact]
    public void Markdown_attachments_become_data_images()
    {
        string cell = """{ "cell_type": "markdown", "metadata": {}, "source": "![digit](attachment:digit%203.png)", "attachments": { "digit 3.png": { "image/png": "iVBORw0KGgo=" } } }""";
        string page = HtmlPage.Render(NotebookWith(cell), "t");
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo=\"", page);
    }

    [Fact]
    public void Title_is_escaped_and_code_can_be_hidden()
    {
        string page = HtmlPage.Render(NotebookWith(CodeCell("var secret = 42;", """[{ "name": "stdout", "output_type": "stream", "text": "42\n" }]""")),
            "<Report & co>", new HtmlPageOptions { ShowCode = false, Subtitle = "executed in 3 s" });
        Assert.Contains("<title>&lt;Report &amp; co&gt;</title>", page);
        Assert.Contains("executed in 3 s", page);
        Assert.DoesNotContain("secret", page);
        Assert.Contains("<pre>42</pre>", page);
    }

    [Fact]
    public void Notebook_without_cells_is_rejected_with_a_message_naming_the_cells_list()
    {
        var notebook = System.Text.Json.Nodes.JsonNode.Parse("""{ "nbformat": 4 }""")!.AsObject();
        var error = Assert.Throws<ArgumentException>(() => HtmlPage.Render(notebook, "t"));
        Assert.Contains("\"cells\"", error.Message);
    }

    [Fact]
    public void Chapter_info_is_the_first_heading_and_the_first_paragraph_or_list_after_it_as_one_plain_line()
    {
        var paragraph = ChapterInfo.Of(NotebookWith(
            MarkdownCell("Intro before the title.\n\n# 01 · Multilayer *perceptrons*\n"),
            MarkdownCell("You build an `MLP` from\nscratch and train it on [MNIST](https://example.org).\n\nMore text.")), "01-mlp");
        Assert.Equal(new ChapterInfo("01 · Multilayer perceptrons", "You build an MLP from scratch and train it on MNIST."), paragraph);

        var list = ChapterInfo.Of(NotebookWith(MarkdownCell("# Pooling\n\n- max pooling\n- average pooling\n")), "04");
        Assert.Equal(new ChapterInfo("Pooling", "max pooling; average pooling"), list);

        var lead = ChapterInfo.Of(NotebookWith(MarkdownCell("# 02 · Convolution\n\nIn this chapter you will\n- slide a kernel by hand,\n- learn a kernel.\n")), "02");
        Assert.Equal(new ChapterInfo("02 · Convolution", "In this chapter you will slide a kernel by hand; learn a kernel"), lead);

        Assert.Equal(new ChapterInfo("notes", ""), ChapterInfo.Of(NotebookWith(CodeCell("1")), "notes"));

        string longText = string.Join(" ", Enumerable.Repeat("word", 100));
        string description = ChapterInfo.Of(NotebookWith(MarkdownCell("# T\n\n" + longText)), "t").Description;
        Assert.True(description.Length <= ChapterInfo.DescriptionLength + 2 && description.EndsWith(" …"), description);
    }

    [Fact]
    public void Course_pages_link_to_the_previous_and_next_chapter_and_the_index()
    {
        var links = new CourseLinks(("00-start.html", "Getting <started>"), ("02-conv.html", "Convolution"));
        string page = HtmlPage.Render(NotebookWith(MarkdownCell("# MLP")), "MLP", new HtmlPageOptions { Course = links });
        Assert.Equal(2, Count(page, "<a class=\"previous\" rel=\"prev\" href=\"00-start.html\">← Getting &lt;started&gt;</a>"));
        Assert.Equal(2, Count(page, "<a class=\"next\" rel=\"next\" href=\"02-conv.html\">Convolution →</a>"));
        Assert.Equal(2, Count(page, "<a class=\"contents\" href=\"index.html\">Contents</a>"));

        string first = HtmlPage.Render(NotebookWith(MarkdownCell("# A")), "A", new HtmlPageOptions { Course = new CourseLinks(null, ("b.html", "B")) });
        Assert.DoesNotContain("rel=\"prev\"", first);
        Assert.DoesNotContain("<nav class=\"course-links\">", HtmlPage.Render(NotebookWith(MarkdownCell("# A")), "A"));
    }

    [Fact]
    public void Course_index_lists_every_chapter_with_its_link_title_description_counts_and_time()
    {
        string index = CourseIndex.Render(
        [
            new("00-getting-started.html", new ChapterInfo("Getting started", "Load MNIST & look at it."), 3, 0, 0, TimeSpan.FromSeconds(8.7)),
            new("01-mlp.html", new ChapterInfo("Multilayer perceptrons", ""), 10, 2, 1, TimeSpan.FromSeconds(75)),
        ], "NotebookCnn course");
        Assert.StartsWith("<!DOCTYPE html>", index);
        Assert.Contains("<title>NotebookCnn course</title>", index);
        Assert.Contains("<tr><td class=\"number\">00</td><td><a href=\"00-getting-started.html\">Getting started</a><div class=\"description\">Load MNIST &amp; look at it.</div></td><td class=\"count\">3</td><td class=\"count\">0</td><td class=\"time\">8.7 s</td></tr>", index);
        Assert.Contains("<tr><td class=\"number\">01</td><td><a href=\"01-mlp.html\">Multilayer perceptrons</a><div class=\"fail\">1 cell failed</div></td><td class=\"count\">10</td><td class=\"count fail\">2</td><td class=\"time\">1 min 15 s</td></tr>", index);
        Assert.Contains("2 chapters, 13 PASS, 2 FAIL, run in 1 min 23 s.", index);
        Assert.DoesNotContain("<script", index);
    }
}
