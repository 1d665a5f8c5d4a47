namespace NotebookCnn;

public static partial class Models
{
    /// <summary>
    /// A small ResNet for 28×28 images: a 3×3 stem convolution, three <see cref="Residual.Basic"/> blocks
    /// (C → C, C → 2C with a projection shortcut, 2C → 4C with stride 2), global average pooling and one
    /// Affine layer: [1, 28, 28] → [C, 28, 28] → [C, 14, 14] → [2C, 14, 14] → [2C, 7, 7] → [4C, 4, 4] → [4C] → classes.
    /// </summary>
    /// <remarks>
    /// ResNet halves the size with stride-2 blocks. This library's output size (H + 2P − K)/S + 1 must be a whole
    /// number, which for a 3×3 kernel with padding 1 and stride 2 needs an odd H; so 28 → 14 → 7 is done by max
    /// pooling (ResNet's own stem pools too) and only the last block, on 7×7, uses stride 2.
    /// </remarks>
    /// <param name="inChannels">Channels of the input images.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="channels">C, the stem's channels.</param>
    /// <param name="batchNorm">Whether the stem and the blocks use BatchNorm.</param>
    /// <param name="seed">Seed of the initial weights.</param>
    public static Sequential SmallResNet(int inChannels = 1, int classes = 10, int channels = 16, bool batchNorm = true, int seed = 0)
    {
        LayerInput.RequirePositive(nameof(SmallResNet), nameof(channels), channels);
        var net = new Sequential(new Convolution(inChannels, channels, 3, padding: Padding.Same(3), seed: seed));
        if (batchNorm) net.Add(new BatchNorm(channels));
        net.Add(new Relu());
        net.Add(Residual.Basic(channels, channels, batchNorm: batchNorm, seed: seed + 10));
        net.Add(new MaxPooling(2));
        net.Add(Residual.Basic(channels, 2 * channels, batchNorm: batchNorm, seed: seed + 20));
        net.Add(new MaxPooling(2));
        net.Add(Residual.Basic(2 * channels, 4 * channels, stride: 2, batchNorm: batchNorm, seed: seed + 30));
        net.Add(new GlobalAveragePooling());
        net.Add(new Affine(4 * channels, classes, seed: seed + 40));
        net.Name = "SmallResNet";
        return net;
    }
}
