using Google.Protobuf;
using Proto = Onnx;

namespace NotebookCnn;

/// <summary>
/// Saves (exports) a trained network as an ONNX file (Open Neural Network Exchange), the format that ONNX Runtime,
/// PyTorch, TensorFlow.js, Netron and phone runtimes read: a way to take a network out of this kit.
/// <see cref="ModelFile"/> saves only the weights for this library; an ONNX file holds the layers too.
/// </summary>
/// <remarks>
/// <para>The file holds the inference form of the network (<c>Forward(x, training: false)</c>): operator set 17,
/// every weight as a float32 initialiser with its real dimensions (named like the library's parameters,
/// <c>conv1.weight</c>), one input <c>input</c> [batch, …] and one output <c>output</c> [batch, …], where
/// <c>batch</c> is a symbolic dimension, so the exported model takes any batch size.</para>
/// <para>Layer by layer: Convolution → Conv, Affine → Gemm (after a Flatten when its input is not [N, D]),
/// Relu, LeakyRelu, PRelu, Sigmoid, Tanh and Softmax → the operators of the same names, MaxPooling → MaxPool,
/// AveragePooling → AveragePool (padded zeros count, as here), GlobalAveragePooling → GlobalAveragePool + Flatten,
/// BatchNorm → BatchNormalization with the running statistics, Flatten → Flatten, Residual → its body and
/// shortcut, Add (and Relu), nested Sequential → its layers. Dropout is left out: at inference it passes
/// its input through unchanged.</para>
/// <para>The file is written to a temporary file in the same folder and then renamed over the target, so a
/// crash while writing never leaves a half-written model behind.</para>
/// <para>The protobuf messages are OnnxSharp's types generated from the ONNX schema, in the namespace <c>Onnx</c>.
/// That is why this class is not called <c>Onnx</c>: in a notebook, that namespace would hide it.</para>
/// </remarks>
/// <example>
/// <code>
/// OnnxFile.Save(net, [1, 28, 28], "simple-conv-net.onnx");
/// // Python: onnxruntime.InferenceSession("simple-conv-net.onnx").run(None, {"input": images})
/// </code>
/// </example>
public static class OnnxFile
{
    /// <summary>The ONNX operator set the files use: 17 (ONNX 1.12, 2022), which every current runtime reads.</summary>
    public const int OpsetVersion = 17;

    /// <summary>The ONNX file-format (IR) version: 8, the first that allows operator set 17, so older readers accept the file too.</summary>
    public const int IrVersion = 8;

    /// <summary>The name of the graph's input, <c>input</c>: a float32 tensor [batch, …inputShape].</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph's output, <c>output</c>: what <c>Forward(x, training: false)</c> returns.</summary>
    public const string OutputName = "output";

    /// <summary>The name of the symbolic batch dimension of the input and the output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> as an ONNX model, atomically.</summary>
    /// <param name="model">The network, as trained: its current weights and BatchNorm running statistics are exported.</param>
    /// <param name="inputShape">The shape of one example without the batch dimension, e.g. [1, 28, 28] (see <see cref="Dataset.ExampleShape"/>).</param>
    /// <param name="path">The file to write, e.g. <c>model.onnx</c>; its folder is created if needed, an existing file is replaced.</param>
    /// <exception cref="ArgumentException">The input shape does not fit the model (the message names the layer).</exception>
    /// <exception cref="NotSupportedException">The model holds a layer ONNX export does not know (the message names it).</exception>
    public static void Save(Sequential model, int[] inputShape, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var onnx = ToModel(model, inputShape); // before any file is touched: an unsupported layer leaves nothing behind
        AtomicFile.Write(path, onnx.WriteTo);
    }

    /// <summary>The ONNX model of <paramref name="model"/>, in memory (what <see cref="Save"/> writes).</summary>
    internal static Proto.ModelProto ToModel(Sequential model, int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException(
                $"OnnxFile.Save: inputShape must be the positive shape of one example without the batch dimension, e.g. [1, 28, 28]; got {Tensor.FormatShape(inputShape)}.",
                nameof(inputShape));
        model.OutputShape([1, .. inputShape]); // the library's own check, whose message names the layer that does not fit

        var graph = new OnnxGraphBuilder(string.IsNullOrEmpty(model.Name) ? "model" : model.Name);
        graph.AddInput(InputName, inputShape);
        var (output, outputShape) = graph.AddLayers(model.Layers, scope: "", InputName, [1, .. inputShape]);
        graph.SetOutput(output, OutputName, outputShape[1..]);

        return new Proto.ModelProto
        {
            IrVersion = IrVersion,
            OpsetImport = { new Proto.OperatorSetIdProto { Domain = "", Version = OpsetVersion } },
            ProducerName = "NotebookCnn",
            ProducerVersion = typeof(OnnxFile).Assembly.GetName().Version?.ToString() ?? "",
            DocString = $"Sequential '{model.Name}' exported for inference: input [batch, {string.Join(", ", inputShape)}].",
            Graph = graph.Graph,
        };
    }
}
