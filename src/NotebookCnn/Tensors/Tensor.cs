using System.Globalization;
using System.Text;

namespace NotebookCnn;

/// <summary>
/// An n-dimensional array of <see cref="float"/> values stored row-major (the last index varies fastest).
/// Images use the NCHW layout: [batch, channels, height, width].
/// </summary>
/// <remarks>
/// A tensor is a shape plus a flat <see cref="Data"/> array. <see cref="Reshape"/> returns a new view that
/// shares the same array, so reshaping never copies.
/// </remarks>
public sealed class Tensor
{
    private readonly int[] _shape;

    /// <summary>The values, row-major. Its length is the product of <see cref="Shape"/>.</summary>
    public float[] Data { get; }

    /// <summary>The size of each dimension, e.g. [100, 1, 28, 28].</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of values (the product of the shape).</summary>
    public int Length => Data.Length;

    /// <summary>Creates a tensor of zeros with the given shape.</summary>
    public Tensor(params int[] shape) : this(new float[CheckedLength(shape)], shape) { }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of the given shape.</summary>
    /// <exception cref="ArgumentException">The data length does not match the shape.</exception>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        int length = CheckedLength(shape);
        if (data.Length != length)
            throw new ArgumentException(
                $"Tensor data has {data.Length} values but shape {FormatShape(shape)} needs {length}.", nameof(data));
        Data = data;
        _shape = (int[])shape.Clone();
    }

    /// <summary>The size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => _shape[axis < 0 ? _shape.Length + axis : axis];

    /// <summary>A copy of the shape as an array.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>The values as a span, for fast loops.</summary>
    public Span<float> AsSpan() => Data;

    /// <summary>Element access for a 1-D tensor.</summary>
    public float this[int i]
    {
        get => Data[Offset(i)];
        set => Data[Offset(i)] = value;
    }

    /// <summary>Element access for a 2-D tensor [row, column].</summary>
    public float this[int i, int j]
    {
        get => Data[Offset(i, j)];
        set => Data[Offset(i, j)] = value;
    }

    /// <summary>Element access for a 3-D tensor.</summary>
    public float this[int i, int j, int k]
    {
        get => Data[Offset(i, j, k)];
        set => Data[Offset(i, j, k)] = value;
    }

    /// <summary>Element access for a 4-D tensor [n, c, h, w].</summary>
    public float this[int n, int c, int h, int w]
    {
        get => Data[Offset(n, c, h, w)];
        set => Data[Offset(n, c, h, w)] = value;
    }

    private int Offset(params ReadOnlySpan<int> index)
    {
        if (index.Length != _shape.Length)
            throw new ArgumentException(
                $"Tensor of shape {FormatShape(_shape)} needs {_shape.Length} indices, got {index.Length}.");
        int offset = 0;
        for (int d = 0; d < index.Length; d++)
        {
            if ((uint)index[d] >= (uint)_shape[d])
                throw new IndexOutOfRangeException(
                    $"Index {index[d]} is out of range for dimension {d} of size {_shape[d]} (shape {FormatShape(_shape)}).");
            offset = offset * _shape[d] + index[d];
        }
        return offset;
    }

    /// <summary>
    /// Returns a tensor with a new shape that shares this tensor's data (no copy).
    /// One dimension may be -1: it is inferred from the others.
    /// </summary>
    /// <exception cref="ArgumentException">The new shape holds a different number of values.</exception>
    public Tensor Reshape(params int[] shape)
    {
        int[] resolved = (int[])shape.Clone();
        int inferAt = Array.IndexOf(resolved, -1);
        if (inferAt >= 0)
        {
            int known = 1;
            for (int d = 0; d < resolved.Length; d++)
                if (d != inferAt) known *= resolved[d];
            if (known <= 0 || Length % known != 0)
                throw new ArgumentException(
                    $"Cannot reshape {FormatShape(_shape)} ({Length} values) to {FormatShape(shape)}.");
            resolved[inferAt] = Length / known;
        }
        if (CheckedLength(resolved) != Length)
            throw new ArgumentException(
                $"Cannot reshape {FormatShape(_shape)} ({Length} values) to {FormatShape(shape)} ({CheckedLength(resolved)} values).");
        return new Tensor(Data, resolved);
    }

    /// <summary>A deep copy (new data array).</summary>
    public Tensor Clone() => new((float[])Data.Clone(), _shape);

    /// <summary>A tensor of zeros with the same shape.</summary>
    public Tensor ZerosLike() => new(_shape);

    /// <summary>Sets every value to zero.</summary>
    public void Clear() => Array.Clear(Data);

    /// <summary>Fills every value with <paramref name="value"/>.</summary>
    public void Fill(float value) => Array.Fill(Data, value);

    /// <summary>Copies the values of <paramref name="source"/>, which must have the same shape.</summary>
    public void CopyFrom(Tensor source)
    {
        RequireSameShape(source, "CopyFrom");
        source.Data.CopyTo(Data, 0);
    }

    /// <summary>Creates a tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(shape);

    /// <summary>Creates a tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = new Tensor(shape);
        t.Fill(value);
        return t;
    }

    /// <summary>Creates a 1-D tensor holding a copy of <paramref name="values"/>.</summary>
    public static Tensor FromArray(float[] values) => new((float[])values.Clone(), values.Length);

    /// <summary>Creates a 2-D tensor from a rectangular array, e.g. <c>new float[,] {{1, 2}, {3, 4}}</c>.</summary>
    public static Tensor FromArray(float[,] values)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var t = new Tensor(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                t.Data[i * cols + j] = values[i, j];
        return t;
    }

    /// <summary>Values drawn from a normal distribution with mean 0 and the given standard deviation.</summary>
    /// <param name="std">Standard deviation.</param>
    /// <param name="random">The seeded source of randomness (see <see cref="Rng"/>).</param>
    /// <param name="shape">The shape of the result.</param>
    public static Tensor RandomNormal(float std, Random random, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = std * Rng.NextGaussian(random);
        return t;
    }

    /// <summary>Values drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor RandomUniform(float low, float high, Random random, params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = low + (high - low) * random.NextSingle();
        return t;
    }

    /// <summary>True when both tensors have the same shape.</summary>
    public bool SameShape(Tensor other) => _shape.AsSpan().SequenceEqual(other._shape);

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="where"/> unless the shapes match.</summary>
    public void RequireSameShape(Tensor other, string where)
    {
        if (!SameShape(other))
            throw new ArgumentException(
                $"{where} expects shape {FormatShape(_shape)}, got {FormatShape(other._shape)}.");
    }

    /// <summary>The index of the largest value in each row of a 2-D tensor (the predicted class).</summary>
    public int[] ArgMaxRows()
    {
        if (Rank != 2) throw new InvalidOperationException($"ArgMaxRows needs a 2-D tensor, got shape {FormatShape(_shape)}.");
        int rows = _shape[0], cols = _shape[1];
        var result = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            var row = Data.AsSpan(i * cols, cols);
            int best = 0;
            for (int j = 1; j < cols; j++)
                if (row[j] > row[best]) best = j;
            result[i] = best;
        }
        return result;
    }

    /// <summary>The sum of all values (accumulated in double).</summary>
    public double Sum()
    {
        double s = 0;
        foreach (float v in Data) s += v;
        return s;
    }

    /// <summary>The mean of all values.</summary>
    public double Mean() => Length == 0 ? 0 : Sum() / Length;

    /// <summary>Formats a shape the way messages in this library show it: [100, 1, 28, 28].</summary>
    public static string FormatShape(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>Shows the shape and the first few values.</summary>
    public override string ToString()
    {
        const int Shown = 8;
        var sb = new StringBuilder();
        sb.Append("Tensor ").Append(FormatShape(_shape)).Append(' ');
        sb.Append('[');
        for (int i = 0; i < Math.Min(Shown, Length); i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Data[i].ToString("0.####", CultureInfo.InvariantCulture));
        }
        if (Length > Shown) sb.Append(", … (").Append(Length - Shown).Append(" more)");
        sb.Append(']');
        return sb.ToString();
    }

    private static int CheckedLength(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Tensor dimensions must be zero or more, got shape {FormatShape(shape)}.");
            length *= d;
            if (length > Array.MaxLength)
                throw new ArgumentException($"Tensor of shape {FormatShape(shape)} is too large.");
        }
        return (int)length;
    }
}
