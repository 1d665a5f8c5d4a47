namespace NotebookCnn;

/// <summary>
/// A loss compares a network's output with targets and returns one number to minimise.
/// <see cref="Backward"/> returns ∂loss/∂output for the last <see cref="Forward(Tensor, Tensor)"/>.
/// </summary>
public abstract class Loss
{
    /// <summary>The mean loss over the batch for targets given as a tensor of the output's shape (e.g. one-hot rows).</summary>
    public abstract float Forward(Tensor output, Tensor target);

    /// <summary>The mean loss over the batch for targets given as class indices.</summary>
    public virtual float Forward(Tensor output, int[] labels) => Forward(output, OneHot(labels, output.Dim(-1)));

    /// <summary>∂loss/∂output for the last forward call.</summary>
    public abstract Tensor Backward();

    /// <summary>Turns class indices into one-hot rows: label 3 of 10 → [0,0,0,1,0,0,0,0,0,0].</summary>
    public static Tensor OneHot(int[] labels, int classes)
    {
        var t = new Tensor(labels.Length, classes);
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"Label {labels[i]} at position {i} is outside 0..{classes - 1}.");
            t.Data[i * classes + labels[i]] = 1f;
        }
        return t;
    }
}
