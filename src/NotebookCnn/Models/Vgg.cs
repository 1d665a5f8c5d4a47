namespace NotebookCnn;

public static partial class Models
{
    /// <summary>
    /// A small VGG-style network (after Simonyan &amp; Zisserman 2015, "Very Deep Convolutional Networks for Large-Scale
    /// Image Recognition"): stages of 3×3 convolutions with padding 1 (which keep the size), each stage ending in a 2×2
    /// max pooling that halves the size while the next stage doubles the channels; then two fully connected layers.
    /// </summary>
    /// <remarks>
    /// Two stacked 3×3 convolutions see a 5×5 window with 2·9·C² weights instead of 25·C², and put a ReLU in between:
    /// VGG's argument for small kernels. With the defaults on 28×28: 16×28×28 → 16×14×14 → 32×14×14 → 32×7×7 → 128 → 10.
    /// </remarks>
    /// <param name="inChannels">Channels of the input images.</param>
    /// <param name="imageSize">Height = width of the input; must halve exactly at every stage.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="firstChannels">Channels of the first stage; each later stage has twice as many.</param>
    /// <param name="stages">Number of (convolutions, pooling) stages.</param>
    /// <param name="convolutionsPerStage">3×3 convolutions in each stage.</param>
    /// <param name="hiddenUnits">Units of the hidden fully connected layer.</param>
    /// <param name="batchNorm">Whether to put a BatchNorm after each convolution (a later addition, not in the paper).</param>
    public static Architecture VggArchitecture(int inChannels = 1, int imageSize = 28, int classes = 10, int firstChannels = 16,
        int stages = 2, int convolutionsPerStage = 2, int hiddenUnits = 128, bool batchNorm = false)
    {
        LayerInput.RequirePositive(nameof(VggArchitecture), nameof(stages), stages);
        var channels = Enumerable.Range(0, stages).Select(s => firstChannels << s).ToArray();
        var convolutions = Enumerable.Repeat(convolutionsPerStage, stages).ToArray();
        return VggStages(new Architecture("VGG-style", inChannels, imageSize, imageSize), channels, convolutions, batchNorm)
            .Flatten().Affine(hiddenUnits).Relu().Affine(classes);
    }

    /// <summary>The small VGG-style network as a trainable network (see <see cref="VggArchitecture"/>).</summary>
    /// <param name="inChannels">Channels of the input images.</param>
    /// <param name="imageSize">Height = width of the input; must halve exactly at every stage.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="firstChannels">Channels of the first stage; each later stage has twice as many.</param>
    /// <param name="stages">Number of (convolutions, pooling) stages.</param>
    /// <param name="convolutionsPerStage">3×3 convolutions in each stage.</param>
    /// <param name="hiddenUnits">Units of the hidden fully connected layer.</param>
    /// <param name="batchNorm">Whether to put a BatchNorm after each convolution.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    public static Sequential Vgg(int inChannels = 1, int imageSize = 28, int classes = 10, int firstChannels = 16,
        int stages = 2, int convolutionsPerStage = 2, int hiddenUnits = 128, bool batchNorm = false, int seed = 0) =>
        VggArchitecture(inChannels, imageSize, classes, firstChannels, stages, convolutionsPerStage, hiddenUnits, batchNorm).Build(seed);

    /// <summary>
    /// VGG-16 (configuration D of Simonyan &amp; Zisserman) for 3×224×224 images: 13 convolutions 3×3 in five stages of
    /// 64, 128, 256, 512, 512 channels, each stage followed by 2×2 max pooling (224 → 7), then fully connected
    /// 25,088 → 4,096 → 4,096 → classes with dropout. 138,357,544 parameters for 1,000 classes, 102,764,544 of them
    /// in the first fully connected layer. A table only: call <see cref="Architecture.Build"/> to allocate the
    /// weights (553 MB as float32), which is too large to train here.
    /// </summary>
    /// <param name="classes">Output classes (1,000 for ImageNet).</param>
    public static Architecture Vgg16Architecture(int classes = 1000) =>
        VggStages(new Architecture("VGG-16", 3, 224, 224), [64, 128, 256, 512, 512], [2, 2, 3, 3, 3], batchNorm: false)
            .Flatten()
            .Affine(4096).Relu().Dropout(0.5f)
            .Affine(4096).Relu().Dropout(0.5f)
            .Affine(classes);

    // Stage s: convolutions[s] × (conv 3×3, padding 1 → [BN] → ReLU), then 2×2 max pooling.
    private static Architecture VggStages(Architecture architecture, int[] channels, int[] convolutions, bool batchNorm)
    {
        for (int s = 0; s < channels.Length; s++)
        {
            for (int i = 0; i < convolutions[s]; i++)
            {
                architecture.Convolution(channels[s], 3, padding: Padding.Same(3));
                if (batchNorm) architecture.BatchNorm();
                architecture.Relu();
            }
            architecture.MaxPooling(2);
        }
        return architecture;
    }
}
