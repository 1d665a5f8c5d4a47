using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace NotebookCnn.Runner.Html;

/// <summary>
/// Keeps a one-line <c>$$…$$</c> display math. Markdig parses it as an inline formula and writes it with the inline
/// delimiters <c>\(…\)</c>, so the page could not tell it from <c>$…$</c> and KaTeX typeset it small and left-aligned.
/// This writes it as <c>&lt;span class="math math-display"&gt;\[…\]&lt;/span&gt;</c>, which the page's script typesets
/// in display mode (centred, full size) like a multi-line <c>$$</c> block.
/// </summary>
internal sealed class DisplayMathExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        // Runs after the mathematics extension's Setup (extensions set up in the order added), so this replaces its renderer.
        if (renderer is HtmlRenderer html)
        {
            html.ObjectRenderers.ReplaceOrAdd<HtmlMathInlineRenderer>(new MathInlineRenderer());
        }
    }

    private sealed class MathInlineRenderer : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline math)
        {
            bool display = math.DelimiterCount >= 2;
            if (!renderer.EnableHtmlForInline)
            {
                renderer.WriteEscape(ref math.Content);
                return;
            }
            renderer.Write(display ? "<span class=\"math math-display\">\\[" : "<span class=\"math\">\\(");
            renderer.WriteEscape(ref math.Content);
            renderer.Write(display ? "\\]</span>" : "\\)</span>");
        }
    }
}
