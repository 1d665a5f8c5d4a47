namespace NotebookCnn;

/// <summary>
/// The size of each layer's weight gradient, ‖∂L/∂W‖ (the L2 norm over all its values). Plotted layer by layer
/// it shows vanishing gradients: in a deep plain sigmoid net the first layers' norms are orders of magnitude
/// smaller than the last ones' (chapters 05 and 10).
/// </summary>
public static class GradientNorms
{
    /// <summary>
    /// ‖∂L/∂W‖ for every weight (not bias, γ or β) of <paramref name="network"/>, first layer first, as stored by
    /// the last Backward. The name is the parameter's without ".weight" (e.g. <c>conv3</c>, <c>residual2.body.conv1</c>).
    /// </summary>
    public static IReadOnlyList<GradientNorm> PerLayer(Layer network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Parameters.Where(p => p.IsWeight).Select(p =>
        {
            double sum = 0;
            foreach (float g in p.Gradient.Data) sum += (double)g * g;
            string layer = p.Name.EndsWith(".weight", StringComparison.Ordinal) ? p.Name[..^".weight".Length] : p.Name;
            return new GradientNorm(layer, Math.Sqrt(sum));
        }).ToArray();
    }

    /// <summary>Runs one forward (training mode) and backward pass of <paramref name="network"/> and <paramref name="loss"/> on a batch, then returns <see cref="PerLayer"/>.</summary>
    /// <param name="network">The network; its parameter gradients are overwritten.</param>
    /// <param name="loss">The loss, e.g. <see cref="SoftmaxCrossEntropy"/>.</param>
    /// <param name="x">An input batch.</param>
    /// <param name="labels">The batch's class labels.</param>
    public static IReadOnlyList<GradientNorm> Compute(Layer network, Loss loss, Tensor x, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        loss.Forward(network.Forward(x, training: true), labels);
        network.Backward(loss.Backward());
        return PerLayer(network);
    }
}

/// <summary>One layer's gradient size: its name and ‖∂L/∂W‖.</summary>
/// <param name="Layer">The layer, e.g. <c>conv3</c>.</param>
/// <param name="Norm">The L2 norm of its weight gradient.</param>
public sealed record GradientNorm(string Layer, double Norm);
