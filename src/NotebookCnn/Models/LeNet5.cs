namespace NotebookCnn;

/// <summary>Ready-made networks and architecture tables for the course (chapter 10).</summary>
public static partial class Models
{
    /// <summary>
    /// LeNet-5 (LeCun et al. 1998, "Gradient-based learning applied to document recognition") for 28×28 images:
    /// conv 6×5×5 (padding 2) → activation → pool 2 → conv 16×5×5 → activation → pool 2 → 120 → 84 → classes.
    /// </summary>
    /// <remarks>
    /// The paper read 32×32 images (MNIST's 28×28 digits centred in a larger frame); padding 2 on 28×28 gives the
    /// same 28×28 maps after the first 5×5 convolution. Its activation was a scaled tanh, 1.7159·tanh(2x/3); its
    /// "subsampling" layers averaged 2×2 windows and then applied a trainable coefficient, a bias and a sigmoid;
    /// C3 connected each of its 16 maps to only some of the 6 input maps; C5 was a 5×5 convolution on 16×5×5,
    /// i.e. a fully connected layer 400 → 120 (the same numbers as the Affine here); the output was a layer of
    /// radial basis functions. This version keeps the shape and the parameter count of the standard modern
    /// reading: every layer fully connected to the previous one, softmax output, ReLU and max pooling by default.
    /// For the older flavour pass <c>activation: () =&gt; new Tanh(), pooling: () =&gt; new AveragePooling(2)</c>.
    /// </remarks>
    /// <param name="activation">Makes each activation layer; ReLU by default.</param>
    /// <param name="pooling">Makes each pooling layer; 2×2 max pooling by default.</param>
    /// <param name="inChannels">Channels of the input images (1 for MNIST).</param>
    /// <param name="classes">Output classes.</param>
    public static Architecture LeNet5Architecture(Func<Layer>? activation = null, Func<Layer>? pooling = null, int inChannels = 1, int classes = 10)
    {
        activation ??= () => new Relu();
        pooling ??= () => new MaxPooling(2);
        return new Architecture("LeNet-5", inChannels, 28, 28)
            .Convolution(6, 5, padding: 2).Add(activation).Add(pooling)    // C1 → S2: 6×28×28 → 6×14×14
            .Convolution(16, 5).Add(activation).Add(pooling)               // C3 → S4: 16×10×10 → 16×5×5
            .Flatten().Affine(120).Add(activation)                         // C5: 400 → 120
            .Affine(84).Add(activation)                                    // F6
            .Affine(classes);                                              // output
    }

    /// <summary>LeNet-5 as a trainable network (see <see cref="LeNet5Architecture"/> for the layers and their history).</summary>
    /// <param name="activation">Makes each activation layer; ReLU by default.</param>
    /// <param name="pooling">Makes each pooling layer; 2×2 max pooling by default.</param>
    /// <param name="inChannels">Channels of the input images (1 for MNIST).</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="initializer">How weights are drawn; He by default (Xavier or LeCun suit tanh).</param>
    /// <param name="seed">Seed of the initial weights.</param>
    public static Sequential LeNet5(Func<Layer>? activation = null, Func<Layer>? pooling = null, int inChannels = 1, int classes = 10,
        Initializer? initializer = null, int seed = 0) =>
        LeNet5Architecture(activation, pooling, inChannels, classes).Build(seed, initializer);
}
