using NotebookCnn;

namespace NotebookCnn.Bench;

/// <summary>The networks of the course, built the same way in every peer (see peers/pytorch_bench.py, TorchSharpServer.cs).</summary>
internal static class Networks
{
    public const int TrainBatch = 100;
    public const int InferBatch = 1000;

    /// <summary>Names in the order the bench runs them; the final ratio lines use these names.</summary>
    public static readonly string[] Names = ["SimpleConvNet", "MLP", "LeNet-5"];

    public static Sequential Create(string name) => name switch
    {
        // 1×28×28 → conv 30×5×5 → ReLU → max-pool 2 → 100 → ReLU → 10
        "SimpleConvNet" => new Sequential(
            new Convolution(1, 30, 5, seed: 1), new Relu(), new MaxPooling(2), new Flatten(),
            new Affine(30 * 12 * 12, 100, seed: 2), new Relu(), new Affine(100, 10, seed: 3)),
        // 784 → 100 → 100 → 10
        "MLP" => new Sequential(
            new Flatten(), new Affine(784, 100, seed: 1), new Relu(),
            new Affine(100, 100, seed: 2), new Relu(), new Affine(100, 10, seed: 3)),
        // conv 6×5×5 pad 2 → ReLU → pool 2 → conv 16×5×5 → ReLU → pool 2 → 120 → 84 → 10
        "LeNet-5" => new Sequential(
            new Convolution(1, 6, 5, padding: 2, seed: 1), new Relu(), new MaxPooling(2),
            new Convolution(6, 16, 5, seed: 2), new Relu(), new MaxPooling(2), new Flatten(),
            new Affine(16 * 5 * 5, 120, seed: 3), new Relu(), new Affine(120, 84, seed: 4), new Relu(),
            new Affine(84, 10, seed: 5)),
        _ => throw new ArgumentException($"Unknown network '{name}'. Known: {string.Join(", ", Names)}."),
    };

    /// <summary>Forward and backward multiply-adds ×2 per training image (convolutions and affine layers only).</summary>
    public static double TrainFlopsPerImage(string name) => 3 * InferFlopsPerImage(name);

    /// <summary>Forward multiply-adds ×2 per image (convolutions and affine layers only).</summary>
    public static double InferFlopsPerImage(string name) => name switch
    {
        "SimpleConvNet" => 2.0 * (24 * 24 * 30 * 25 + 4320 * 100 + 100 * 10),
        "MLP" => 2.0 * (784 * 100 + 100 * 100 + 100 * 10),
        "LeNet-5" => 2.0 * (28 * 28 * 6 * 25 + 10 * 10 * 16 * 150 + 400 * 120 + 120 * 84 + 84 * 10),
        _ => 0,
    };

    /// <summary>
    /// The matrix-multiply shapes (m, n, k, transposes as the layers call Gemm) the networks use in training, plus 1024³.
    /// A convolution multiplies one image at a time (one image per core): those rows are marked <c>OneImage</c> and run on one thread.
    /// Peers multiply the same m, n, k without transposes.
    /// </summary>
    public static readonly (string Label, int M, int N, int K, bool TransposeA, bool TransposeB, bool OneImage)[] MatMulShapes =
    [
        ("SimpleConvNet conv fwd (W·colᵀ)", 30, 576, 25, false, false, true),
        ("SimpleConvNet conv dW (dout·col)", 30, 25, 576, false, true, true),
        ("LeNet-5 conv2 fwd (W·colᵀ)", 16, 100, 150, false, false, true),
        ("LeNet-5 conv2 dcol (Wᵀ·dout)", 150, 100, 16, true, false, true),
        ("SimpleConvNet affine1 fwd", 100, 100, 4320, false, false, false),
        ("SimpleConvNet affine1 dW", 4320, 100, 100, true, false, false),
        ("SimpleConvNet affine1 dx", 100, 4320, 100, false, true, false),
        ("MLP affine1 fwd", 100, 100, 784, false, false, false),
        ("MLP affine2 fwd", 100, 100, 100, false, false, false),
        ("square 1024", 1024, 1024, 1024, false, false, false),
    ];
}
