namespace NotebookCnn.Bench;

/// <summary>One implementation under test. Every call runs a fixed amount of work and returns its wall time in seconds.</summary>
internal interface IContender : IDisposable
{
    /// <summary>The name in the table and the ratio lines: notebookcnn, pytorch, torchsharp.</summary>
    string Name { get; }

    /// <summary>Library and runtime versions, for RESULTS.md.</summary>
    string Description { get; }

    /// <summary>Runs <paramref name="iterations"/> Adam steps on minibatches of 100.</summary>
    double Train(string network, int iterations);

    /// <summary>Runs <paramref name="iterations"/> inference passes on batches of 1000.</summary>
    double Infer(string network, int iterations);

    /// <summary>Runs <paramref name="iterations"/> multiplies of an m×k by a k×n matrix.</summary>
    double MatMul(int m, int n, int k, bool transposeA, bool transposeB, int iterations);
}

/// <summary>The random MNIST-shaped data every peer uses: 8 training minibatches to cycle through, and one test batch.</summary>
internal sealed class RandomData
{
    public const int DistinctBatches = 8;

    public RandomData(int seed)
    {
        var random = Rng.Create(seed);
        for (int i = 0; i < DistinctBatches; i++)
        {
            var images = new Tensor(Networks.TrainBatch, 1, 28, 28);
            for (int j = 0; j < images.Length; j++) images.Data[j] = random.NextSingle();
            Images.Add(images);
            Labels.Add(Enumerable.Range(0, Networks.TrainBatch).Select(_ => random.Next(10)).ToArray());
        }
        TestImages = new Tensor(Networks.InferBatch, 1, 28, 28);
        for (int j = 0; j < TestImages.Length; j++) TestImages.Data[j] = random.NextSingle();
    }

    public List<Tensor> Images { get; } = [];
    public List<int[]> Labels { get; } = [];
    public Tensor TestImages { get; }
}
