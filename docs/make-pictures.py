#!/usr/bin/env python3
"""Makes docs/NN-name.png, the key plot of each chapter, from the runner's executed notebooks in out/.

Run the course first (the README's main command writes out/), then:  python3 docs/make-pictures.py [out]
The key plot is the output of the cell tagged `key-plot` (else the first cell tagged `plot`). The chapter's
own HTML page is opened in headless Chromium with everything but that chart hidden, and screenshotted.
"""
import glob, json, os, re, subprocess, sys, tempfile

out = sys.argv[1] if len(sys.argv) > 1 else "out"
docs = os.path.dirname(os.path.abspath(__file__))

for executed in sorted(glob.glob(os.path.join(out, "[0-9][0-9]-*.ipynb"))):
    name = os.path.splitext(os.path.basename(executed))[0]
    page = os.path.join(out, name + ".html")
    cells = json.load(open(executed, encoding="utf-8"))["cells"]
    tagged = lambda tag: [c for c in cells if tag in c.get("metadata", {}).get("tags", [])]
    candidates = tagged("key-plot") or tagged("plot")
    chart = None
    for cell in candidates:
        for output in cell.get("outputs", []):
            html = "".join(output.get("data", {}).get("text/html", []))
            m = re.search(r"Plotly\.newPlot\('([^']+)', (\[.*?\]), (\{.*\}), \{\"responsive\"", html, re.S)
            if m:
                layout = json.loads(m.group(3))
                chart = (m.group(1), int(layout.get("width", 700)), int(layout.get("height", 450)))
                break
        if chart:
            break
    if not chart or not os.path.exists(page):
        print(f"{name}: no key plot found, skipped")
        continue
    chart_id, width, height = chart
    focus = (f"<style>body * {{ visibility: hidden !important; }} #{chart_id}, #{chart_id} * {{ visibility: visible !important; }}"
             f" #{chart_id} {{ position: fixed; left: 0; top: 0; background: white; }} .modebar {{ display: none !important; }}</style></body>")
    with tempfile.TemporaryDirectory() as tmp:
        focused = os.path.join(tmp, "page.html")
        with open(page, encoding="utf-8") as f, open(focused, "w", encoding="utf-8") as g:
            g.write(f.read().replace("</body>", focus, 1))
        target = os.path.join(docs, name + ".png")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--hide-scrollbars", f"--user-data-dir={os.path.join(tmp, 'profile')}",
                        f"--window-size={width},{height}", f"--screenshot={target}", "file://" + focused],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"{name}: {target} ({width}×{height})")
