// Plots.cs: the plot helpers every chapter imports with `#!import Plots.cs`.
//
// Every helper returns a Plotly.NET GenericChart; make it the last expression of a cell (or pass it to
// display(...)) to see it. Every chart has a title and axis labels, and a legend when it shows more than
// one series.
//
// Why this file builds charts from traces and layouts instead of Plotly.NET's Chart.Line & co.
// Every host the course runs in loads Plotly.NET 6.0.0 (the chapters pin it), but from C# its high-level chart
// functions take 30+ FSharpOption<T> arguments each (Plotly.NET.Chart2D_Scatter.Chart.Line and friends), and
// their names and parameters moved between major versions. What stays put, and reads plainly from C#, is the
// plotly.js figure itself: the types Plotly.NET.GenericChart, Plotly.NET.Trace2D (constructor taking the
// plotly.js trace type) and Plotly.NET.Layout, the static members GenericChart.ofTraceObjects(bool useDefaults,
// seq<Trace>), GenericChart.addLayout(Layout, GenericChart), GenericChart.getTraces and GenericChart.getLayout,
// and DynamicObj's TrySetMember/TryGetMember (Trace and Layout derive from System.Dynamic.DynamicObject).
// So a chart here is what plotly.js draws: a list of traces (x, y, z, mode, marker...) and a layout
// (title, axes, size), written with the property names of the plotly.js reference
// (https://plotly.com/javascript/reference/). Values are plain arrays and dictionaries.
//
// Images: black ink on white paper. The smallest value (0, the MNIST background) is white and the largest
// (1, full ink) is black; row 0 is at the top and pixels are square.

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using NotebookCnn;
// An alias, not `using Plotly.NET;`: the usings of this file stay in force in every later cell, and
// Plotly.NET declares common names (Padding, Line, Title, Config, Frame, Trace, Layout) that would clash.
using GenericChart = Plotly.NET.GenericChart;

/// <summary>Plot helpers for the course notebooks; each returns a Plotly.NET chart.</summary>
public static class Plots
{
    // plotly's default qualitative palette: class k and series k keep the same colour in every plot.
    static readonly string[] Palette =
        { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

    // Images: value 0 is white, value 1 is black.
    static readonly object[][] InkOnPaper = { new object[] { 0.0, "#ffffff" }, new object[] { 1.0, "#000000" } };

    // Matrices: white for the smallest value, dark blue for the largest (plotly.js's own "Blues" runs the other way).
    static readonly object[][] WhiteToBlue =
    {
        new object[] { 0.0, "#f7fbff" }, new object[] { 0.25, "#c6dbef" }, new object[] { 0.5, "#6baed6" },
        new object[] { 0.75, "#2171b5" }, new object[] { 1.0, "#08306b" },
    };

    /// <summary>The colour used for class or series <paramref name="index"/> (cycles after 10).</summary>
    public static string Colour(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    // ───────────────────────────── lines and points ─────────────────────────────

    /// <summary>One curve y(x), e.g. an activation function or a loss curve.</summary>
    public static GenericChart Line(IReadOnlyList<double> x, IReadOnlyList<double> y, string title, string xLabel, string yLabel, string? name = null)
    {
        RequireSameLength(x, y, "Plots.Line");
        var trace = NewTrace("scatter", new()
        {
            ["x"] = Numbers(x), ["y"] = Numbers(y), ["mode"] = "lines", ["name"] = name,
            ["line"] = new Dictionary<string, object?> { ["color"] = Colour(0), ["width"] = 2 },
        });
        return ToChart(new[] { trace }, NewLayout(title, xLabel, yLabel, showLegend: name != null));
    }

    /// <summary>One curve y(x) from float arrays.</summary>
    public static GenericChart Line(IReadOnlyList<float> x, IReadOnlyList<float> y, string title, string xLabel, string yLabel, string? name = null) =>
        Line(ToDoubles(x), ToDoubles(y), title, xLabel, yLabel, name);

    /// <summary>Several named curves on one set of axes, with a legend, e.g. training and validation loss.</summary>
    public static GenericChart Lines(string title, string xLabel, string yLabel, params (string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)[] series)
    {
        var traces = new Plotly.NET.Trace[series.Length];
        for (int i = 0; i < series.Length; i++)
        {
            var (name, x, y) = series[i];
            RequireSameLength(x, y, $"Plots.Lines (series '{name}')");
            traces[i] = NewTrace("scatter", new()
            {
                ["x"] = Numbers(x), ["y"] = Numbers(y), ["mode"] = "lines", ["name"] = name,
                ["line"] = new Dictionary<string, object?> { ["color"] = Colour(i), ["width"] = 2 },
            });
        }
        return ToChart(traces, NewLayout(title, xLabel, yLabel, showLegend: series.Length > 1));
    }

    /// <summary>Several named curves from float arrays.</summary>
    public static GenericChart Lines(string title, string xLabel, string yLabel, params (string Name, IReadOnlyList<float> X, IReadOnlyList<float> Y)[] series) =>
        Lines(title, xLabel, yLabel, series.Select(s => (s.Name, (IReadOnlyList<double>)ToDoubles(s.X), (IReadOnlyList<double>)ToDoubles(s.Y))).ToArray());

    /// <summary>Points (x, y) without lines.</summary>
    public static GenericChart Scatter(IReadOnlyList<double> x, IReadOnlyList<double> y, string title, string xLabel, string yLabel, string? name = null)
    {
        RequireSameLength(x, y, "Plots.Scatter");
        var trace = NewTrace("scatter", new()
        {
            ["x"] = Numbers(x), ["y"] = Numbers(y), ["mode"] = "markers", ["name"] = name,
            ["marker"] = new Dictionary<string, object?> { ["color"] = Colour(0), ["size"] = 6 },
        });
        return ToChart(new[] { trace }, NewLayout(title, xLabel, yLabel, showLegend: name != null));
    }

    /// <summary>Bars, one per category, e.g. softmax probabilities per class or examples per class.</summary>
    public static GenericChart Bars(IReadOnlyList<string> categories, IReadOnlyList<double> values, string title, string xLabel, string yLabel)
    {
        if (categories.Count != values.Count)
            throw new ArgumentException($"Plots.Bars needs one value per category: got {categories.Count} categories and {values.Count} values.");
        var trace = NewTrace("bar", new()
        {
            ["x"] = categories.ToArray(), ["y"] = Numbers(values),
            ["marker"] = new Dictionary<string, object?> { ["color"] = Colour(0) },
        });
        var layout = NewLayout(title, xLabel, yLabel, showLegend: false);
        Axis(layout, "xaxis")["type"] = "category";
        return ToChart(new[] { trace }, layout);
    }

    // ───────────────────────────── 2-D points with classes ─────────────────────────────

    /// <summary>2-D points [N, 2] coloured by class, one legend entry per class.</summary>
    public static GenericChart Classes(Tensor points, int[] labels, string title, string xLabel = "x₁", string yLabel = "x₂", IReadOnlyList<string>? classNames = null)
    {
        var traces = ClassTraces(points, labels, classNames, "Plots.Classes");
        return ToChart(traces, NewLayout(title, xLabel, yLabel, showLegend: true));
    }

    /// <summary>2-D points given as a float[N, 2] array, coloured by class.</summary>
    public static GenericChart Classes(float[,] points, int[] labels, string title, string xLabel = "x₁", string yLabel = "x₂", IReadOnlyList<string>? classNames = null) =>
        Classes(Tensor.FromArray(points), labels, title, xLabel, yLabel, classNames);

    /// <summary>The points of a 2-D dataset (inputs [N, 2]) coloured by class.</summary>
    public static GenericChart Classes(Dataset data, string title, string xLabel = "x₁", string yLabel = "x₂") =>
        Classes(data.Inputs, data.Labels, title, xLabel, yLabel, data.ClassNames);

    /// <summary>
    /// The class a model predicts at every point of the plane (light colours), with the dataset's points on top.
    /// <paramref name="predict"/> gets a batch of points [M, 2] and returns one class index per point.
    /// </summary>
    public static GenericChart DecisionBoundary(Func<Tensor, int[]> predict, Dataset data, string title, int resolution = 100, string xLabel = "x₁", string yLabel = "x₂")
    {
        var points = data.Inputs;
        RequirePoints(points, data.Count, "Plots.DecisionBoundary");
        if (resolution < 2) throw new ArgumentOutOfRangeException(nameof(resolution), $"Plots.DecisionBoundary needs resolution ≥ 2, got {resolution}.");

        // The plane the points occupy, with a 10 % margin so that points do not sit on the edge.
        var (xMin, xMax) = Padded(Column(points, 0));
        var (yMin, yMax) = Padded(Column(points, 1));
        var xs = Steps(xMin, xMax, resolution);
        var ys = Steps(yMin, yMax, resolution);

        var grid = new Tensor(resolution * resolution, 2);
        for (int j = 0; j < resolution; j++)
            for (int i = 0; i < resolution; i++)
            {
                grid[j * resolution + i, 0] = (float)xs[i];
                grid[j * resolution + i, 1] = (float)ys[j];
            }
        int[] predicted = predict(grid);
        if (predicted.Length != grid.Dim(0))
            throw new ArgumentException($"Plots.DecisionBoundary: predict returned {predicted.Length} classes for {grid.Dim(0)} points.");

        int classes = data.ClassCount;
        var z = new int[resolution][];
        for (int j = 0; j < resolution; j++)
        {
            z[j] = new int[resolution];
            for (int i = 0; i < resolution; i++)
            {
                int c = predicted[j * resolution + i];
                if ((uint)c >= (uint)classes)
                    throw new ArgumentException($"Plots.DecisionBoundary: predict returned class {c}, outside 0..{classes - 1}.");
                z[j][i] = c;
            }
        }

        // A stepped colour scale: class k gets the band [k/K, (k+1)/K], i.e. values k - 0.5 .. k + 0.5.
        var scale = new List<object[]>();
        for (int k = 0; k < classes; k++)
        {
            string light = Lighten(Colour(k), 0.7);
            scale.Add(new object[] { (double)k / classes, light });
            scale.Add(new object[] { (double)(k + 1) / classes, light });
        }
        var regions = NewTrace("heatmap", new()
        {
            ["x"] = xs, ["y"] = ys, ["z"] = z,
            ["zmin"] = -0.5, ["zmax"] = classes - 0.5, ["colorscale"] = scale, ["showscale"] = false,
            ["name"] = "predicted class", ["showlegend"] = false,
            ["hovertemplate"] = "(%{x:.2f}, %{y:.2f}) → class %{z}<extra>prediction</extra>",
        });

        var traces = new List<Plotly.NET.Trace> { regions };
        traces.AddRange(ClassTraces(points, data.Labels, data.ClassNames, "Plots.DecisionBoundary"));
        var layout = NewLayout(title, xLabel, yLabel, showLegend: true, width: 650, height: 550);
        Axis(layout, "xaxis")["range"] = new[] { xMin, xMax };
        Axis(layout, "yaxis")["range"] = new[] { yMin, yMax };
        return ToChart(traces, layout);
    }

    // ───────────────────────────── images ─────────────────────────────

    /// <summary>
    /// One grey-scale image [H, W], [1, H, W] or [1, 1, H, W]: 0 is white, the largest value black, row 0 at the top,
    /// square pixels. Values in 0..1 keep that range; other values (filters, feature maps) span their own min..max.
    /// </summary>
    public static GenericChart Image(Tensor image, string title, bool colorBar = false)
    {
        var (h, w) = ImageSize(image, "Plots.Image");
        var z = new double[h][];
        for (int r = 0; r < h; r++)
        {
            z[r] = new double[w];
            for (int c = 0; c < w; c++) z[r][c] = Math.Round(image.Data[r * w + c], 4);
        }
        var (low, high) = DisplayRange(image.Data);
        var heatmap = NewTrace("heatmap", new()
        {
            ["z"] = z, ["zmin"] = low, ["zmax"] = high, ["colorscale"] = InkOnPaper, ["showscale"] = colorBar,
            ["hovertemplate"] = "row %{y}, column %{x}: %{z}<extra></extra>",
        });

        // About 300 pixels on screen for the longer side, whatever the image size.
        double scale = Math.Clamp(300.0 / Math.Max(h, w), 1, 60);
        var layout = NewLayout(title, "column", "row", showLegend: false,
            width: (int)(w * scale) + 120 + (colorBar ? 90 : 0), height: (int)(h * scale) + 140);
        SquarePixels(layout, w, h);
        return ToChart(new[] { heatmap }, layout);
    }

    /// <summary>
    /// Many small images in a grid with an optional caption above each (digits, filters, feature maps).
    /// Each image is [H, W], [1, H, W] or [1, 1, H, W], all the same size. If every value lies in 0..1 they share
    /// that range; otherwise each image is stretched to its own min..max so that its pattern is visible.
    /// </summary>
    public static GenericChart ImageGrid(IReadOnlyList<Tensor> images, IReadOnlyList<string>? labels, int columns, string title)
    {
        if (images.Count == 0) throw new ArgumentException("Plots.ImageGrid needs at least one image.");
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), $"Plots.ImageGrid needs columns ≥ 1, got {columns}.");
        if (labels != null && labels.Count != images.Count)
            throw new ArgumentException($"Plots.ImageGrid needs one label per image: got {images.Count} images and {labels.Count} labels.");

        var (h, w) = ImageSize(images[0], "Plots.ImageGrid");
        for (int i = 1; i < images.Count; i++)
        {
            var (hi, wi) = ImageSize(images[i], "Plots.ImageGrid");
            if (hi != h || wi != w)
                throw new ArgumentException($"Plots.ImageGrid needs images of one size: image 0 is {h}×{w}, image {i} is {hi}×{wi}.");
        }
        bool shared = images.All(t => t.Data.All(v => v >= 0 && v <= 1));

        // One heatmap (a montage) is much faster to draw than a subplot per image. Gaps are empty cells (null):
        // the grey plot background shows through them. Each row of tiles has room above it for the captions.
        columns = Math.Min(columns, images.Count);
        int rows = (images.Count + columns - 1) / columns;
        int gap = Math.Max(1, Math.Max(h, w) / 14);
        int montageWidth = columns * (w + gap) - gap;
        double scale = Math.Clamp(760.0 / montageWidth, 1, 30);
        int captionSpace = labels == null ? gap : Math.Max(gap, (int)Math.Ceiling(18 / scale));
        int montageHeight = rows * (h + captionSpace);
        if (montageHeight * scale > 1000)
        {
            scale = Math.Max(1, 1000.0 / montageHeight);
            captionSpace = labels == null ? gap : Math.Max(gap, (int)Math.Ceiling(18 / scale));
            montageHeight = rows * (h + captionSpace);
        }

        var z = new double?[montageHeight][];
        for (int r = 0; r < montageHeight; r++) z[r] = new double?[montageWidth];
        var captions = new List<Dictionary<string, object?>>();
        for (int k = 0; k < images.Count; k++)
        {
            int top = (k / columns) * (h + captionSpace) + captionSpace, left = (k % columns) * (w + gap);
            float[] pixels = images[k].Data;
            float low = 0, range = 1;
            if (!shared)
            {
                low = pixels.Min();
                range = pixels.Max() - low;
                if (range == 0) range = 1; // a constant image shows as white
            }
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                    z[top + r][left + c] = Math.Round((pixels[r * w + c] - low) / range, 3);
            if (labels != null)
                captions.Add(new Dictionary<string, object?>
                {
                    ["text"] = labels[k], ["x"] = left + (w - 1) / 2.0, ["y"] = top - 0.5,
                    ["xref"] = "x", ["yref"] = "y", ["xanchor"] = "center", ["yanchor"] = "bottom",
                    ["showarrow"] = false, ["font"] = new Dictionary<string, object?> { ["size"] = 11 },
                });
        }
        var montage = NewTrace("heatmap", new()
        {
            ["z"] = z, ["zmin"] = 0.0, ["zmax"] = 1.0, ["colorscale"] = InkOnPaper, ["showscale"] = false,
            ["hoverongaps"] = false, ["hovertemplate"] = shared ? "%{z}<extra></extra>" : "%{z} of this image's range<extra></extra>",
        });

        var layout = NewLayout(title, null, null, showLegend: false,
            width: (int)(montageWidth * scale) + 60, height: (int)(montageHeight * scale) + 100);
        SquarePixels(layout, montageWidth, montageHeight);
        foreach (var axisName in new[] { "xaxis", "yaxis" })
        {
            var axis = Axis(layout, axisName);
            axis["showticklabels"] = false;
            axis["ticks"] = "";
        }
        layout["plot_bgcolor"] = "#c8c8c8";
        layout["margin"] = new Dictionary<string, object?> { ["l"] = 30, ["r"] = 30, ["t"] = 70, ["b"] = 30 };
        layout["annotations"] = captions;
        return ToChart(new[] { montage }, layout);
    }

    /// <summary>
    /// Images from one tensor: [N, 1, H, W] or [N, H, W] gives N images (e.g. a batch of digits, or 30 filters
    /// [30, 1, 5, 5]); [1, C, H, W] gives the C channels (e.g. the feature maps of one digit).
    /// </summary>
    public static GenericChart ImageGrid(Tensor images, IReadOnlyList<string>? labels, int columns, string title) =>
        ImageGrid(SplitImages(images), labels, columns, title);

    // ───────────────────────────── matrices and functions of two variables ─────────────────────────────

    /// <summary>
    /// A matrix as coloured cells, row 0 at the top (e.g. a confusion matrix with true class as rows,
    /// or accuracy over two hyperparameters). <paramref name="annotate"/> writes each value in its cell.
    /// <paramref name="colour"/> (e.g. "#d62728" for a red channel) runs the cells from white to that colour instead of
    /// to dark blue; <paramref name="colorBar"/> adds the scale beside the matrix.
    /// </summary>
    public static GenericChart Heatmap(double[,] values, string title, string xLabel, string yLabel,
        string[]? xTicks = null, string[]? yTicks = null, bool annotate = false, string? colour = null, bool colorBar = false)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (xTicks != null && xTicks.Length != cols)
            throw new ArgumentException($"Plots.Heatmap: {cols} columns need {cols} xTicks, got {xTicks.Length}.");
        if (yTicks != null && yTicks.Length != rows)
            throw new ArgumentException($"Plots.Heatmap: {rows} rows need {rows} yTicks, got {yTicks.Length}.");

        // Tick labels become category names; without them the cells sit at 0, 1, 2, ...
        object[] xs = xTicks != null ? xTicks : Enumerable.Range(0, cols).Select(i => (object)i).ToArray();
        object[] ys = yTicks != null ? yTicks : Enumerable.Range(0, rows).Select(i => (object)i).ToArray();
        var z = new double?[rows][];
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        bool integers = true;
        for (int r = 0; r < rows; r++)
        {
            z[r] = new double?[cols];
            for (int c = 0; c < cols; c++)
            {
                double v = values[r, c];
                z[r][c] = double.IsFinite(v) ? v : null;
                if (!double.IsFinite(v)) continue;
                low = Math.Min(low, v);
                high = Math.Max(high, v);
                integers &= v == Math.Round(v);
            }
        }

        var heatmap = NewTrace("heatmap", new()
        {
            ["x"] = xs, ["y"] = ys, ["z"] = z, ["xgap"] = 1, ["ygap"] = 1, ["showscale"] = colorBar,
            ["colorscale"] = colour is null ? WhiteToBlue : new[] { new object[] { 0.0, "#ffffff" }, new object[] { 1.0, colour } },
            ["hovertemplate"] = $"{yLabel} %{{y}}, {xLabel} %{{x}}: %{{z}}<extra></extra>",
        });

        int cell = Math.Clamp(480 / Math.Max(rows, cols), 18, 60);
        var layout = NewLayout(title, xLabel, yLabel, showLegend: false, width: cols * cell + 200 + (colorBar ? 90 : 0), height: rows * cell + 150);
        var xAxis = Axis(layout, "xaxis");
        var yAxis = Axis(layout, "yaxis");
        xAxis["type"] = "category";
        yAxis["type"] = "category";
        yAxis["autorange"] = "reversed";
        xAxis["showgrid"] = false;
        yAxis["showgrid"] = false;
        if (annotate)
        {
            var notes = new List<Dictionary<string, object?>>();
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    if (z[r][c] is not double v) continue;
                    // White text on dark cells, black on light ones. On a category axis an annotation's
                    // position is the category's index (a name such as "0.1" would be read as a number).
                    bool dark = high > low && (v - low) / (high - low) > 0.5;
                    notes.Add(new Dictionary<string, object?>
                    {
                        ["text"] = v.ToString(integers ? "0" : "0.###", System.Globalization.CultureInfo.InvariantCulture),
                        ["x"] = c, ["y"] = r, ["xref"] = "x", ["yref"] = "y", ["showarrow"] = false,
                        ["font"] = new Dictionary<string, object?> { ["color"] = dark ? "white" : "black", ["size"] = 11 },
                    });
                }
            layout["annotations"] = notes;
        }
        return ToChart(new[] { heatmap }, layout);
    }

    /// <summary>A matrix of counts (e.g. a confusion matrix) as coloured cells, row 0 at the top.</summary>
    public static GenericChart Heatmap(int[,] values, string title, string xLabel, string yLabel,
        string[]? xTicks = null, string[]? yTicks = null, bool annotate = false, string? colour = null, bool colorBar = false)
    {
        var doubles = new double[values.GetLength(0), values.GetLength(1)];
        for (int r = 0; r < values.GetLength(0); r++)
            for (int c = 0; c < values.GetLength(1); c++) doubles[r, c] = values[r, c];
        return Heatmap(doubles, title, xLabel, yLabel, xTicks, yTicks, annotate, colour, colorBar);
    }

    /// <summary>Contour lines of f(x, y) over a rectangle, e.g. a loss surface.</summary>
    public static GenericChart Contour(Func<double, double, double> f, (double Min, double Max) xRange, (double Min, double Max) yRange,
        string title, string xLabel = "x", string yLabel = "y", int resolution = 100) =>
        ContourChart(f, xRange, yRange, title, xLabel, yLabel, resolution, Array.Empty<(string, IReadOnlyList<(double X, double Y)>)>());

    /// <summary>
    /// Contour lines of f(x, y) with paths drawn on top, e.g. the steps of several optimizers from one start.
    /// Each path is a named list of points (x, y); its first point is marked with a larger dot.
    /// </summary>
    public static GenericChart ContourWithPaths(Func<double, double, double> f, (double Min, double Max) xRange, (double Min, double Max) yRange,
        string title, params (string Name, IReadOnlyList<(double X, double Y)> Path)[] paths) =>
        ContourWithPaths(f, xRange, yRange, title, "x", "y", paths);

    /// <summary>Contour lines of f(x, y) with named paths on top, with axis labels.</summary>
    public static GenericChart ContourWithPaths(Func<double, double, double> f, (double Min, double Max) xRange, (double Min, double Max) yRange,
        string title, string xLabel, string yLabel, params (string Name, IReadOnlyList<(double X, double Y)> Path)[] paths) =>
        ContourChart(f, xRange, yRange, title, xLabel, yLabel, 100, paths);

    static GenericChart ContourChart(Func<double, double, double> f, (double Min, double Max) xRange, (double Min, double Max) yRange,
        string title, string xLabel, string yLabel, int resolution, (string Name, IReadOnlyList<(double X, double Y)> Path)[] paths)
    {
        if (!(xRange.Max > xRange.Min) || !(yRange.Max > yRange.Min))
            throw new ArgumentException($"Plots.Contour needs Min < Max, got x {xRange} and y {yRange}.");
        var xs = Steps(xRange.Min, xRange.Max, resolution);
        var ys = Steps(yRange.Min, yRange.Max, resolution);
        var z = new double?[resolution][];
        for (int j = 0; j < resolution; j++)
        {
            z[j] = new double?[resolution];
            for (int i = 0; i < resolution; i++)
            {
                double v = f(xs[i], ys[j]);
                z[j][i] = double.IsFinite(v) ? Math.Round(v, 5) : null;
            }
        }
        var traces = new List<Plotly.NET.Trace>
        {
            NewTrace("contour", new()
            {
                ["x"] = xs, ["y"] = ys, ["z"] = z, ["ncontours"] = 20, ["colorscale"] = "Greys", ["reversescale"] = true,
                ["contours"] = new Dictionary<string, object?> { ["coloring"] = "fill", ["showlines"] = true },
                ["line"] = new Dictionary<string, object?> { ["color"] = "#ffffff", ["width"] = 0.5 },
                ["opacity"] = 0.6, ["showlegend"] = false, ["name"] = "f(x, y)", ["showscale"] = paths.Length == 0,
                ["colorbar"] = new Dictionary<string, object?> { ["title"] = new Dictionary<string, object?> { ["text"] = "f(x, y)" }, ["thickness"] = 15 },
                ["hovertemplate"] = "f(%{x:.2f}, %{y:.2f}) = %{z:.3f}<extra></extra>",
            }),
        };
        for (int p = 0; p < paths.Length; p++)
        {
            var (name, path) = paths[p];
            var sizes = Enumerable.Range(0, path.Count).Select(i => i == 0 ? 11 : 5).ToArray();
            traces.Add(NewTrace("scatter", new()
            {
                ["x"] = Numbers(path.Select(q => q.X).ToArray()), ["y"] = Numbers(path.Select(q => q.Y).ToArray()),
                ["mode"] = "lines+markers", ["name"] = name,
                ["line"] = new Dictionary<string, object?> { ["color"] = Colour(p + 1), ["width"] = 2 },
                ["marker"] = new Dictionary<string, object?> { ["color"] = Colour(p + 1), ["size"] = sizes },
            }));
        }
        var layout = NewLayout(title, xLabel, yLabel, showLegend: paths.Length > 0, width: 700, height: 480);
        // Paths that diverge leave the picture instead of shrinking the surface to a dot.
        Axis(layout, "xaxis")["range"] = new[] { xRange.Min, xRange.Max };
        Axis(layout, "yaxis")["range"] = new[] { yRange.Min, yRange.Max };
        return ToChart(traces, layout);
    }

    // ───────────────────────────── distributions ─────────────────────────────

    /// <summary>
    /// A histogram of <paramref name="values"/> in <paramref name="bins"/> equal bins. The counting is done here,
    /// so 100,000 activations cost 30 bars, not 100,000 numbers in the page. With <paramref name="range"/> the bins
    /// cover that interval and values outside it are left out (like numpy's <c>range=</c>), so panels side by side
    /// share one scale; without it the bins span the values' own minimum to maximum.
    /// </summary>
    public static GenericChart Histogram(IReadOnlyList<double> values, string title, string xLabel, string yLabel = "count", int bins = 30,
        (double Min, double Max)? range = null)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), $"Plots.Histogram needs bins ≥ 1, got {bins}.");
        if (range is { } r && !(r.Max > r.Min))
            throw new ArgumentOutOfRangeException(nameof(range), $"Plots.Histogram needs range.Min < range.Max, got ({r.Min}, {r.Max}).");
        var finite = values.Where(v => double.IsFinite(v) && (range is not { } w || (v >= w.Min && v <= w.Max))).ToArray();
        double low = range?.Min ?? (finite.Length > 0 ? finite.Min() : 0), high = range?.Max ?? (finite.Length > 0 ? finite.Max() : 1);
        if (high == low) { low -= 0.5; high += 0.5; }
        double width = (high - low) / bins;
        var counts = new int[bins];
        foreach (double v in finite) counts[Math.Min(bins - 1, (int)((v - low) / width))]++;
        var centres = Enumerable.Range(0, bins).Select(b => low + (b + 0.5) * width).ToArray();

        var bars = NewTrace("bar", new()
        {
            ["x"] = centres, ["y"] = counts, ["width"] = width,
            ["marker"] = new Dictionary<string, object?>
            {
                ["color"] = Colour(0),
                ["line"] = new Dictionary<string, object?> { ["color"] = "#ffffff", ["width"] = 0.5 },
            },
            ["hovertemplate"] = $"%{{x:.3g}} ± {width / 2:0.###g}: %{{y}}<extra></extra>",
        });
        var layout = NewLayout(title, xLabel, yLabel, showLegend: false);
        layout["bargap"] = 0;
        if (range is { } shown) Axis(layout, "xaxis")["range"] = new[] { shown.Min, shown.Max };
        return ToChart(new[] { bars }, layout);
    }

    /// <summary>A histogram of float values.</summary>
    public static GenericChart Histogram(IReadOnlyList<float> values, string title, string xLabel, string yLabel = "count", int bins = 30,
        (double Min, double Max)? range = null) =>
        Histogram(ToDoubles(values), title, xLabel, yLabel, bins, range);

    /// <summary>A histogram of all values of a tensor (weights, activations, gradients).</summary>
    public static GenericChart Histogram(Tensor values, string title, string xLabel, string yLabel = "count", int bins = 30,
        (double Min, double Max)? range = null) =>
        Histogram(values.Data, title, xLabel, yLabel, bins, range);

    // ───────────────────────────── combining charts ─────────────────────────────

    /// <summary>
    /// Draws several charts on one set of axes (e.g. a fitted line over data points) under a new title, with the
    /// axes of the first. A series without a name is named after its chart's title; each series gets its own colour.
    /// </summary>
    public static GenericChart Combine(string title, params GenericChart[] charts)
    {
        if (charts.Length == 0) throw new ArgumentException("Plots.Combine needs at least one chart.");
        var traces = new List<Plotly.NET.Trace>();
        var byName = new Dictionary<string, string>();
        var used = new HashSet<string>();
        int inLegend = 0;
        foreach (var chart in charts)
        {
            string? chartTitle = ToDictionary(LayoutOf(chart).GetValueOrDefault("title")).GetValueOrDefault("text") as string;
            foreach (var source in Traces(chart))
            {
                var trace = CopyTrace(source);
                var properties = ToDictionary(trace);
                if (properties.ContainsKey("z")) { traces.Add(trace); continue; } // a surface, not a series
                if (!properties.ContainsKey("name") && chartTitle != null)
                {
                    Set(trace, "name", chartTitle);
                    properties = ToDictionary(trace);
                }
                if (SeriesColour(properties) is string current)
                    SetSeriesColour(trace, properties, PickColour(properties.GetValueOrDefault("name") as string, current, byName, used));
                if (properties.GetValueOrDefault("showlegend") is not false) inLegend++;
                traces.Add(trace);
            }
        }
        var layout = new Dictionary<string, object?>();
        var first = LayoutOf(charts[0]);
        foreach (var key in new[] { "xaxis", "yaxis", "width", "height", "margin" })
            if (first.TryGetValue(key, out var value)) layout[key] = value;
        layout["title"] = Centered(title);
        layout["showlegend"] = inLegend > 1;
        return ToChart(traces, layout);
    }

    /// <summary>
    /// Several charts side by side in a grid of <paramref name="rows"/> × <paramref name="columns"/> panels,
    /// filled row by row. Each panel keeps its axes; each chart's title becomes its panel's caption.
    /// Series with the same name share one legend entry and one colour. <paramref name="width"/> (pixels) overrides the
    /// default of at most 780, e.g. for a 3 × 5 grid of histograms that needs the page's full width.
    /// </summary>
    public static GenericChart Grid(IReadOnlyList<GenericChart> charts, int rows, int columns, string title, int? width = null)
    {
        if (rows < 1 || columns < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"Plots.Grid needs at least 1 row and 1 column, got {rows} × {columns}.");
        if (charts.Count > rows * columns)
            throw new ArgumentException($"Plots.Grid: {charts.Count} charts do not fit in {rows} × {columns} panels.");

        // Panels are laid out in fractions of the figure ("paper" coordinates), top row first.
        // gapX leaves room for the y-axis title and tick labels of the panel to the right (about 90 px at 780 px wide).
        const double gapX = 0.12, gapY = 0.14;
        double panelWidth = (1 - gapX * (columns - 1)) / columns;
        double panelHeight = (1 - gapY * (rows - 1)) / rows;

        var traces = new List<Plotly.NET.Trace>();
        var annotations = new List<Dictionary<string, object?>>();
        var layout = new Dictionary<string, object?>();
        var legendNames = new HashSet<string>();
        var byName = new Dictionary<string, string>();
        var used = new HashSet<string>();
        for (int k = 0; k < charts.Count; k++)
        {
            int row = k / columns, col = k % columns;
            string n = k == 0 ? "" : (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            double left = col * (panelWidth + gapX), top = 1 - row * (panelHeight + gapY);
            var panel = LayoutOf(charts[k]);

            foreach (var source in Traces(charts[k]))
            {
                var trace = CopyTrace(source);
                var properties = ToDictionary(trace);
                Set(trace, "xaxis", "x" + n);
                Set(trace, "yaxis", "y" + n);
                // One colour bar per panel would cover the next panel.
                if (properties.ContainsKey("z")) Set(trace, "showscale", false);
                // A named series appears once in the legend and has one colour in every panel.
                if (properties.GetValueOrDefault("name") is string s && properties.GetValueOrDefault("showlegend") is not false && !properties.ContainsKey("z"))
                {
                    Set(trace, "legendgroup", s);
                    if (!legendNames.Add(s)) Set(trace, "showlegend", false);
                    if (SeriesColour(properties) is string current) SetSeriesColour(trace, properties, PickColour(s, current, byName, used));
                }
                traces.Add(trace);
            }

            var xAxis = new Dictionary<string, object?>(ToDictionary(panel.GetValueOrDefault("xaxis")));
            var yAxis = new Dictionary<string, object?>(ToDictionary(panel.GetValueOrDefault("yaxis")));
            xAxis["domain"] = new[] { left, left + panelWidth };
            yAxis["domain"] = new[] { top - panelHeight, top };
            xAxis["anchor"] = "y" + n;
            yAxis["anchor"] = "x" + n;
            if (xAxis.TryGetValue("scaleanchor", out var sx) && sx is string) xAxis["scaleanchor"] = "y" + n;
            if (yAxis.TryGetValue("scaleanchor", out var sy) && sy is string) yAxis["scaleanchor"] = "x" + n;
            layout["xaxis" + n] = xAxis;
            layout["yaxis" + n] = yAxis;

            if (panel.TryGetValue("annotations", out var notes) && notes is System.Collections.IEnumerable list)
                foreach (var note in list)
                {
                    var copy = new Dictionary<string, object?>(ToDictionary(note));
                    if (copy.GetValueOrDefault("xref") is "x") copy["xref"] = "x" + n;
                    if (copy.GetValueOrDefault("yref") is "y") copy["yref"] = "y" + n;
                    annotations.Add(copy);
                }
            if (ToDictionary(panel.GetValueOrDefault("title")).GetValueOrDefault("text") is string caption)
                annotations.Add(new Dictionary<string, object?>
                {
                    ["text"] = caption, ["x"] = left + panelWidth / 2, ["y"] = top, ["xref"] = "paper", ["yref"] = "paper",
                    ["xanchor"] = "center", ["yanchor"] = "bottom", ["yshift"] = 6, ["showarrow"] = false,
                    ["font"] = new Dictionary<string, object?> { ["size"] = 14 },
                });
        }

        layout["title"] = Centered(title);
        layout["annotations"] = annotations;
        layout["showlegend"] = legendNames.Count > 1;
        // At most 780 px wide: the output column of a notebook page (the runner's HTML, an editor) is about that wide,
        // and a wider grid would hide its right-hand panels behind a scroll bar.
        // A grid of many small panels (width given) may use the whole output column of the runner's page, about 1150 px.
        layout["width"] = width ?? Math.Min(780, columns * 340 + 150);
        layout["height"] = rows * 300 + 120;
        layout["margin"] = new Dictionary<string, object?> { ["l"] = 60, ["r"] = 30, ["t"] = 90, ["b"] = 60 };
        return ToChart(traces, layout);
    }

    // ───────────────────────────── adjusting a chart ─────────────────────────────

    /// <summary>
    /// The same chart with fixed axes: <paramref name="yRange"/> pins the y-axis (e.g. [0, 1] for accuracies, so that
    /// panels side by side compare at a glance), <paramref name="yTickStep"/> spaces its ticks, and
    /// <paramref name="equalScale"/> draws one unit of y as long as one unit of x, so a long, narrow valley looks long
    /// and narrow. Works on a single chart, before it goes into <see cref="Grid"/>.
    /// </summary>
    public static GenericChart WithAxes(GenericChart chart, (double Min, double Max)? yRange = null, double? yTickStep = null, bool equalScale = false)
    {
        if (yRange is { } r && !(r.Max > r.Min)) throw new ArgumentException($"Plots.WithAxes needs Min < Max, got y {r}.");
        if (yTickStep is { } step && !(step > 0)) throw new ArgumentException($"Plots.WithAxes needs a positive tick step, got {step}.");
        var layout = new Dictionary<string, object?>(LayoutOf(chart));
        var x = new Dictionary<string, object?>(ToDictionary(layout.GetValueOrDefault("xaxis")));
        var y = new Dictionary<string, object?>(ToDictionary(layout.GetValueOrDefault("yaxis")));
        if (yRange is { } range) y["range"] = new[] { range.Min, range.Max };
        if (yTickStep is { } dtick) { y["dtick"] = dtick; y["tickformat"] = "~g"; }
        if (equalScale)
        {
            y["scaleanchor"] = "x";
            y["scaleratio"] = 1;
            // Shrink the plotting area to the right shape instead of widening one axis's range.
            x["constrain"] = "domain";
            y["constrain"] = "domain";
        }
        layout["xaxis"] = x;
        layout["yaxis"] = y;
        return ToChart(Traces(chart).Select(CopyTrace), layout);
    }

    /// <summary>
    /// The same chart with a marker on every point of its curves, for curves through a few measured points (a sweep
    /// over a handful of values), where the straight lines between the points are not data.
    /// </summary>
    public static GenericChart WithMarkers(GenericChart chart)
    {
        var traces = Traces(chart).Select(CopyTrace).ToList();
        foreach (var trace in traces)
        {
            var properties = ToDictionary(trace);
            if (properties.GetValueOrDefault("mode") is not "lines") continue;
            Set(trace, "mode", "lines+markers");
            if (SeriesColour(properties) is string colour)
                Set(trace, "marker", new Dictionary<string, object?> { ["color"] = colour, ["size"] = 8 });
        }
        return ToChart(traces, LayoutOf(chart));
    }

    /// <summary>
    /// A grid of contour panels of one surface (the same f over the same rectangle, as <see cref="ContourWithPaths"/>
    /// draws them) with one colour bar for all panels, at the right of the grid, instead of none: <see cref="Grid"/>
    /// turns the panels' own bars off, since one per panel would cover the next panel. The legend gives way to the bar.
    /// </summary>
    public static GenericChart WithColourBar(GenericChart grid, string title)
    {
        var traces = Traces(grid).Select(CopyTrace).ToList();
        var surface = traces.FirstOrDefault(t => ToDictionary(t).ContainsKey("z"))
            ?? throw new ArgumentException("Plots.WithColourBar needs a chart with a contour or heatmap panel.");
        Set(surface, "showscale", true);
        Set(surface, "colorbar", new Dictionary<string, object?>
        {
            ["title"] = new Dictionary<string, object?> { ["text"] = title, ["side"] = "right" },
            ["thickness"] = 15, ["x"] = 1.02, ["xanchor"] = "left", ["len"] = 0.9,
        });
        var layout = new Dictionary<string, object?>(LayoutOf(grid));
        var margin = new Dictionary<string, object?>(ToDictionary(layout.GetValueOrDefault("margin")));
        margin["r"] = 90;
        layout["margin"] = margin;
        layout["showlegend"] = false;
        return ToChart(traces, layout);
    }

    // ───────────────────────────── building blocks ─────────────────────────────
    // A trace and a layout are DynamicObj property bags; these helpers fill them from dictionaries.

    static Plotly.NET.Trace NewTrace(string type, Dictionary<string, object?> properties)
    {
        var trace = new Plotly.NET.Trace2D(type);
        foreach (var (name, value) in properties)
            if (value != null) Set(trace, name, value);
        return trace;
    }

    static GenericChart ToChart(IEnumerable<Plotly.NET.Trace> traces, Dictionary<string, object?> layout)
    {
        // useDefaults: true gives the chart Plotly.NET's default template, config and display options.
        var chart = GenericChart.ofTraceObjects(true, traces.ToArray());
        var plotlyLayout = new Plotly.NET.Layout();
        foreach (var (name, value) in layout)
            if (value != null) Set(plotlyLayout, name, value);
        return GenericChart.addLayout(plotlyLayout, chart);
    }

    static Dictionary<string, object?> NewLayout(string title, string? xLabel, string? yLabel, bool showLegend, int width = 700, int height = 450) => new()
    {
        ["title"] = Centered(title),
        ["xaxis"] = new Dictionary<string, object?> { ["title"] = xLabel == null ? null : new Dictionary<string, object?> { ["text"] = xLabel }, ["automargin"] = true },
        ["yaxis"] = new Dictionary<string, object?> { ["title"] = yLabel == null ? null : new Dictionary<string, object?> { ["text"] = yLabel }, ["automargin"] = true },
        ["showlegend"] = showLegend,
        ["width"] = width,
        ["height"] = height,
        ["margin"] = new Dictionary<string, object?> { ["l"] = 70, ["r"] = 30, ["t"] = 70, ["b"] = 60 },
    };

    static Dictionary<string, object?> Centered(string text) => new() { ["text"] = text, ["x"] = 0.5, ["xanchor"] = "center" };

    static Dictionary<string, object?> Axis(Dictionary<string, object?> layout, string name) => (Dictionary<string, object?>)layout[name]!;

    // Row 0 at the top, one pixel as wide as it is high, and no padding around the picture.
    static void SquarePixels(Dictionary<string, object?> layout, int width, int height)
    {
        var x = Axis(layout, "xaxis");
        var y = Axis(layout, "yaxis");
        x["range"] = new[] { -0.5, width - 0.5 };
        y["range"] = new[] { height - 0.5, -0.5 };
        y["scaleanchor"] = "x";
        y["scaleratio"] = 1;
        x["constrain"] = "domain";
        y["constrain"] = "domain";
        foreach (var (axis, size) in new[] { (x, width), (y, height) })
        {
            // Ticks on whole pixels (0, 1, 2 … or every 5th, 10th …): a pixel's index, never −0.5 or 2.5.
            axis["tick0"] = 0;
            axis["dtick"] = size <= 12 ? 1 : size <= 40 ? 5 : size <= 120 ? 10 : 50;
            axis["showgrid"] = false;
            axis["zeroline"] = false;
            axis["showline"] = true; // a frame, so that a white background stands out from the page
            axis["mirror"] = true;
            axis["linecolor"] = "#888888";
        }
    }

    static IEnumerable<Plotly.NET.Trace> Traces(GenericChart chart) => GenericChart.getTraces(chart);

    static Dictionary<string, object?> LayoutOf(GenericChart chart) => ToDictionary(GenericChart.getLayout(chart));

    // A new trace with the same properties, so that placing it in a grid does not change the original chart.
    static Plotly.NET.Trace CopyTrace(Plotly.NET.Trace source)
    {
        var properties = ToDictionary(source);
        var copy = new Plotly.NET.Trace2D(properties.GetValueOrDefault("type") as string ?? "scatter");
        foreach (var (name, value) in properties)
            if (name != "type" && value != null) Set(copy, name, value);
        return copy;
    }

    // The single colour of a line or marker series (null if it has none or one per point).
    static string? SeriesColour(Dictionary<string, object?> properties) =>
        (ToDictionary(properties.GetValueOrDefault("line")).GetValueOrDefault("color")
         ?? ToDictionary(properties.GetValueOrDefault("marker")).GetValueOrDefault("color")) as string;

    static void SetSeriesColour(Plotly.NET.Trace trace, Dictionary<string, object?> properties, string colour)
    {
        foreach (var part in new[] { "line", "marker" })
        {
            var style = ToDictionary(properties.GetValueOrDefault(part));
            if (style.Count == 0 || style.GetValueOrDefault("color") is not (string or null)) continue;
            Set(trace, part, new Dictionary<string, object?>(style) { ["color"] = colour });
        }
    }

    // A series keeps its colour unless another series already uses it; one name keeps one colour.
    static string PickColour(string? name, string current, Dictionary<string, string> byName, HashSet<string> used)
    {
        if (name != null && byName.TryGetValue(name, out var known)) return known;
        string colour = !used.Contains(current) ? current : Palette.FirstOrDefault(c => !used.Contains(c)) ?? current;
        used.Add(colour);
        if (name != null) byName[name] = colour;
        return colour;
    }

    // The properties of a dictionary or of a DynamicObj (Plotly.NET's objects), or none.
    static Dictionary<string, object?> ToDictionary(object? value)
    {
        switch (value)
        {
            case Dictionary<string, object?> d:
                return d;
            case System.Dynamic.DynamicObject dynamicObject:
                var result = new Dictionary<string, object?>();
                foreach (var name in dynamicObject.GetDynamicMemberNames())
                    if (GetMember(dynamicObject, name) is { } v) result[name] = v;
                return result;
            default:
                return new Dictionary<string, object?>();
        }
    }

    static void Set(System.Dynamic.DynamicObject target, string name, object value) => target.TrySetMember(new Setter(name), value);

    static object? GetMember(object target, string name) =>
        target is System.Dynamic.DynamicObject d && d.TryGetMember(new Getter(name), out var value) ? value : null;

    // DynamicObject's TrySetMember/TryGetMember only read the binder's Name; these binders carry it.
    sealed class Setter : System.Dynamic.SetMemberBinder
    {
        public Setter(string name) : base(name, ignoreCase: false) { }
        public override System.Dynamic.DynamicMetaObject FallbackSetMember(System.Dynamic.DynamicMetaObject target, System.Dynamic.DynamicMetaObject value, System.Dynamic.DynamicMetaObject? errorSuggestion) =>
            throw new NotSupportedException();
    }

    sealed class Getter : System.Dynamic.GetMemberBinder
    {
        public Getter(string name) : base(name, ignoreCase: false) { }
        public override System.Dynamic.DynamicMetaObject FallbackGetMember(System.Dynamic.DynamicMetaObject target, System.Dynamic.DynamicMetaObject? errorSuggestion) =>
            throw new NotSupportedException();
    }

    // ───────────────────────────── data helpers ─────────────────────────────

    // NaN and ±∞ (a diverging loss) become gaps in the curve instead of breaking the page.
    static double?[] Numbers(IReadOnlyList<double> values) =>
        values.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray();

    static double[] ToDoubles(IReadOnlyList<float> values) => values.Select(v => (double)v).ToArray();

    static void RequireSameLength(IReadOnlyList<double> x, IReadOnlyList<double> y, string where)
    {
        if (x.Count != y.Count)
            throw new ArgumentException($"{where} needs as many x as y values: got {x.Count} x and {y.Count} y.");
    }

    static void RequirePoints(Tensor points, int labelCount, string where)
    {
        if (points.Rank != 2 || points.Dim(1) != 2)
            throw new ArgumentException($"{where} needs points of shape [N, 2], got {Tensor.FormatShape(points.Shape)}.");
        if (points.Dim(0) != labelCount)
            throw new ArgumentException($"{where} needs one label per point: got {points.Dim(0)} points and {labelCount} labels.");
    }

    static List<Plotly.NET.Trace> ClassTraces(Tensor points, int[] labels, IReadOnlyList<string>? classNames, string where)
    {
        RequirePoints(points, labels.Length, where);
        int classes = Math.Max(labels.Length == 0 ? 0 : labels.Max() + 1, classNames?.Count ?? 0);
        var traces = new List<Plotly.NET.Trace>();
        for (int k = 0; k < classes; k++)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == k).ToArray();
            if (members.Length == 0) continue;
            traces.Add(NewTrace("scatter", new()
            {
                ["x"] = members.Select(i => (double)points[i, 0]).ToArray(),
                ["y"] = members.Select(i => (double)points[i, 1]).ToArray(),
                ["mode"] = "markers", ["name"] = classNames != null && k < classNames.Count ? classNames[k] : $"class {k}",
                ["marker"] = new Dictionary<string, object?>
                {
                    ["color"] = Colour(k), ["size"] = 7,
                    ["line"] = new Dictionary<string, object?> { ["color"] = "#ffffff", ["width"] = 0.8 },
                },
            }));
        }
        return traces;
    }

    static double[] Column(Tensor points, int column) =>
        Enumerable.Range(0, points.Dim(0)).Select(i => (double)points[i, column]).ToArray();

    static (double Min, double Max) Padded(double[] values)
    {
        double min = values.Length > 0 ? values.Min() : -1, max = values.Length > 0 ? values.Max() : 1;
        double margin = Math.Max(0.1 * (max - min), 1e-3);
        return (min - margin, max + margin);
    }

    static double[] Steps(double min, double max, int count) =>
        Enumerable.Range(0, count).Select(i => min + (max - min) * i / (count - 1)).ToArray();

    // A colour mixed with white: amount 0 keeps it, 1 gives white.
    static string Lighten(string hex, double amount)
    {
        int Channel(int at) => Convert.ToInt32(hex.Substring(at, 2), 16);
        int Mix(int c) => (int)Math.Round(c + (255 - c) * amount);
        return $"#{Mix(Channel(1)):x2}{Mix(Channel(3)):x2}{Mix(Channel(5)):x2}";
    }

    static (int Height, int Width) ImageSize(Tensor image, string where)
    {
        var shape = image.ShapeArray();
        bool ok = shape.Length >= 2 && shape.Length <= 4 && shape[..^2].All(d => d == 1);
        if (!ok)
            throw new ArgumentException(
                $"{where} needs one grey image [H, W], [1, H, W] or [1, 1, H, W], got {Tensor.FormatShape(shape)}. " +
                "For several images or channels use Plots.ImageGrid.");
        return (shape[^2], shape[^1]);
    }

    static (double Low, double High) DisplayRange(float[] values)
    {
        if (values.Length == 0) return (0, 1);
        double low = values.Min(), high = values.Max();
        if (low >= 0 && high <= 1) return (0, 1);
        return high > low ? (low, high) : (low - 0.5, high + 0.5);
    }

    static List<Tensor> SplitImages(Tensor images)
    {
        var shape = images.ShapeArray();
        int count, h, w;
        switch (shape.Length)
        {
            case 2: count = 1; h = shape[0]; w = shape[1]; break;
            case 3: count = shape[0]; h = shape[1]; w = shape[2]; break;
            case 4 when shape[1] == 1: count = shape[0]; h = shape[2]; w = shape[3]; break;
            case 4 when shape[0] == 1: count = shape[1]; h = shape[2]; w = shape[3]; break;
            default:
                throw new ArgumentException(
                    $"Plots.ImageGrid needs [N, H, W], [N, 1, H, W] or [1, C, H, W], got {Tensor.FormatShape(shape)}. " +
                    "For filters with several input channels, pick one channel first.");
        }
        var result = new List<Tensor>(count);
        for (int i = 0; i < count; i++)
        {
            var pixels = new float[h * w];
            Array.Copy(images.Data, i * h * w, pixels, 0, h * w);
            result.Add(new Tensor(pixels, h, w));
        }
        return result;
    }
}
