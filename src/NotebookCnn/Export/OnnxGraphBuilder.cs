using Proto = Onnx;

namespace NotebookCnn;

/// <summary>
/// Builds the ONNX graph of a network, one layer at a time: each layer becomes one or a few ONNX nodes, its
/// parameters become initialisers. Every value in the graph is named after the layer that computes it
/// (<c>conv1</c>, <c>residual1.body.relu1</c>), so the graph reads like <see cref="Sequential.Summary"/>.
/// </summary>
/// <remarks>
/// Only the layer types listed in <see cref="Exportable"/> are exported, matched by their exact type: a class
/// derived from one of them may compute something else in its Forward, so it is refused rather than guessed.
/// </remarks>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> _names = [];
    private readonly Dictionary<string, Proto.NodeProto> _producers = [];

    /// <summary>The layer types ONNX export knows, as named in error messages.</summary>
    public static readonly IReadOnlyList<Type> Exportable =
    [
        typeof(Convolution), typeof(Affine), typeof(Relu), typeof(LeakyRelu), typeof(PRelu), typeof(Sigmoid), typeof(Tanh),
        typeof(MaxPooling), typeof(AveragePooling), typeof(GlobalAveragePooling), typeof(BatchNorm), typeof(Dropout),
        typeof(Flatten), typeof(Residual), typeof(Softmax), typeof(Sequential),
    ];

    /// <summary>Starts an empty graph called <paramref name="name"/>.</summary>
    public OnnxGraphBuilder(string name) => Graph = new Proto.GraphProto { Name = name };

    /// <summary>The graph built so far.</summary>
    public Proto.GraphProto Graph { get; }

    /// <summary>Declares the graph's float32 input [batch, …<paramref name="exampleShape"/>].</summary>
    public void AddInput(string name, int[] exampleShape)
    {
        Reserve(name);
        Graph.Input.Add(ValueInfo(name, exampleShape));
    }

    /// <summary>
    /// Declares <paramref name="value"/> as the graph's output, renamed <paramref name="name"/> [batch, …<paramref name="exampleShape"/>].
    /// A network that computes nothing at inference (only Dropout) gets an Identity node.
    /// </summary>
    public void SetOutput(string value, string name, int[] exampleShape)
    {
        if (_producers.TryGetValue(value, out var node))
            node.Output[node.Output.IndexOf(value)] = name;
        else
            Graph.Node.Add(Node("Identity", name, [value], name));
        Graph.Output.Add(ValueInfo(name, exampleShape));
    }

    /// <summary>Adds <paramref name="layers"/> in order, starting from the value <paramref name="x"/> of shape <paramref name="shape"/> (batch included).</summary>
    /// <returns>The name and shape of the last layer's output.</returns>
    public (string Value, int[] Shape) AddLayers(IEnumerable<Layer> layers, string scope, string x, int[] shape)
    {
        foreach (var layer in layers)
            (x, shape) = AddLayer(layer, Join(scope, string.IsNullOrEmpty(layer.Name) ? layer.GetType().Name.ToLowerInvariant() : layer.Name), x, shape);
        return (x, shape);
    }

    /// <summary>
    /// Adds the nodes that compute <paramref name="layer"/>'s inference output from the value <paramref name="x"/>,
    /// whose shape (batch included) is <paramref name="shape"/>. <paramref name="path"/> names the layer in the graph.
    /// </summary>
    private (string Value, int[] Shape) AddLayer(Layer layer, string path, string x, int[] shape)
    {
        if (!Exportable.Contains(layer.GetType()))
            throw new NotSupportedException(
                $"OnnxFile.Save cannot export layer '{path}' ({layer.GetType().Name}): ONNX export knows "
                + $"{string.Join(", ", Exportable.Select(t => t.Name))}. Remove the layer or export the network without it.");
        int[] outputShape = layer.OutputShape(shape);
        switch (layer)
        {
            case Sequential sequential:
                return AddLayers(sequential.Layers, path, x, shape);

            case Convolution conv:
                // Conv reads W [F, C, KH, KW] and b [F] exactly as the layer stores them.
                return (Add("Conv", path, [x, Initializer(path + ".weight", conv.Weight.Value), Initializer(path + ".bias", conv.Bias.Value)],
                    Ints("kernel_shape", conv.KernelHeight, conv.KernelWidth), Ints("strides", conv.Stride, conv.Stride),
                    Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding)), outputShape);

            case Affine affine:
                // Affine flattens any [N, …] input itself; Gemm needs [N, D]. Gemm: y = x · W + b with W [D, M] as stored.
                if (shape.Length != 2) x = Add("Flatten", path + ".flatten", [x], Int("axis", 1));
                return (Add("Gemm", path, [x, Initializer(path + ".weight", affine.Weight.Value), Initializer(path + ".bias", affine.Bias.Value)]),
                    outputShape);

            case Relu:
                return (Add("Relu", path, [x]), outputShape);

            case LeakyRelu leaky:
                return (Add("LeakyRelu", path, [x], Float("alpha", leaky.Slope)), outputShape);

            case PRelu prelu:
                // One slope per channel: [C, 1, 1] broadcasts over [N, C, H, W], [C] over [N, C].
                int[] slopeShape = shape.Length == 4 ? [prelu.Channels, 1, 1] : [prelu.Channels];
                return (Add("PRelu", path, [x, Initializer(path + ".slope", prelu.Slope.Value, slopeShape)]), outputShape);

            case Sigmoid:
                return (Add("Sigmoid", path, [x]), outputShape);

            case Tanh:
                return (Add("Tanh", path, [x]), outputShape);

            case MaxPooling pool:
                // ONNX pads MaxPool with −∞, as the layer does; the library's sizes divide exactly, so ceil_mode does not matter.
                return (Add("MaxPool", path, [x], PoolingWindow(pool)), outputShape);

            case AveragePooling pool:
                // The layer divides by size·size also where the window covers padding: count_include_pad = 1.
                return (Add("AveragePool", path, [x], [.. PoolingWindow(pool), Int("count_include_pad", 1)]), outputShape);

            case GlobalAveragePooling:
                // GlobalAveragePool keeps [N, C, 1, 1]; the layer gives [N, C].
                string pooled = Add("GlobalAveragePool", path + ".pool", [x]);
                return (Add("Flatten", path, [pooled], Int("axis", 1)), outputShape);

            case BatchNorm bn:
                // The inference form: y = γ · (x − running mean) / √(running variance + ε) + β, per channel.
                return (Add("BatchNormalization", path,
                    [x, Initializer(path + ".gamma", bn.Gamma.Value), Initializer(path + ".beta", bn.Beta.Value),
                     Initializer(path + ".runningMean", bn.RunningMean), Initializer(path + ".runningVariance", bn.RunningVariance)],
                    Float("epsilon", bn.Epsilon)), outputShape);

            case Dropout:
                return (x, outputShape); // inference keeps every unit unscaled (inverted dropout scales while training)

            case Flatten:
                return (Add("Flatten", path, [x], Int("axis", 1)), outputShape);

            case Softmax:
                return (Add("Softmax", path, [x], Int("axis", 1)), outputShape);

            case Residual residual:
                var (body, _) = AddLayer(residual.Body, path + ".body", x, shape);
                string shortcut = residual.Shortcut is null ? x : AddLayer(residual.Shortcut, path + ".shortcut", x, shape).Value;
                if (!residual.ReluAfterSum) return (Add("Add", path, [body, shortcut]), outputShape);
                string sum = Add("Add", path + ".sum", [body, shortcut]);
                return (Add("Relu", path, [sum]), outputShape);

            default:
                throw new InvalidOperationException($"OnnxFile.Save: layer type {layer.GetType().Name} is listed as exportable but has no translation.");
        }
    }

    private static Proto.AttributeProto[] PoolingWindow(Pooling pool) =>
    [
        Ints("kernel_shape", pool.Size, pool.Size), Ints("strides", pool.Stride, pool.Stride),
        Ints("pads", pool.Padding, pool.Padding, pool.Padding, pool.Padding),
    ];

    /// <summary>Adds one node with one output, named <paramref name="name"/> like the node itself; returns the output's name.</summary>
    private string Add(string op, string name, string[] inputs, params Proto.AttributeProto[] attributes)
    {
        string output = Reserve(name);
        var node = Node(op, output, inputs, output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        _producers[output] = node;
        return output;
    }

    private static Proto.NodeProto Node(string op, string name, string[] inputs, string output) =>
        new() { OpType = op, Name = name, Input = { inputs }, Output = { output } };

    /// <summary>Adds a float32 initialiser holding <paramref name="value"/> with its own dimensions or <paramref name="dims"/>.</summary>
    private string Initializer(string name, Tensor value, int[]? dims = null)
    {
        var tensor = new Proto.TensorProto { Name = Reserve(name), DataType = (int)Proto.TensorProto.Types.DataType.Float };
        foreach (int d in dims ?? value.ShapeArray()) tensor.Dims.Add(d);
        tensor.FloatData.AddRange(value.Data);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float32 tensor type [batch, …<paramref name="exampleShape"/>] with a symbolic batch dimension.</summary>
    private static Proto.ValueInfoProto ValueInfo(string name, int[] exampleShape)
    {
        var shape = new Proto.TensorShapeProto();
        shape.Dim.Add(new Proto.TensorShapeProto.Types.Dimension { DimParam = OnnxFile.BatchDimension });
        foreach (int d in exampleShape) shape.Dim.Add(new Proto.TensorShapeProto.Types.Dimension { DimValue = d });
        return new Proto.ValueInfoProto
        {
            Name = name,
            Type = new Proto.TypeProto
            {
                TensorType = new Proto.TypeProto.Types.Tensor { ElemType = (int)Proto.TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }

    private static Proto.AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Int, I = value };

    private static Proto.AttributeProto Ints(string name, params long[] values) =>
        new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Ints, Ints = { values } };

    private static Proto.AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>Claims a value name; a name already used (two layers of the same name in different blocks) gets a suffix.</summary>
    private string Reserve(string name)
    {
        string unique = name;
        for (int k = 2; !_names.Add(unique); k++) unique = $"{name}_{k}";
        return unique;
    }

    private static string Join(string scope, string name) => scope.Length == 0 ? name : $"{scope}.{name}";
}
