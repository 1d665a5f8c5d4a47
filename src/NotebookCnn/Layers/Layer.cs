namespace NotebookCnn;

/// <summary>
/// The base of every layer: <see cref="Forward"/> computes the output and caches what
/// <see cref="Backward"/> needs; <see cref="Backward"/> takes ∂loss/∂output and returns ∂loss/∂input,
/// storing parameter gradients in <see cref="Parameters"/>.
/// </summary>
public abstract class Layer
{
    /// <summary>The layer's name, used in messages and parameter names (e.g. <c>conv1</c>).</summary>
    public string Name { get; set; }

    /// <summary>Creates a layer with the given name.</summary>
    protected Layer(string name) => Name = name;

    /// <summary>Computes the output for a batch <paramref name="x"/>.</summary>
    /// <param name="x">The input batch.</param>
    /// <param name="training">True while training (Dropout drops, BatchNorm uses batch statistics).</param>
    /// <remarks>
    /// For speed, layers may reuse the memory of the tensor they returned in training mode on their next
    /// training call with the same shape (no allocation per minibatch). <c>Clone()</c> a result you want to keep.
    /// Inference (<c>training: false</c>) returns a new tensor on every call you make; only <see cref="Evaluation"/>,
    /// which reads each batch's output before computing the next, lets the layers reuse them in inference too.
    /// Layers keep a reference to <paramref name="x"/> rather than a copy (Affine and Convolution read it again in
    /// <see cref="Backward"/>): change the input only after the backward pass.
    /// </remarks>
    public abstract Tensor Forward(Tensor x, bool training);

    /// <summary>Given ∂loss/∂output, stores parameter gradients and returns ∂loss/∂input. Never modifies <paramref name="dout"/>.</summary>
    /// <remarks>The returned gradient may be reused by the layer's next <c>Backward</c> of the same shape.</remarks>
    public abstract Tensor Backward(Tensor dout);

    /// <summary>
    /// Whether <see cref="Backward"/> must compute ∂loss/∂input (true by default). The first layer of a network
    /// feeds on the data, whose gradient nobody uses: <see cref="Trainer"/> turns this off there while it trains,
    /// as PyTorch skips the gradient of an input that does not require one.
    /// </summary>
    /// <remarks>
    /// Layers with parameters (<see cref="Convolution"/>, <see cref="Affine"/>) honour it: when false, their
    /// <c>Backward</c> still stores the parameter gradients but skips ∂loss/∂input and returns
    /// <see cref="NoInputGradient"/>. For Convolution that saves about a third of the backward pass.
    /// Other layers ignore it (their input gradient costs little). A <see cref="Sequential"/> passes it on to its first layer.
    /// </remarks>
    public virtual bool InputGradientNeeded { get; set; } = true;

    /// <summary>
    /// What <c>Backward</c> returns when <see cref="InputGradientNeeded"/> is false: an empty tensor (shape [0]),
    /// so that using the missing gradient by mistake fails on its shape instead of giving wrong numbers.
    /// </summary>
    public static Tensor NoInputGradient { get; } = new(0);

    /// <summary>The learnable parameters (empty for layers without any).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => Array.Empty<Parameter>();

    /// <summary>Non-learnable state saved with the model (e.g. BatchNorm's running mean and variance).</summary>
    public virtual IReadOnlyList<(string Name, Tensor Value)> Buffers => Array.Empty<(string, Tensor)>();

    /// <summary>The output shape for an input of shape <paramref name="inputShape"/> (batch dimension included).</summary>
    public abstract int[] OutputShape(int[] inputShape);

    /// <summary>The number of learnable values.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Value.Length);
}
