using System.Globalization;
using System.Text;

namespace NotebookCnn;

/// <summary>
/// Writes a tensor's values as nested brackets, one matrix row per line, the way a student checks them
/// on paper: <c>[[1, 2, 3],</c> / <c> [4, 5, 6]]</c>. Blocks of a 3-D or 4-D tensor are separated by blank lines.
/// </summary>
public static class TensorText
{
    /// <summary>
    /// The values of <paramref name="tensor"/> as nested brackets, right-aligned in columns.
    /// Axes longer than <paramref name="maxPerAxis"/> show their first and last values around "…".
    /// </summary>
    /// <param name="tensor">The tensor to write.</param>
    /// <param name="decimals">Digits after the decimal point at most (trailing zeros are dropped: 2, 1.5, 0.25).</param>
    /// <param name="maxPerAxis">How many entries of an axis are written before the middle is elided.</param>
    public static string Format(Tensor tensor, int decimals = 2, int maxPerAxis = 8)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerAxis, 2);
        string format = decimals == 0 ? "0" : "0." + new string('#', decimals);
        string[] texts = tensor.Data.Select(v => Clean(v.ToString(format, CultureInfo.InvariantCulture))).ToArray();
        int width = texts.Length == 0 ? 1 : texts.Max(t => t.Length);
        var sb = new StringBuilder();
        if (tensor.Rank == 0) return texts[0];
        Append(sb, texts, tensor.ShapeArray(), 0, 0, width, maxPerAxis);
        return sb.ToString();
    }

    // Writes axis `axis` of the block that starts at `offset` in the flat data.
    private static void Append(StringBuilder sb, string[] texts, int[] shape, int axis, int offset, int width, int maxPerAxis)
    {
        bool last = axis == shape.Length - 1;
        int step = 1;
        for (int d = axis + 1; d < shape.Length; d++) step *= shape[d];
        sb.Append('[');
        bool first = true;
        foreach (int? i in Shown(shape[axis], maxPerAxis))
        {
            if (!first)
            {
                // Inner rows start under the previous row; a 3-D block gets one blank line, a 4-D batch two.
                if (last) sb.Append(", ");
                else sb.Append(',').Append('\n', shape.Length - 1 - axis).Append(' ', axis + 1);
            }
            first = false;
            if (i is not int index) sb.Append(last ? "…".PadLeft(width) : "…");
            else if (last) sb.Append(texts[offset + index].PadLeft(width));
            else Append(sb, texts, shape, axis + 1, offset + index * step, width, maxPerAxis);
        }
        sb.Append(']');
    }

    // The indices written for an axis of `size` entries; null stands for the elided middle.
    private static IEnumerable<int?> Shown(int size, int maxPerAxis)
    {
        if (size <= maxPerAxis)
        {
            for (int i = 0; i < size; i++) yield return i;
            yield break;
        }
        int half = maxPerAxis / 2;
        for (int i = 0; i < half; i++) yield return i;
        yield return null;
        for (int i = size - half; i < size; i++) yield return i;
    }

    // "-0" (a tiny negative value rounded away) reads as a mistake; write it as "0".
    private static string Clean(string text) => text == "-0" ? "0" : text;
}
