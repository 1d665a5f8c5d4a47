namespace NotebookCnn;

public static partial class Models
{
    /// <summary>
    /// A multilayer perceptron: <paramref name="hiddenLayers"/> blocks of Affine → [BatchNorm] → activation → [Dropout],
    /// then an Affine layer to <paramref name="classes"/> scores. E.g. <c>Models.Mlp(784, 100, hiddenLayers: 4)</c> is
    /// 784 → 100 → 100 → 100 → 100 → 10 with ReLU and He initialisation (the network of chapters 05–08).
    /// </summary>
    /// <param name="inputSize">Values per example (784 for a 28×28 image; images are flattened by the first Affine layer).</param>
    /// <param name="hiddenSize">Units of every hidden layer.</param>
    /// <param name="hiddenLayers">The number of hidden blocks (0 gives a single Affine layer: softmax regression).</param>
    /// <param name="classes">Output scores.</param>
    /// <param name="activation">Makes each activation layer; ReLU by default.</param>
    /// <param name="initializer">How every Affine layer's weights are drawn; He by default.</param>
    /// <param name="batchNorm">Adds BatchNorm between each hidden Affine layer and its activation (chapter 07).</param>
    /// <param name="dropout">Adds Dropout with this ratio after each hidden activation when above 0 (chapter 08).</param>
    /// <param name="seed">Seed of the initial weights: Affine layer l (from 0) uses seed + l, the Dropout of block l seed + 100 + l.</param>
    public static Sequential Mlp(int inputSize, int hiddenSize, int hiddenLayers, int classes = 10, Func<Layer>? activation = null,
        Initializer? initializer = null, bool batchNorm = false, float dropout = 0f, int seed = 0)
    {
        if (hiddenLayers < 0)
            throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers, $"Mlp needs hiddenLayers ≥ 0, got {hiddenLayers}.");
        activation ??= () => new Relu();
        var net = new Sequential();
        int inputs = inputSize;
        for (int l = 0; l < hiddenLayers; l++)
        {
            net.Add(new Affine(inputs, hiddenSize, initializer, seed: seed + l));
            if (batchNorm) net.Add(new BatchNorm(hiddenSize));
            net.Add(activation());
            if (dropout > 0) net.Add(new Dropout(dropout, seed: seed + 100 + l));
            inputs = hiddenSize;
        }
        net.Add(new Affine(inputs, classes, initializer, seed: seed + hiddenLayers));
        return net;
    }
}
