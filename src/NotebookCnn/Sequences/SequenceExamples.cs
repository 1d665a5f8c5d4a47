namespace NotebookCnn;

/// <summary>
/// A batch of sequence examples with a label at every time step.
/// </summary>
/// <param name="Inputs">[N, T] token ids (for <see cref="Embedding"/> / <see cref="OneHot"/>) or [N, T, D] features.</param>
/// <param name="Targets">N·T class labels, sequence after sequence (the rows of [N, T, V] scores seen as [N·T, V]).</param>
/// <param name="Classes">V: how many classes each target can take.</param>
public sealed record SequenceExamples(Tensor Inputs, int[] Targets, int Classes)
{
    /// <summary>N: the number of sequences.</summary>
    public int Count => Inputs.Dim(0);

    /// <summary>T: labelled time steps per sequence (usually the input's length; for sequence-to-sequence inputs, the target's).</summary>
    public int Steps => Targets.Length / Count;

    /// <summary>The targets of sequence <paramref name="index"/> (T labels).</summary>
    public int[] TargetsOf(int index) => Targets.AsSpan(index * Steps, Steps).ToArray();
}
