namespace NotebookCnn;

public static partial class Models
{
    /// <summary>
    /// A deep "plain" stack of <paramref name="depth"/> 3×3 convolutions (padding 1), each followed by the activation,
    /// then global average pooling and an Affine layer. Its twin <see cref="ResidualNet"/> has the same layers and,
    /// for the same seed, the same weights, plus a skip connection around each convolution after the first: comparing
    /// their gradient norms (<see cref="GradientNorms"/>) shows what the skip connections change.
    /// </summary>
    /// <param name="depth">The number of convolutions (at least 1).</param>
    /// <param name="channels">Channels of every convolution.</param>
    /// <param name="activation">Makes each activation layer; ReLU by default (try <c>() =&gt; new Sigmoid()</c>).</param>
    /// <param name="initializer">How weights are drawn; He by default.</param>
    /// <param name="inChannels">Channels of the input images (any height and width works).</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="seed">Seed of the initial weights; layer i uses seed + i.</param>
    public static Sequential PlainNet(int depth, int channels = 8, Func<Layer>? activation = null, Initializer? initializer = null,
        int inChannels = 1, int classes = 10, int seed = 0) =>
        DeepStack(depth, channels, activation, initializer, inChannels, classes, seed, residual: false);

    /// <summary>
    /// <see cref="PlainNet"/> with skip connections: after the first convolution, each h → activation(conv(h)) becomes
    /// h → h + activation(conv(h)) (a <see cref="Residual"/> with an identity shortcut and no ReLU after the sum, so the
    /// skip path is a pure identity from the last block to the first).
    /// </summary>
    /// <inheritdoc cref="PlainNet" path="/param"/>
    public static Sequential ResidualNet(int depth, int channels = 8, Func<Layer>? activation = null, Initializer? initializer = null,
        int inChannels = 1, int classes = 10, int seed = 0) =>
        DeepStack(depth, channels, activation, initializer, inChannels, classes, seed, residual: true);

    private static Sequential DeepStack(int depth, int channels, Func<Layer>? activation, Initializer? initializer,
        int inChannels, int classes, int seed, bool residual)
    {
        LayerInput.RequirePositive(residual ? nameof(ResidualNet) : nameof(PlainNet), nameof(depth), depth);
        activation ??= () => new Relu();
        int same = Padding.Same(3);
        var net = new Sequential(new Convolution(inChannels, channels, 3, padding: same, initializer: initializer, seed: seed), activation());
        for (int i = 1; i < depth; i++)
        {
            var conv = new Convolution(channels, channels, 3, padding: same, initializer: initializer, seed: seed + i);
            if (residual) net.Add(new Residual(new Sequential(conv, activation()), reluAfterSum: false));
            else
            {
                net.Add(conv);
                net.Add(activation());
            }
        }
        net.Add(new GlobalAveragePooling());
        net.Add(new Affine(channels, classes, initializer, seed: seed + depth));
        net.Name = residual ? $"ResidualNet{depth}" : $"PlainNet{depth}";
        return net;
    }
}
