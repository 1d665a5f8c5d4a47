namespace NotebookCnn;

/// <summary>
/// Global average pooling: each channel's whole H×W map is averaged to one number, [N, C, H, W] → [N, C].
/// It replaces the large flatten-and-fully-connected head of older networks (Lin et al. 2014,
/// "Network in Network"; ResNet ends this way), has no parameters and accepts any image size.
/// Backward spreads each gradient evenly: every position of the map receives gradient / (H·W).
/// </summary>
public class GlobalAveragePooling : Layer
{
    private int[]? _inputShape;   // [N, C, H, W] of the last Forward: all Backward needs
    private int[]? _outputShape;

    /// <summary>Creates a global-average-pooling layer.</summary>
    /// <param name="name">The layer's name; "globalaveragepooling" unless given.</param>
    public GlobalAveragePooling(string? name = null) : base(name ?? "globalaveragepooling") { }

    /// <summary>y[n, c] = (1 / (H·W)) Σ over h, w of x[n, c, h, w].</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var outputShape = OutputShape(x.ShapeArray());
        var y = new Tensor(outputShape);
        int planes = outputShape[0] * outputShape[1], planeSize = x.Dim(2) * x.Dim(3);
        float[] input = x.Data, output = y.Data;
        for (int plane = 0; plane < planes; plane++)
        {
            double sum = 0; // double: a 224×224 plane is 50,176 values
            for (int i = plane * planeSize, end = i + planeSize; i < end; i++) sum += input[i];
            output[plane] = (float)(sum / planeSize);
        }
        _inputShape = x.ShapeArray();
        _outputShape = outputShape;
        return y;
    }

    /// <summary>dx[n, c, h, w] = dout[n, c] / (H·W): every position contributed equally to the mean.</summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _outputShape);
        var dx = new Tensor(_inputShape!);
        int planeSize = _inputShape![2] * _inputShape[3];
        float[] d = dout.Data, result = dx.Data;
        for (int plane = 0; plane < d.Length; plane++)
            Array.Fill(result, d[plane] / planeSize, plane * planeSize, planeSize);
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        LayerInput.RequireRank(this, inputShape, "[N, C, H, W]", 4);
        return [inputShape[0], inputShape[1]];
    }

    /// <inheritdoc />
    public override string ToString() => $"GlobalAveragePooling {Name}";
}
