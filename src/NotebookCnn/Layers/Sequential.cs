using System.Globalization;
using System.Text;

namespace NotebookCnn;

/// <summary>
/// A network made of layers applied one after the other: Forward runs them first to last, Backward
/// last to first (the chain rule). It is itself a <see cref="Layer"/>, so stacks can nest.
/// </summary>
/// <remarks>
/// Layers added without a name are named by type and counted per type — <c>conv1</c>, <c>relu1</c>,
/// <c>conv2</c>, <c>affine1</c> — and their parameters are renamed to match (<c>conv1.weight</c>).
/// </remarks>
public class Sequential : Layer, IStochasticLayer
{
    private readonly List<Layer> _layers = [];
    private readonly Dictionary<string, int> _counters = [];

    /// <summary>Creates a network from <paramref name="layers"/>, in order.</summary>
    public Sequential(params Layer[] layers) : base("sequential")
    {
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The layer at <paramref name="index"/> (0 is the first).</summary>
    public Layer this[int index] => _layers[index];

    /// <summary>The layer named <paramref name="name"/>, e.g. <c>net["conv1"]</c>.</summary>
    /// <exception cref="KeyNotFoundException">No layer has that name; the message lists the names.</exception>
    public Layer this[string name] =>
        _layers.FirstOrDefault(l => l.Name == name)
        ?? throw new KeyNotFoundException(
            $"Sequential '{Name}' has no layer named '{name}'. Its layers are: {string.Join(", ", _layers.Select(l => l.Name))}.");

    /// <summary>Appends <paramref name="layer"/>, naming it (e.g. <c>relu2</c>) when it has no name of its own.</summary>
    /// <exception cref="ArgumentException">The layer is already in this network, or another layer has its name.</exception>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (_layers.Contains(layer))
            throw new ArgumentException($"Sequential '{Name}' already contains layer '{layer.Name}'; create a new layer instead of adding it twice.");
        string prefix = NamePrefix(layer);
        if (HasDefaultName(layer, prefix))
        {
            string name;
            do
            {
                int count = _counters.GetValueOrDefault(prefix) + 1;
                _counters[prefix] = count;
                name = prefix + count.ToString(CultureInfo.InvariantCulture);
            } while (_layers.Any(l => l.Name == name));
            Rename(layer, name);
        }
        else if (_layers.Any(l => l.Name == layer.Name))
            throw new ArgumentException($"Sequential '{Name}' already has a layer named '{layer.Name}'; give the new {layer.GetType().Name} another name.");
        if (_layers.Count == 0 && !InputGradientNeeded) layer.InputGradientNeeded = false;
        _layers.Add(layer);
    }

    /// <summary>Passed on to the first layer: the only one whose input gradient is the network's input gradient.</summary>
    public override bool InputGradientNeeded
    {
        get => base.InputGradientNeeded;
        set
        {
            base.InputGradientNeeded = value;
            if (_layers.Count > 0) _layers[0].InputGradientNeeded = value;
        }
    }

    /// <summary>Every layer's parameters, first layer first.</summary>
    public override IReadOnlyList<Parameter> Parameters => _layers.SelectMany(l => l.Parameters).ToArray();

    /// <summary>Every layer's buffers, named <c>{layer}.{buffer}</c> (e.g. <c>batchnorm1.runningMean</c>).</summary>
    public override IReadOnlyList<(string Name, Tensor Value)> Buffers =>
        _layers.SelectMany(l => l.Buffers.Select(b =>
            (b.Name.StartsWith(l.Name + ".", StringComparison.Ordinal) ? b.Name : $"{l.Name}.{b.Name}", b.Value))).ToArray();

    /// <summary>Runs every layer in turn: x → layer 1 → layer 2 → … → output.</summary>
    /// <remarks>
    /// In inference the layers write into tensors they keep from call to call (nobody else sees the outputs in
    /// between), and the result is a copy: a prediction you keep is never overwritten by the next call, and a
    /// large batch does not allocate megabytes of intermediate maps each time.
    /// </remarks>
    public override Tensor Forward(Tensor x, bool training)
    {
        if (training)
        {
            foreach (var layer in _layers) x = layer.Forward(x, training: true);
            return x;
        }
        bool outerScope = OutputBuffer.ReusingInInference; // e.g. Evaluation, or a Sequential around this one
        using (OutputBuffer.ReuseInInference())
            foreach (var layer in _layers) x = layer.Forward(x, training: false);
        return outerScope ? x : x.Clone();
    }

    /// <summary>
    /// Runs every layer's Backward from last to first, storing all parameter gradients; returns ∂L/∂input
    /// (<see cref="Layer.NoInputGradient"/> when <see cref="InputGradientNeeded"/> is off and the first layer honours it).
    /// </summary>
    public override Tensor Backward(Tensor dout)
    {
        for (int i = _layers.Count - 1; i >= 0; i--) dout = _layers[i].Backward(dout);
        return dout;
    }

    /// <summary>The output for <paramref name="x"/> in inference mode (<c>Forward(x, training: false)</c>).</summary>
    public Tensor Predict(Tensor x) => Forward(x, training: false);

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        foreach (var layer in _layers) inputShape = layer.OutputShape(inputShape);
        return inputShape;
    }

    /// <summary>Reseeds every random layer; layer i gets <paramref name="seed"/> + i, so two Dropout layers draw different masks.</summary>
    public void Reseed(int seed)
    {
        for (int i = 0; i < _layers.Count; i++)
            if (_layers[i] is IStochasticLayer stochastic) stochastic.Reseed(seed + i);
    }

    /// <summary>
    /// A table like Keras' <c>model.summary()</c>: each layer's name, type, output shape and parameter count, then the total.
    /// </summary>
    /// <param name="inputShape">The shape of one example without the batch dimension, e.g. [1, 28, 28] (see <see cref="Dataset.ExampleShape"/>).</param>
    public string Summary(int[] inputShape)
    {
        var rows = new List<(string Name, string Type, string Shape, string Count)>
        {
            ("input", "", ShapeText(inputShape), ""),
        };
        int[] shape = [1, .. inputShape];
        foreach (var layer in _layers)
        {
            shape = layer.OutputShape(shape);
            rows.Add((layer.Name, layer.GetType().Name, ShapeText(shape[1..]), Count(layer.ParameterCount)));
        }
        string[] header = ["Layer", "Type", "Output shape", "Parameters"];
        int[] width =
        [
            Math.Max(header[0].Length, rows.Max(r => r.Name.Length)),
            Math.Max(header[1].Length, rows.Max(r => r.Type.Length)),
            Math.Max(header[2].Length, rows.Max(r => r.Shape.Length)),
            Math.Max(header[3].Length, rows.Max(r => r.Count.Length)),
        ];
        string Line(string a, string b, string c, string d) =>
            $"{a.PadRight(width[0])}  {b.PadRight(width[1])}  {c.PadRight(width[2])}  {d.PadLeft(width[3])}".TrimEnd();
        string rule = new('─', width.Sum() + 6);

        var sb = new StringBuilder();
        sb.AppendLine($"Sequential '{Name}'");
        sb.AppendLine(Line(header[0], header[1], header[2], header[3]));
        sb.AppendLine(rule);
        foreach (var r in rows) sb.AppendLine(Line(r.Name, r.Type, r.Shape, r.Count));
        sb.AppendLine(rule);
        sb.AppendLine($"Total parameters: {Count(ParameterCount)}");
        return sb.ToString();

        static string ShapeText(int[] s) => "[N, " + string.Join(", ", s) + "]";
        static string Count(long c) => c.ToString("N0", CultureInfo.InvariantCulture);
    }

    /// <summary>The layer list, one layer per line.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder($"Sequential {Name}: {_layers.Count} layer{(_layers.Count == 1 ? "" : "s")}");
        foreach (var layer in _layers)
            sb.AppendLine().Append("  ").Append(layer.ToString()?.Replace("\n", "\n  ", StringComparison.Ordinal));
        return sb.ToString();
    }

    // A short, searchable prefix per type: Convolution → conv, MaxPooling → pool, Relu → relu.
    private static string NamePrefix(Layer layer) => layer.GetType().Name switch
    {
        "Convolution" => "conv",
        "MaxPooling" or "AveragePooling" => "pool",
        "BatchNormalization" => "batchnorm",
        var type => type.ToLowerInvariant(),
    };

    // A layer counts as unnamed when its name is empty or just its type's default ("conv", "relu", "Relu").
    private static bool HasDefaultName(Layer layer, string prefix) =>
        string.IsNullOrEmpty(layer.Name)
        || string.Equals(layer.Name, prefix, StringComparison.OrdinalIgnoreCase)
        || string.Equals(layer.Name, layer.GetType().Name, StringComparison.OrdinalIgnoreCase);

    private static void Rename(Layer layer, string name)
    {
        string old = layer.Name + ".";
        foreach (var p in layer.Parameters)
            p.Name = !string.IsNullOrEmpty(layer.Name) && p.Name.StartsWith(old, StringComparison.Ordinal)
                ? name + "." + p.Name[old.Length..]
                : name + "." + p.Name;
        layer.Name = name;
    }
}
