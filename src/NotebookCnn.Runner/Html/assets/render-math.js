// Typesets the formulas Markdig marked in markdown cells with KaTeX, offline.
// Markdig writes inline math as <span class="math">\( … \)</span>, a one-line $$ … $$ as
// <span class="math math-display">\[ … \]</span> and a $$ block as <div class="math">\[ … \]</div>;
// text/latex outputs come as <div class="math">$$ … $$</div>.
(function () {
  function stripDelimiters(tex, display) {
    tex = tex.trim();
    var pairs = display ? [["\\[", "\\]"], ["$$", "$$"]] : [["\\(", "\\)"], ["$", "$"]];
    for (var i = 0; i < pairs.length; i++) {
      var open = pairs[i][0], close = pairs[i][1];
      if (tex.length >= open.length + close.length && tex.indexOf(open) === 0 &&
          tex.lastIndexOf(close) === tex.length - close.length) {
        return tex.substring(open.length, tex.length - close.length);
      }
    }
    return tex;
  }
  var elements = document.querySelectorAll("span.math, div.math");
  for (var i = 0; i < elements.length; i++) {
    // A one-line $$ … $$ inside a paragraph arrives as a span holding \[ … \]: it is still display math.
    var el = elements[i], text = el.textContent.trim();
    var display = el.tagName === "DIV" || el.classList.contains("math-display") ||
      text.indexOf("\\[") === 0 || text.indexOf("$$") === 0;
    var tex = stripDelimiters(el.textContent, display);
    try {
      // throwOnError: false shows a bad formula in red instead of stopping the page.
      katex.render(tex, el, { displayMode: display, throwOnError: false });
    } catch (e) {
      el.title = String(e);
    }
  }
})();
