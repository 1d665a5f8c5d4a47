namespace NotebookCnn;

/// <summary>
/// Labelled examples: <see cref="Inputs"/> with the batch as first dimension (images [N, 1, 28, 28],
/// points [N, 2]) and one class index per example in <see cref="Labels"/>.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset; the first dimension of <paramref name="inputs"/> must equal the number of labels.</summary>
    public Dataset(Tensor inputs, int[] labels, IReadOnlyList<string> classNames, string name = "dataset")
    {
        if (inputs.Rank == 0 || inputs.Dim(0) != labels.Length)
            throw new ArgumentException(
                $"Dataset '{name}' has {(inputs.Rank == 0 ? 0 : inputs.Dim(0))} inputs but {labels.Length} labels.");
        foreach (int label in labels)
            if ((uint)label >= (uint)classNames.Count)
                throw new ArgumentException($"Dataset '{name}' has label {label}, outside 0..{classNames.Count - 1}.");
        Inputs = inputs;
        Labels = labels;
        ClassNames = classNames;
        Name = name;
    }

    /// <summary>The inputs; the first dimension indexes examples.</summary>
    public Tensor Inputs { get; }

    /// <summary>The class index of each example.</summary>
    public int[] Labels { get; }

    /// <summary>The name of each class, e.g. "0"…"9" or "T-shirt/top".</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>A short name such as "mnist-train".</summary>
    public string Name { get; }

    /// <summary>The number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>The number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The shape of one example, e.g. [1, 28, 28].</summary>
    public int[] ExampleShape => Inputs.ShapeArray()[1..];

    /// <summary>A new dataset with copies of the examples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        int size = Inputs.Length / Math.Max(1, Count);
        var shape = Inputs.ShapeArray();
        shape[0] = indices.Count;
        var inputs = new Tensor(shape);
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int k = indices[i];
            if ((uint)k >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {k} is outside 0..{Count - 1} of dataset '{Name}'.");
            Array.Copy(Inputs.Data, (long)k * size, inputs.Data, (long)i * size, size);
            labels[i] = Labels[k];
        }
        return new Dataset(inputs, labels, ClassNames, name ?? Name);
    }

    /// <summary>The first <paramref name="count"/> examples (all if fewer).</summary>
    public Dataset Take(int count) => Subset(Enumerable.Range(0, Math.Min(count, Count)).ToArray(), Name);

    /// <summary>How many examples each class has.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"Dataset '{Name}': {Count} examples of shape {Tensor.FormatShape(ExampleShape)}, {ClassCount} classes";
}
