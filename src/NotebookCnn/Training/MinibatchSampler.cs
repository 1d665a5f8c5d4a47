namespace NotebookCnn;

/// <summary>
/// Cuts a dataset into minibatches in a random order: each pass (epoch) is a fresh seeded shuffle, and every
/// example appears exactly once per pass. When the number of examples is not a multiple of the batch size,
/// the last batch of a pass is smaller.
/// </summary>
/// <remarks>
/// Sampling without replacement: drawing each batch independently at random (as some references do)
/// shows some examples twice per epoch and others never. The shuffle is Fisher–Yates with the given
/// <see cref="Random"/>, so the same seed gives the same batches on every run.
/// The tensors returned by <see cref="Next"/> are reused buffers: they hold the batch until the next call.
/// </remarks>
public sealed class MinibatchSampler
{
    private readonly Dataset _data;
    private readonly Random _random;
    private readonly int[] _order;
    private readonly int _exampleSize;
    private readonly Dictionary<int, (Tensor Inputs, int[] Labels)> _buffers = new();
    private int _position;

    /// <summary>Creates a sampler over <paramref name="data"/> with batches of <paramref name="batchSize"/> examples.</summary>
    public MinibatchSampler(Dataset data, int batchSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(random);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be at least 1, got {batchSize}.");
        if (data.Count == 0)
            throw new ArgumentException($"Dataset '{data.Name}' is empty: there is nothing to train on.", nameof(data));
        _data = data;
        _random = random;
        BatchSize = batchSize;
        _order = Enumerable.Range(0, data.Count).ToArray();
        _exampleSize = data.Inputs.Length / data.Count;
        _position = data.Count; // the first call to Next shuffles
    }

    /// <summary>Creates a sampler seeded with <paramref name="seed"/>.</summary>
    public MinibatchSampler(Dataset data, int batchSize, int seed) : this(data, batchSize, Rng.Create(seed)) { }

    /// <summary>The number of examples per batch (the last batch of a pass may have fewer).</summary>
    public int BatchSize { get; }

    /// <summary>Batches per pass over the data: ⌈N / batchSize⌉.</summary>
    public int BatchesPerEpoch => (_data.Count + BatchSize - 1) / BatchSize;

    /// <summary>How many passes have started (1 during the first epoch).</summary>
    public int Epoch { get; private set; }

    /// <summary>The indices (into the dataset) of the examples of the latest batch.</summary>
    public ArraySegment<int> LastIndices { get; private set; }

    /// <summary>The next minibatch: inputs [B, …] and their labels. Starts a new shuffled pass when the current one is used up.</summary>
    public (Tensor Inputs, int[] Labels) Next()
    {
        if (_position >= _order.Length)
        {
            Shuffle();
            _position = 0;
            Epoch++;
        }
        int count = Math.Min(BatchSize, _order.Length - _position);
        var indices = new ArraySegment<int>(_order, _position, count);
        _position += count;
        LastIndices = indices;

        var (inputs, labels) = BufferFor(count);
        for (int i = 0; i < count; i++)
        {
            int k = indices[i];
            Array.Copy(_data.Inputs.Data, (long)k * _exampleSize, inputs.Data, (long)i * _exampleSize, _exampleSize);
            labels[i] = _data.Labels[k];
        }
        return (inputs, labels);
    }

    private void Shuffle()
    {
        // Fisher–Yates: swap each position with a random earlier-or-same one.
        for (int i = _order.Length - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
    }

    private (Tensor Inputs, int[] Labels) BufferFor(int count)
    {
        if (!_buffers.TryGetValue(count, out var buffer))
        {
            var shape = _data.Inputs.ShapeArray();
            shape[0] = count;
            buffer = (new Tensor(shape), new int[count]);
            _buffers.Add(count, buffer);
        }
        return buffer;
    }
}
