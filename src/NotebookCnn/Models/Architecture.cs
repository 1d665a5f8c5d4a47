using System.Globalization;
using System.Text;

namespace NotebookCnn;

/// <summary>
/// A network described layer by layer, with every output shape and parameter count worked out from the
/// formulas, without allocating any weights: VGG-16's table (138 million parameters, 553 MB as float32)
/// appears in a millisecond. <see cref="Build"/> turns the same description into a trainable <see cref="Sequential"/>.
/// </summary>
/// <example>
/// <code>
/// var lenet = new Architecture("LeNet-5", 1, 28, 28)
///     .Convolution(6, 5, padding: 2).Relu().MaxPooling(2)
///     .Convolution(16, 5).Relu().MaxPooling(2)
///     .Flatten().Affine(120).Relu().Affine(84).Relu().Affine(10);
/// Console.WriteLine(lenet);              // the table
/// Sequential net = lenet.Build(seed: 0); // the network
/// </code>
/// </example>
public sealed class Architecture
{
    private readonly List<Step> _steps = [];
    private readonly Dictionary<string, int> _counters = [];

    /// <summary>Starts a description.</summary>
    /// <param name="name">A title for the table, e.g. "VGG-16".</param>
    /// <param name="inputShape">One example's shape without the batch dimension, e.g. 3, 224, 224.</param>
    public Architecture(string name, params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"Architecture '{name}': the input shape needs positive sizes, e.g. 1, 28, 28; got {Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        Name = name;
        InputShape = (int[])inputShape.Clone();
    }

    /// <summary>The title, e.g. "VGG-16".</summary>
    public string Name { get; }

    /// <summary>One example's input shape (no batch dimension).</summary>
    public int[] InputShape { get; }

    /// <summary>One row per layer: name, type, details, output shape (no batch dimension), parameter count.</summary>
    public IReadOnlyList<ArchitectureLayer> Layers => _steps.Select(s => s.Row).ToArray();

    /// <summary>The row of the layer named <paramref name="name"/>, e.g. <c>vgg["affine1"]</c>.</summary>
    public ArchitectureLayer this[string name] =>
        _steps.Select(s => s.Row).FirstOrDefault(r => r.Name == name)
        ?? throw new KeyNotFoundException($"Architecture '{Name}' has no layer named '{name}'. Its layers are: {string.Join(", ", _steps.Select(s => s.Row.Name))}.");

    /// <summary>One example's output shape.</summary>
    public int[] OutputShape => _steps.Count == 0 ? (int[])InputShape.Clone() : (int[])_steps[^1].Row.OutputShape.Clone();

    /// <summary>The total number of learnable values.</summary>
    public long ParameterCount => _steps.Sum(s => s.Row.Parameters);

    /// <summary>
    /// A convolution with <paramref name="filters"/> square kernels; its input channels are the current shape's.
    /// Parameters: F·C·K·K weights + F biases.
    /// </summary>
    public Architecture Convolution(int filters, int kernelSize, int stride = 1, int padding = 0)
    {
        LayerInput.RequirePositive("Architecture.Convolution", nameof(filters), filters);
        LayerInput.RequirePositive("Architecture.Convolution", nameof(kernelSize), kernelSize);
        LayerInput.RequirePositive("Architecture.Convolution", nameof(stride), stride);
        var shape = RequireImage("Convolution");
        int c = shape[0];
        string name = $"conv{_counters.GetValueOrDefault("conv") + 1}";
        int oh = Size(name, shape[1], kernelSize, stride, padding), ow = Size(name, shape[2], kernelSize, stride, padding);
        long parameters = (long)filters * c * kernelSize * kernelSize + filters;
        string details = $"{c}→{filters}, {kernelSize}×{kernelSize}, stride {stride}, padding {padding}";
        NextName("conv");
        return Append(new ArchitectureLayer(name, "Convolution", details, [filters, oh, ow], parameters),
            (seed, init) => new NotebookCnn.Convolution(c, filters, kernelSize, stride, padding, init, seed, name));
    }

    /// <summary>A fully connected layer with <paramref name="units"/> outputs; any input shape is flattened. Parameters: D·M + M.</summary>
    public Architecture Affine(int units)
    {
        LayerInput.RequirePositive("Architecture.Affine", nameof(units), units);
        var shape = CurrentShape;
        int inputs = checked(shape.Aggregate(1, (a, b) => a * b));
        string name = NextName("affine");
        return Append(new ArchitectureLayer(name, "Affine", $"{inputs}→{units}", [units], (long)inputs * units + units),
            (seed, init) => new NotebookCnn.Affine(inputs, units, init, seed, name));
    }

    /// <summary>
    /// Any layer whose construction is cheap (activations, pooling, Flatten, BatchNorm, Dropout): it is created once
    /// now to learn its output shape and parameter count, and again by <see cref="Build"/>.
    /// </summary>
    /// <param name="create">Makes the layer from the current example shape (no batch dimension), e.g. <c>s =&gt; new BatchNorm(s[0])</c>.</param>
    public Architecture Add(Func<int[], Layer> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var shape = CurrentShape;
        var probe = create(shape);
        string name = NextName(NamePrefix(probe));
        int[] output;
        try
        {
            output = probe.OutputShape([1, .. shape])[1..];
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Architecture '{Name}', layer {name}: {e.Message}", e);
        }
        string text = probe.ToString() ?? "";
        int colon = text.IndexOf(": ", StringComparison.Ordinal);
        string details = colon >= 0 ? text[(colon + 2)..] : "";
        return Append(new ArchitectureLayer(name, probe.GetType().Name, details, output, probe.ParameterCount),
            (_, _) => Named(create(shape), name));
    }

    /// <summary>A layer that does not depend on the input shape, e.g. <c>Add(() =&gt; new Tanh())</c>.</summary>
    public Architecture Add(Func<Layer> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return Add(_ => create());
    }

    /// <summary>Appends a <see cref="NotebookCnn.Relu"/>.</summary>
    public Architecture Relu() => Add(() => new Relu());

    /// <summary>Appends a <see cref="NotebookCnn.MaxPooling"/> with a size×size window (stride = size unless given).</summary>
    public Architecture MaxPooling(int size, int stride = -1) => Add(() => new MaxPooling(size, stride));

    /// <summary>Appends an <see cref="NotebookCnn.AveragePooling"/> with a size×size window (stride = size unless given).</summary>
    public Architecture AveragePooling(int size, int stride = -1) => Add(() => new AveragePooling(size, stride));

    /// <summary>Appends a <see cref="NotebookCnn.Flatten"/>.</summary>
    public Architecture Flatten() => Add(() => new Flatten());

    /// <summary>Appends a <see cref="NotebookCnn.Dropout"/> (no parameters; drops only while training).</summary>
    public Architecture Dropout(float dropoutRatio = 0.5f) => Add(() => new Dropout(dropoutRatio));

    /// <summary>Appends a <see cref="NotebookCnn.BatchNorm"/> over the current channels (or features).</summary>
    public Architecture BatchNorm() => Add(s => new BatchNorm(s[0]));

    /// <summary>
    /// Builds the described network with freshly initialised weights. Layer i uses seed + i, so two layers of
    /// the same size start differently. Mind the size: VGG-16 allocates 138 million floats (553 MB).
    /// </summary>
    /// <param name="seed">Seed of the first layer's weights.</param>
    /// <param name="initializer">How convolution and affine weights are drawn; He by default.</param>
    public Sequential Build(int seed = 0, Initializer? initializer = null)
    {
        var net = new Sequential(_steps.Select((s, i) => s.Create(seed + i, initializer)).ToArray());
        net.Name = Name;
        return net;
    }

    /// <summary>The table: layer, type, details, output shape, parameters; then the total.</summary>
    public override string ToString()
    {
        var rows = new List<string[]> { new[] { "input", "", "", ShapeText(InputShape), "" } };
        rows.AddRange(_steps.Select(s => new[] { s.Row.Name, s.Row.Type, s.Row.Details, ShapeText(s.Row.OutputShape), Count(s.Row.Parameters) }));
        string[] header = ["Layer", "Type", "Details", "Output shape", "Parameters"];
        var width = header.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
        string Line(string[] r) => string.Join("  ", r.Select((v, c) => c == 4 ? v.PadLeft(width[c]) : v.PadRight(width[c]))).TrimEnd();
        string rule = new('─', width.Sum() + 2 * (width.Length - 1));
        var sb = new StringBuilder();
        sb.AppendLine($"{Name}, input {Tensor.FormatShape(InputShape)}");
        sb.AppendLine(Line(header)).AppendLine(rule);
        foreach (var r in rows) sb.AppendLine(Line(r));
        sb.AppendLine(rule);
        sb.AppendLine($"Total parameters: {Count(ParameterCount)} ({Count(ParameterCount * sizeof(float) / 1_000_000)} MB as float32)");
        return sb.ToString();

        static string ShapeText(int[] s) => "[N, " + string.Join(", ", s) + "]";
        static string Count(long c) => c.ToString("N0", CultureInfo.InvariantCulture);
    }

    private int[] CurrentShape => _steps.Count == 0 ? InputShape : _steps[^1].Row.OutputShape;

    private int[] RequireImage(string layer)
    {
        var shape = CurrentShape;
        if (shape.Length != 3)
            throw new ArgumentException(
                $"Architecture '{Name}': {layer} needs an image [C, H, W], but the current shape is {Tensor.FormatShape(shape)}.");
        return shape;
    }

    private int Size(string layer, int input, int kernelSize, int stride, int padding)
    {
        try
        {
            return Im2Col.OutputSize(input, kernelSize, stride, padding);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Architecture '{Name}', layer {layer}: {e.Message}", e);
        }
    }

    private Architecture Append(ArchitectureLayer row, Func<int, Initializer?, Layer> create)
    {
        _steps.Add(new Step(row, create));
        return this;
    }

    // The same prefixes Sequential uses, so a built network's names match the table's: conv1, relu1, pool1, affine1.
    private static string NamePrefix(Layer layer) => layer switch
    {
        NotebookCnn.Convolution => "conv",
        Pooling => "pool",
        _ => layer.GetType().Name.ToLowerInvariant(),
    };

    private string NextName(string prefix)
    {
        int count = _counters.GetValueOrDefault(prefix) + 1;
        _counters[prefix] = count;
        return prefix + count.ToString(CultureInfo.InvariantCulture);
    }

    // Gives a freshly made layer its table name; parameters named after the old name follow (BatchNorm does this itself).
    private static Layer Named(Layer layer, string name)
    {
        string old = layer.Name + ".";
        foreach (var p in layer.Parameters)
            if (p.Name.StartsWith(old, StringComparison.Ordinal)) p.Name = name + "." + p.Name[old.Length..];
        layer.Name = name;
        return layer;
    }

    private sealed record Step(ArchitectureLayer Row, Func<int, Initializer?, Layer> Create);
}

/// <summary>One row of an <see cref="Architecture"/> table.</summary>
/// <param name="Name">The layer's name, as <see cref="Architecture.Build"/> names it (e.g. <c>conv1</c>).</param>
/// <param name="Type">The layer class, e.g. <c>Convolution</c>.</param>
/// <param name="Details">Sizes and hyperparameters, e.g. <c>3→64, 3×3, stride 1, padding 1</c>.</param>
/// <param name="OutputShape">One example's output shape (no batch dimension), e.g. [64, 224, 224].</param>
/// <param name="Parameters">The number of learnable values.</param>
public sealed record ArchitectureLayer(string Name, string Type, string Details, int[] OutputShape, long Parameters);
