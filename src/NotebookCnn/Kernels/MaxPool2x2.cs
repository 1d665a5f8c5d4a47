using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NotebookCnn;

/// <summary>
/// The kernel of the most common pooling, 2×2 windows with stride 2 and no padding (SimpleConvNet, LeNet-5):
/// eight windows at a time in 256-bit vectors (AVX2), then four in 128-bit vectors. <see cref="MaxPooling"/> uses it; the result is the same as its
/// general loop, value for value and argmax for argmax.
/// </summary>
/// <remarks>
/// Eight consecutive values of an input row hold the top halves of four windows: a, b, a, b, a, b, a, b.
/// Two shuffles split them into the four left values a and the four right values b; the same for the row
/// below gives c and d. The maximum is then found as in the scalar loop, in the order a, b, c, d with a
/// strict &gt; (the first maximum wins a tie), by selects on all four windows at once.
/// Backward runs the same shuffle the other way: these windows do not overlap and cover every pixel, so each
/// pixel is written once, with its window's gradient if it was the argmax and 0 otherwise (no clearing first,
/// no scattered adds).
/// With 256-bit vectors the shuffles work within each 128-bit half, so the eight windows come out in the order
/// 0, 1, 4, 5, 2, 3, 6, 7; the comparisons do not care, and one permute of 64-bit pairs puts the results back in order.
/// </remarks>
internal static class MaxPool2x2
{
    /// <summary>
    /// Pools one channel plane of width <paramref name="w"/> starting at <paramref name="inputStart"/> into
    /// <paramref name="oh"/>×<paramref name="ow"/> outputs at <paramref name="outputStart"/>; argmax receives the
    /// flat input index of each maximum.
    /// </summary>
    public static unsafe void Plane(float[] input, int inputStart, int w, float[] output, int[] argmax,
        int outputStart, int oh, int ow)
    {
        fixed (float* x = input, y = output)
        fixed (int* index = argmax)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                int top = inputStart + 2 * oy * w, o = outputStart + oy * ow, ox = 0;
                if (Avx2.IsSupported)
                    for (; ox + 8 <= ow; ox += 8)
                        EightWindows(x, top + 2 * ox, w, y + o + ox, index + o + ox);
                if (Sse2.IsSupported)
                    for (; ox + 4 <= ow; ox += 4)
                        FourWindows(x, top + 2 * ox, w, y + o + ox, index + o + ox);
                for (; ox < ow; ox++)
                    OneWindow(x, top + 2 * ox, w, y + o + ox, index + o + ox);
            }
        }
    }

    /// <summary>
    /// The backward of <see cref="Plane"/>: writes the whole input plane of width <paramref name="w"/> at
    /// <paramref name="inputStart"/> in <paramref name="dx"/>, each window's gradient to its argmax and 0 elsewhere.
    /// </summary>
    public static unsafe void BackwardPlane(float[] dout, int[] argmax, int outputStart, int oh, int ow,
        float[] dx, int inputStart, int w)
    {
        fixed (float* d = dout, g = dx)
        fixed (int* index = argmax)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                int top = inputStart + 2 * oy * w, o = outputStart + oy * ow, ox = 0;
                if (Avx2.IsSupported)
                    for (; ox + 8 <= ow; ox += 8)
                        EightWindowsBackward(d + o + ox, index + o + ox, top + 2 * ox, w, g);
                if (Sse2.IsSupported)
                    for (; ox + 4 <= ow; ox += 4)
                        FourWindowsBackward(d + o + ox, index + o + ox, top + 2 * ox, w, g);
                for (; ox < ow; ox++)
                {
                    int start = top + 2 * ox, best = index[o + ox];
                    float gradient = d[o + ox];
                    g[start] = best == start ? gradient : 0f;
                    g[start + 1] = best == start + 1 ? gradient : 0f;
                    g[start + w] = best == start + w ? gradient : 0f;
                    g[start + w + 1] = best == start + w + 1 ? gradient : 0f;
                }
            }
        }
    }

    // Windows whose top-left pixels are start, start + 2, start + 4, start + 6: each of their 16 pixels gets
    // the window's gradient where the argmax points at it, else 0; then a, b (and c, d) are interleaved back into rows.
    private static unsafe void FourWindowsBackward(float* d, int* index, int start, int w, float* dx)
    {
        Vector128<float> gradient = Sse.LoadVector128(d);
        Vector128<int> best = Sse2.LoadVector128(index);
        Vector128<int> a = Vector128.Create(start) + Vector128.Create(0, 2, 4, 6);
        Vector128<float> ga = Sse.And(Vector128.Equals(best, a).AsSingle(), gradient);
        Vector128<float> gb = Sse.And(Vector128.Equals(best, a + Vector128.Create(1)).AsSingle(), gradient);
        Vector128<float> gc = Sse.And(Vector128.Equals(best, a + Vector128.Create(w)).AsSingle(), gradient);
        Vector128<float> gd = Sse.And(Vector128.Equals(best, a + Vector128.Create(w + 1)).AsSingle(), gradient);
        Sse.Store(dx + start, Sse.UnpackLow(ga, gb));        // a0 b0 a1 b1
        Sse.Store(dx + start + 4, Sse.UnpackHigh(ga, gb));   // a2 b2 a3 b3
        Sse.Store(dx + start + w, Sse.UnpackLow(gc, gd));
        Sse.Store(dx + start + w + 4, Sse.UnpackHigh(gc, gd));
    }

    // Eight windows, top-left pixels start, start + 2, …, start + 14: FourWindows in 256-bit vectors.
    private static unsafe void EightWindows(float* x, int start, int w, float* y, int* index)
    {
        Vector256<float> top0 = Avx.LoadVector256(x + start), top1 = Avx.LoadVector256(x + start + 8);
        Vector256<float> bottom0 = Avx.LoadVector256(x + start + w), bottom1 = Avx.LoadVector256(x + start + w + 8);
        const byte Even = 0b10_00_10_00, Odd = 0b11_01_11_01;
        // Windows in the order 0, 1, 4, 5 | 2, 3, 6, 7 (each shuffle stays inside a 128-bit half).
        Vector256<float> a = Avx.Shuffle(top0, top1, Even), b = Avx.Shuffle(top0, top1, Odd);
        Vector256<float> c = Avx.Shuffle(bottom0, bottom1, Even), d = Avx.Shuffle(bottom0, bottom1, Odd);

        Vector256<float> best = a;
        Vector256<int> offset = Vector256<int>.Zero;
        Vector256<float> greater = Avx.CompareGreaterThan(b, best);
        best = Vector256.ConditionalSelect(greater, b, best);
        offset = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(1), offset);
        greater = Avx.CompareGreaterThan(c, best);
        best = Vector256.ConditionalSelect(greater, c, best);
        offset = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(w), offset);
        greater = Avx.CompareGreaterThan(d, best);
        best = Vector256.ConditionalSelect(greater, d, best);
        offset = Vector256.ConditionalSelect(greater.AsInt32(), Vector256.Create(w + 1), offset);

        // Pairs (0, 1), (4, 5), (2, 3), (6, 7) back to (0, 1), (2, 3), (4, 5), (6, 7).
        const byte InOrder = 0b11_01_10_00;
        Avx.Store(y, Avx2.Permute4x64(best.AsDouble(), InOrder).AsSingle());
        Vector256<int> windowStart = Vector256.Create(start) + Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        Avx.Store(index, windowStart + Avx2.Permute4x64(offset.AsInt64(), InOrder).AsInt32());
    }

    // The backward of EightWindows: FourWindowsBackward in 256-bit vectors, the windows here in order 0 … 7.
    private static unsafe void EightWindowsBackward(float* d, int* index, int start, int w, float* dx)
    {
        Vector256<float> gradient = Avx.LoadVector256(d);
        Vector256<int> best = Avx.LoadVector256(index);
        Vector256<int> a = Vector256.Create(start) + Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        Vector256<float> ga = Avx.And(Vector256.Equals(best, a).AsSingle(), gradient);
        Vector256<float> gb = Avx.And(Vector256.Equals(best, a + Vector256.Create(1)).AsSingle(), gradient);
        Vector256<float> gc = Avx.And(Vector256.Equals(best, a + Vector256.Create(w)).AsSingle(), gradient);
        Vector256<float> gd = Avx.And(Vector256.Equals(best, a + Vector256.Create(w + 1)).AsSingle(), gradient);
        // Unpacking works inside each 128-bit half: low = a0 b0 a1 b1 | a4 b4 a5 b5, high = a2 b2 a3 b3 | a6 b6 a7 b7.
        Vector256<float> low = Avx.UnpackLow(ga, gb), high = Avx.UnpackHigh(ga, gb);
        Avx.Store(dx + start, Avx.Permute2x128(low, high, 0x20));      // a0 b0 a1 b1 a2 b2 a3 b3
        Avx.Store(dx + start + 8, Avx.Permute2x128(low, high, 0x31));  // a4 b4 … a7 b7
        low = Avx.UnpackLow(gc, gd);
        high = Avx.UnpackHigh(gc, gd);
        Avx.Store(dx + start + w, Avx.Permute2x128(low, high, 0x20));
        Avx.Store(dx + start + w + 8, Avx.Permute2x128(low, high, 0x31));
    }

    // Windows whose top-left pixels are start, start + 2, start + 4, start + 6.
    private static unsafe void FourWindows(float* x, int start, int w, float* y, int* index)
    {
        Vector128<float> top0 = Sse.LoadVector128(x + start), top1 = Sse.LoadVector128(x + start + 4);
        Vector128<float> bottom0 = Sse.LoadVector128(x + start + w), bottom1 = Sse.LoadVector128(x + start + w + 4);
        const byte Even = 0b10_00_10_00, Odd = 0b11_01_11_01; // lanes 0, 2 of each input, and lanes 1, 3
        Vector128<float> a = Sse.Shuffle(top0, top1, Even), b = Sse.Shuffle(top0, top1, Odd);
        Vector128<float> c = Sse.Shuffle(bottom0, bottom1, Even), d = Sse.Shuffle(bottom0, bottom1, Odd);

        Vector128<float> best = a;
        Vector128<int> offset = Vector128<int>.Zero; // of the maximum from the window's top-left pixel
        Vector128<float> greater = Sse.CompareGreaterThan(b, best);
        best = Vector128.ConditionalSelect(greater, b, best);
        offset = Vector128.ConditionalSelect(greater.AsInt32(), Vector128.Create(1), offset);
        greater = Sse.CompareGreaterThan(c, best);
        best = Vector128.ConditionalSelect(greater, c, best);
        offset = Vector128.ConditionalSelect(greater.AsInt32(), Vector128.Create(w), offset);
        greater = Sse.CompareGreaterThan(d, best);
        best = Vector128.ConditionalSelect(greater, d, best);
        offset = Vector128.ConditionalSelect(greater.AsInt32(), Vector128.Create(w + 1), offset);

        Sse.Store(y, best);
        Sse2.Store(index, Vector128.Create(start) + Vector128.Create(0, 2, 4, 6) + offset);
    }

    private static unsafe void OneWindow(float* x, int start, int w, float* y, int* index)
    {
        int best = start;
        if (x[start + 1] > x[best]) best = start + 1;
        if (x[start + w] > x[best]) best = start + w;
        if (x[start + w + 1] > x[best]) best = start + w + 1;
        *y = x[best];
        *index = best;
    }
}
