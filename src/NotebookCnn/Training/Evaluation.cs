namespace NotebookCnn;

/// <summary>
/// Runs a model in inference mode (<c>training: false</c>: no dropout, BatchNorm uses its running
/// statistics) over a dataset in batches, to measure loss and accuracy or get predictions.
/// </summary>
public static class Evaluation
{
    /// <summary>The model's outputs for all <paramref name="inputs"/> (first dimension = examples), computed in batches.</summary>
    public static Tensor Outputs(Layer model, Tensor inputs, int batchSize = 100)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        RequireBatchSize(batchSize);
        int n = inputs.Dim(0);
        Tensor? result = null, batch = null;
        int outputSize = 0;
        using var reuse = OutputBuffer.ReuseInInference(); // each output is copied into result before the next batch
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            batch = NextBatch(inputs, start, count, batch);
            Tensor output = model.Forward(batch, training: false);
            if (result is null)
            {
                var outShape = output.ShapeArray();
                outputSize = output.Length / count;
                outShape[0] = n;
                result = new Tensor(outShape);
            }
            Array.Copy(output.Data, 0, result.Data, (long)start * outputSize, (long)count * outputSize);
        }
        return result ?? new Tensor(0, 0);
    }

    /// <summary>The predicted class of each example: the index of its largest output.</summary>
    public static int[] Predict(Layer model, Tensor inputs, int batchSize = 100)
    {
        var outputs = Outputs(model, inputs, batchSize);
        return outputs.Rank == 2 ? outputs.ArgMaxRows() : outputs.Reshape(outputs.Dim(0), -1).ArgMaxRows();
    }

    /// <summary>The fraction of examples whose predicted class equals the label, in [0, 1].</summary>
    public static float Accuracy(Layer model, Dataset data, int batchSize = 100) =>
        Accuracy(Predict(model, data.Inputs, batchSize), data.Labels);

    /// <summary>The fraction of <paramref name="predictions"/> equal to <paramref name="labels"/>.</summary>
    public static float Accuracy(int[] predictions, int[] labels)
    {
        if (predictions.Length != labels.Length)
            throw new ArgumentException($"Accuracy needs one prediction per label: got {predictions.Length} predictions and {labels.Length} labels.");
        if (labels.Length == 0) return 0f;
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
            if (predictions[i] == labels[i]) correct++;
        return (float)correct / labels.Length;
    }

    /// <summary>
    /// The mean loss and the accuracy of <paramref name="model"/> on <paramref name="data"/> (or on its first
    /// <paramref name="limit"/> examples), computed in batches in inference mode.
    /// </summary>
    public static (float Loss, float Accuracy) Evaluate(Layer model, Loss loss, Dataset data, int batchSize = 100, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(data);
        RequireBatchSize(batchSize);
        int n = Math.Min(data.Count, limit ?? data.Count);
        if (n <= 0) return (float.NaN, float.NaN);

        // Each batch's mean loss is weighted by its size, so a smaller last batch counts for what it holds.
        double lossSum = 0;
        int correct = 0;
        Tensor? batch = null;
        using var reuse = OutputBuffer.ReuseInInference(); // each output is read before the next batch
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            batch = NextBatch(data.Inputs, start, count, batch);
            var labels = data.Labels.AsSpan(start, count).ToArray();

            Tensor output = model.Forward(batch, training: false);
            lossSum += (double)loss.Forward(output, labels) * count;
            int[] predicted = (output.Rank == 2 ? output : output.Reshape(count, -1)).ArgMaxRows();
            for (int i = 0; i < count; i++)
                if (predicted[i] == labels[i]) correct++;
        }
        return ((float)(lossSum / n), (float)correct / n);
    }

    /// <summary>
    /// The confusion matrix: entry [true class, predicted class] counts the examples of each pair; the
    /// diagonal holds the correct predictions.
    /// </summary>
    public static int[,] ConfusionMatrix(Layer model, Dataset data, int batchSize = 100)
    {
        int[] predicted = Predict(model, data.Inputs, batchSize);
        var matrix = new int[data.ClassCount, data.ClassCount];
        for (int i = 0; i < predicted.Length; i++)
        {
            if ((uint)predicted[i] >= (uint)data.ClassCount)
                throw new InvalidOperationException(
                    $"The model predicts class {predicted[i]} but dataset '{data.Name}' has only {data.ClassCount} classes.");
            matrix[data.Labels[i], predicted[i]]++;
        }
        return matrix;
    }

    /// <summary>Examples start … start + count − 1 of <paramref name="inputs"/>, copied into <paramref name="previous"/> when it has room for exactly that many.</summary>
    private static Tensor NextBatch(Tensor inputs, int start, int count, Tensor? previous)
    {
        int exampleSize = inputs.Length / inputs.Dim(0);
        Tensor? batch = previous;
        if (batch is null || batch.Dim(0) != count)
        {
            var shape = inputs.ShapeArray();
            shape[0] = count;
            batch = new Tensor(shape);
        }
        Array.Copy(inputs.Data, (long)start * exampleSize, batch.Data, 0, (long)count * exampleSize);
        return batch;
    }

    private static void RequireBatchSize(int batchSize)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"The batch size must be at least 1, got {batchSize}.");
    }
}
