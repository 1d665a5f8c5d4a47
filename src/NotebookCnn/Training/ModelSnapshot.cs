namespace NotebookCnn;

/// <summary>
/// A copy of a model's learnable parameters and buffers (e.g. BatchNorm's running statistics) at one moment,
/// which can be written back later. Early stopping uses it to return to the best epoch's weights.
/// </summary>
public sealed class ModelSnapshot
{
    private readonly Tensor[] _parameters;
    private readonly Tensor[] _buffers;

    private ModelSnapshot(Tensor[] parameters, Tensor[] buffers)
    {
        _parameters = parameters;
        _buffers = buffers;
    }

    /// <summary>Copies the current parameter values and buffers of <paramref name="model"/>.</summary>
    public static ModelSnapshot Capture(Layer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelSnapshot(
            model.Parameters.Select(p => p.Value.Clone()).ToArray(),
            model.Buffers.Select(b => b.Value.Clone()).ToArray());
    }

    /// <summary>Writes the copied values back into <paramref name="model"/> (the same model, or one of the same architecture).</summary>
    public void RestoreTo(Layer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameters = model.Parameters;
        var buffers = model.Buffers;
        if (parameters.Count != _parameters.Length || buffers.Count != _buffers.Length)
            throw new ArgumentException(
                $"The snapshot holds {_parameters.Length} parameters and {_buffers.Length} buffers, " +
                $"but model '{model.Name}' has {parameters.Count} and {buffers.Count}.");
        for (int i = 0; i < parameters.Count; i++) parameters[i].Value.CopyFrom(_parameters[i]);
        for (int i = 0; i < buffers.Count; i++) buffers[i].Value.CopyFrom(_buffers[i]);
    }
}
