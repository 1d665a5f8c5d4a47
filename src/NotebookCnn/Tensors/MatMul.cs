using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NotebookCnn;

// How this matrix multiply is fast (read this before the code).
//
// The obvious triple loop  C[i,j] += A[i,p] · B[p,j]  computes the right numbers but spends most of its
// time waiting for memory: every multiply-add loads two values, and for big matrices those values have
// long left the cache. The scheme below (the one used by BLIS/GotoBLAS) reorganises the same sums so
// that each value loaded from memory is used many times while it sits in a register or in a cache:
//
//   for jc in columns of C, NC at a time            (a block of B that fits in L3)
//     for pc in the shared dimension, KC at a time   (the k-blocks: always in the same order)
//       pack B[pc.., jc..] into panels NR columns wide, stored so the micro-kernel reads it in order
//       for ic in rows of C, MC at a time
//         pack A[ic.., pc..] into panels MR rows high   (a block of A that stays in L2)
//         for each MR×NR tile of C in the block: the micro-kernel
//
// The micro-kernel keeps an MR×NR tile of C in registers (6×16 floats = 12 AVX registers of 8 floats,
// or 6×32 = 12 AVX-512 registers) and, for each p of the k-block, broadcasts one value of A per row and
// does one fused multiply-add per register: 12 FMAs for 2 loads of B and 6 broadcasts of A.
// Packing is what makes this possible: it copies (and, for transposed operands, transposes) the
// operands once per block into the exact order the micro-kernel walks, so all four combinations of
// transposeA/transposeB share one micro-kernel, and edge tiles are padded with zeros. Narrow edges get
// narrower kernels, so less of the work is on padding: a last panel of at most 16 columns is packed 16 wide
// (run by the 6×16 kernel; a 32-wide panel would compute 22 columns of zeros for 10 classes), one of at
// most 8 columns 8 wide (6×8: n = 100 leaves 4), and a last row panel of 4 rows (m = 16, m = 100) runs a
// 4-row kernel instead of multiplying 2 rows of zeros. An FMA gives the same value in any register width
// and every variant sums in the same order, so the numbers do not change.
//
// Threads: a large C is cut into strips (of rows, or of columns when C is wide), and each strip is an
// independent smaller product run by the loops above on one thread. One parallel loop per call, no
// waiting between k-blocks.
//
// Determinism: every element of C is summed in the same order whatever the number of threads: the
// micro-kernel sums one k-block from zero in order p = 0, 1, …, KC−1, then adds that partial sum to C,
// k-block after k-block in a fixed order. Strips only ever divide C, never the k-sum, so a run on one
// core and a run on two cores give bit-identical results.

/// <summary>
/// Matrix multiplication C = op(A) · op(B), the kernel under Affine and Convolution.
/// </summary>
/// <remarks>
/// Blocked for the caches, vectorised with AVX2/FMA or AVX-512 when the processor has them (with a
/// scalar fallback elsewhere), and run on all cores for large products. Results do not depend on the
/// number of threads. See the comment at the top of the source file for the scheme.
/// </remarks>
public static class MatMul
{
    /// <summary>Which micro-kernel runs the MR×NR tiles.</summary>
    internal enum Kernel
    {
        /// <summary>Plain C# loops; runs on any processor.</summary>
        Scalar,
        /// <summary>6×16 tile in twenty-four 128-bit registers: portable (SSE on x86, NEON on ARM), no FMA.</summary>
        Vector128,
        /// <summary>6×16 tile in twelve 256-bit registers with fused multiply-add (AVX2 + FMA).</summary>
        Avx2,
        /// <summary>6×32 tile in twelve 512-bit registers (AVX-512F).</summary>
        Avx512,
    }

    // Block sizes. KC·NR floats of B (16 KB for NR = 16) stay in L1 while a micro-kernel runs;
    // MC·KC floats of A (120 KB) stay in L2; KC·NC floats of B (3 MB) stay in L3.
    // The packing buffers have 32 floats to spare: up to 15 are lost to alignment, and packing A may write 2 past the end.
    // KC is a constant (never depends on threads or sizes) because it fixes the order of the k-sum.
    private const int KC = 256;
    private const int MC = 120;  // a multiple of MR
    private const int NC = 3072; // a multiple of every NR
    private const int MR = 6;
    private const int MaxNR = 32;

    // Below about 80³ multiply-adds one thread is as fast as two; above, two strips pay for handing one to the other
    // core (measured: the MLP's 100×100×100 runs 1.5× faster on two). A strip is at least MinStrip rows or columns
    // so that re-packing the shared operand in every strip stays cheap.
    private const long ParallelThreshold = 1L << 19;
    private const int MinStrip = 48;

    /// <summary>The fastest micro-kernel this processor supports.</summary>
    internal static readonly Kernel BestKernel =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? Kernel.Avx512
        : Fma.IsSupported && Avx.IsSupported ? Kernel.Avx2
        : Vector128.IsHardwareAccelerated ? Kernel.Vector128
        : Kernel.Scalar;

    /// <summary>
    /// C = op(A) · op(B), or C += op(A) · op(B) when <paramref name="accumulate"/> is true.
    /// op(A) is m×k and op(B) is k×n; C is m×n, all row-major.
    /// </summary>
    /// <param name="a">A, stored m×k (or k×m when <paramref name="transposeA"/>).</param>
    /// <param name="b">B, stored k×n (or n×k when <paramref name="transposeB"/>).</param>
    /// <param name="c">C, m×n; overwritten unless <paramref name="accumulate"/>.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The shared (summed) dimension.</param>
    /// <param name="transposeA">Use Aᵀ.</param>
    /// <param name="transposeB">Use Bᵀ.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <remarks>The arrays may be longer than needed (reused buffers); only the leading values are used.</remarks>
    /// <exception cref="ArgumentException">A size is negative, an array is too short for m, n, k, or C is the same array as A or B.</exception>
    public static void Gemm(float[] a, float[] b, float[] c, int m, int n, int k,
        bool transposeA = false, bool transposeB = false, bool accumulate = false) =>
        Gemm(a, b, c, m, n, k, transposeA, transposeB, accumulate, ParallelWork.Threads, BestKernel);

    /// <summary>
    /// <see cref="Gemm(float[], float[], float[], int, int, int, bool, bool, bool)"/> with the number of
    /// threads and the micro-kernel chosen by the caller (tests use it to compare paths).
    /// </summary>
    internal static void Gemm(float[] a, float[] b, float[] c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate, int maxDegreeOfParallelism, Kernel kernel) =>
        Gemm(transposeA ? new MatrixView(a, 0, k, m, true) : MatrixView.Of(a, m, k),
            transposeB ? new MatrixView(b, 0, n, k, true) : MatrixView.Of(b, k, n),
            MatrixView.Of(c, m, n), accumulate, maxDegreeOfParallelism, kernel);

    /// <summary>
    /// C = A · B (or C += A · B) on matrix views: A is m×k, B is k×n and C is m×n as the product sees them, each
    /// anywhere in its array and A or B possibly transposed. A convolution multiplies one image at a time this way,
    /// straight into its output tensor: <c>Gemm(MatrixView.Of(w, F, C·KH·KW), MatrixView.Of(columns, C·KH·KW, OH·OW), MatrixView.Of(y, F, OH·OW, offset))</c>.
    /// </summary>
    /// <param name="a">A, m×k.</param>
    /// <param name="b">B, k×n.</param>
    /// <param name="c">C, m×n, not transposed; overwritten unless <paramref name="accumulate"/>.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads (1 when the caller runs products in parallel itself).</param>
    /// <exception cref="ArgumentException">The sizes do not fit together, an array is too short, or C is the same array as A or B.</exception>
    public static void Gemm(MatrixView a, MatrixView b, MatrixView c, bool accumulate = false, int maxDegreeOfParallelism = int.MaxValue) =>
        Gemm(a, b, c, accumulate, Math.Min(maxDegreeOfParallelism, ParallelWork.Threads), BestKernel);

    private static void Gemm(MatrixView av, MatrixView bv, MatrixView cv, bool accumulate, int maxDegreeOfParallelism, Kernel kernel)
    {
        if (av.Columns != bv.Rows || cv.Rows != av.Rows || cv.Columns != bv.Columns || cv.Transposed)
            throw new ArgumentException($"MatMul: C = A · B needs A m×k, B k×n and C m×n (not transposed), got A {av}, B {bv}, C {cv}.");
        var (a, aOffset, transposeA, b, bOffset, transposeB, c, cOffset) =
            (av.Data, av.Offset, av.Transposed, bv.Data, bv.Offset, bv.Transposed, cv.Data, cv.Offset);
        int m = av.Rows, k = av.Columns, n = bv.Columns;
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"MatMul sizes must not be negative: m = {m}, n = {n}, k = {k}.");
        if (ReferenceEquals(c, a) || ReferenceEquals(c, b))
            throw new ArgumentException(
                $"MatMul: C must be a different array from {(ReferenceEquals(c, a) ? "A" : "B")}: C is written while A and B are still being read.");
        RequireLength(a, aOffset, "A", m, k, transposeA);
        RequireLength(b, bOffset, "B", k, n, transposeB);
        RequireLength(c, cOffset, "C", m, n, transposed: false);
        if (kernel == Kernel.Avx512 && !(Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
            || kernel == Kernel.Avx2 && !(Fma.IsSupported && Avx.IsSupported)
            || kernel == Kernel.Vector128 && !Vector128.IsHardwareAccelerated)
            throw new PlatformNotSupportedException($"The {kernel} micro-kernel needs instructions this processor lacks.");

        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            // An empty sum is zero: C = 0, or C unchanged when accumulating.
            if (!accumulate)
                Array.Clear(c, cOffset, m * n);
            return;
        }

        var operands = new Operands(a, b, c, aOffset, bOffset, cOffset, m, n, k, transposeA, transposeB, accumulate, kernel);
        // Cut C into strips along its longer side, a few per thread so a busy core doesn't hold up the rest.
        bool parallel = maxDegreeOfParallelism > 1 && (long)m * n * k >= ParallelThreshold;
        int strips = parallel ? Math.Min(2 * maxDegreeOfParallelism, Math.Max(m, n) / MinStrip) : 1;
        if (strips >= 2)
            MultiplyInStrips(operands, strips, maxDegreeOfParallelism);
        else if (parallel && k > KC && (long)m * n * ((k + KC - 1) / KC) <= MaxPartialValues)
            MultiplyInKBlocks(operands, maxDegreeOfParallelism);
        else
            MultiplyStrip(operands, 0, m, 0, n);
    }

    // The k-block partial products of a small C with a long k (a convolution's weight gradient, 30×25×57600)
    // are kept in a buffer of at most this many floats (4 MB).
    private const int MaxPartialValues = 1 << 20;

    /// <summary>
    /// A C too small to cut into strips but with a long shared dimension: the k-blocks run in parallel, each
    /// into its own partial C, and the partials are then added to C one after the other in k order.
    /// </summary>
    /// <remarks>
    /// The same numbers as the serial loops, bit for bit: they too compute each k-block's partial sum from zero
    /// and add it to C, k-block after k-block; here only the partial sums are computed at the same time.
    /// </remarks>
    private static unsafe void MultiplyInKBlocks(Operands op, int maxDegreeOfParallelism)
    {
        int blocks = (op.K + KC - 1) / KC, size = op.M * op.N;
        float[] partials = ParallelWork.ThreadBuffer(ref t_partials, blocks * size);
        ParallelWork.For(blocks, (op, partials), static (s, block) =>
        {
            fixed (float* partial = s.partials)
                MultiplyBlock(s.op, 0, s.op.M, 0, s.op.N, block * KC, Math.Min(s.op.K, (block + 1) * KC),
                    partial + (long)block * s.op.M * s.op.N, accumulate: false);
        }, maxDegreeOfParallelism);
        Span<float> c = op.C.AsSpan(op.COffset, size);
        for (int block = 0; block < blocks; block++)
        {
            ReadOnlySpan<float> partial = partials.AsSpan(block * size, size);
            if (block == 0 && !op.Accumulate) partial.CopyTo(c);
            else Elementwise.Add(c, partial, c);
        }
    }

    // Each thread keeps its own packing buffers (and partial products), grown to the largest size it has
    // needed: at most 3 MB for B, 120 KB for A, 4 MB of partials. The shared ArrayPool would do, but when
    // threads move between cores its per-core stores run dry now and then and a 64–512 KB array is allocated
    // again; with buffers per thread a steady stream of multiplies allocates nothing.
    [ThreadStatic] private static float[]? t_aBuffer;
    [ThreadStatic] private static float[]? t_bBuffer;
    [ThreadStatic] private static float[]? t_partials;

    /// <summary>Runs <paramref name="strips"/> strips of C (rows if C is tall, columns if wide) in parallel.</summary>
    /// <remarks>A static lambda with the operands as state: no allocation per call (see <see cref="ParallelWork"/>).</remarks>
    private static void MultiplyInStrips(Operands op, int strips, int maxDegreeOfParallelism) =>
        ParallelWork.For(strips, (op, strips), static (s, strip) =>
        {
            var (op, strips) = s;
            bool rowStrips = op.M >= op.N;
            int length = rowStrips ? op.M : op.N, unit = rowStrips ? MR : op.NR;
            // Strip edges on whole tiles (for speed only: any cut gives the same numbers).
            int start = Math.Min(length, RoundUp((int)((long)length * strip / strips), unit));
            int end = strip == strips - 1 ? length : Math.Min(length, RoundUp((int)((long)length * (strip + 1) / strips), unit));
            if (rowStrips)
                MultiplyStrip(op, start, end, 0, op.N);
            else
                MultiplyStrip(op, 0, op.M, start, end);
        }, maxDegreeOfParallelism);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Checks that <paramref name="array"/> holds the operand op(X), rows×columns, in its stored shape.</summary>
    private static void RequireLength(float[] array, int offset, string name, int rows, int columns, bool transposed)
    {
        if (offset < 0 || offset > array.Length)
            throw new ArgumentException($"MatMul: {name} starts at index {offset}, outside its array of {array.Length} values.");
        if (array.Length - offset < (long)rows * columns)
            throw new ArgumentException(transposed
                ? $"MatMul: {name} should be stored {columns}×{rows} (used as {name}ᵀ, {rows}×{columns}) = " +
                  $"{(long)rows * columns} values, but its array has only {array.Length - offset}{(offset == 0 ? "" : $" from index {offset}")}."
                : $"MatMul: {name} should be {rows}×{columns} = {(long)rows * columns} values, but its array has only {array.Length - offset}{(offset == 0 ? "" : $" from index {offset}")}.");
    }

    /// <summary>Returns op(A) · op(B) for 2-D tensors, checking that the inner dimensions agree.</summary>
    /// <exception cref="ArgumentException">A tensor is not 2-D or the inner dimensions differ.</exception>
    public static Tensor Multiply(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException(
                $"MatMul expects two 2-D tensors, got {Tensor.FormatShape(a.Shape)} and {Tensor.FormatShape(b.Shape)}.");
        int m = transposeA ? a.Dim(1) : a.Dim(0), ka = transposeA ? a.Dim(0) : a.Dim(1);
        int kb = transposeB ? b.Dim(1) : b.Dim(0), n = transposeB ? b.Dim(0) : b.Dim(1);
        if (ka != kb)
            throw new ArgumentException(
                $"MatMul inner dimensions differ: {(transposeA ? "Aᵀ" : "A")} is {m}×{ka}, {(transposeB ? "Bᵀ" : "B")} is {kb}×{n}.");
        var c = new Tensor(m, n);
        Gemm(a.Data, b.Data, c.Data, m, n, ka, transposeA, transposeB);
        return c;
    }

    /// <summary>The arguments of one Gemm call, passed by reference down to the micro-kernel.</summary>
    private readonly struct Operands(float[] a, float[] b, float[] c, int aOffset, int bOffset, int cOffset, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate, Kernel kernel)
    {
        public readonly float[] A = a, B = b, C = c;
        public readonly int AOffset = aOffset, BOffset = bOffset, COffset = cOffset;
        public readonly int M = m, N = n, K = k;
        public readonly bool TransposeA = transposeA, TransposeB = transposeB, Accumulate = accumulate;
        public readonly Kernel Kernel = kernel;

        /// <summary>Columns per micro-kernel tile: 32 with AVX-512, 16 otherwise.</summary>
        public int NR => Kernel == Kernel.Avx512 ? 32 : 16;

        /// <summary>
        /// The width of a B panel holding <paramref name="cols"/> ≤ NR columns: NR, or for a narrow last panel with the
        /// AVX kernels 16 (with AVX-512) or 8: the 4 columns left of n = 100 cost a third of a 16-wide tile's multiply-adds.
        /// </summary>
        public int PanelWidth(int cols) =>
            Kernel is Kernel.Avx512 or Kernel.Avx2 && Fma.IsSupported && cols <= 8 ? 8
            : Kernel == Kernel.Avx512 && cols <= 16 && Fma.IsSupported ? 16
            : NR;

        /// <summary>The micro-kernel for a panel of <paramref name="width"/> columns.</summary>
        public Kernel PanelKernel(int width) => width == NR ? Kernel : Kernel.Avx2;
    }

    /// <summary>
    /// C[rows, columns] = op(A)[rows, :] · op(B)[:, columns] (or +=): the blocked loops of the comment at
    /// the top of this file, on one thread. The packing buffers are the thread's own (see <see cref="ParallelWork.ThreadBuffer"/>)
    /// and pinned for the whole strip, so a warm thread allocates nothing.
    /// </summary>
    private static unsafe void MultiplyStrip(in Operands op, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        fixed (float* c = op.C)
            MultiplyBlock(op, rowStart, rowEnd, colStart, colEnd, 0, op.K, c + op.COffset, op.Accumulate);
    }

    /// <summary>
    /// C[rows, columns] (+)= op(A)[rows, kStart..kEnd) · op(B)[kStart..kEnd), columns), with C at <paramref name="cBase"/>
    /// (M×N, row-major): <see cref="MultiplyStrip"/> over a range of k-blocks.
    /// </summary>
    private static unsafe void MultiplyBlock(in Operands op, int rowStart, int rowEnd, int colStart, int colEnd,
        int kStart, int kEnd, float* cBase, bool accumulate)
    {
        int nr = op.NR;
        int kcMax = Math.Min(KC, kEnd - kStart);
        float[] aBuffer = ParallelWork.ThreadBuffer(ref t_aBuffer, RoundUp(Math.Min(MC, rowEnd - rowStart), MR) * kcMax + 32);
        float[] bBuffer = ParallelWork.ThreadBuffer(ref t_bBuffer, RoundUp(Math.Min(NC, colEnd - colStart), nr) * kcMax + 32);
        bool bInPlace = ReadsBInPlace(op, rowEnd - rowStart);
        fixed (float* aRaw = aBuffer, bRaw = bBuffer, bArray = op.B)
        {
            float* aPacked = Align64(aRaw), bPacked = Align64(bRaw);
            for (int jc = colStart; jc < colEnd; jc += NC)
            {
                int nc = Math.Min(NC, colEnd - jc);
                for (int pc = kStart; pc < kEnd; pc += KC)
                {
                    int kc = Math.Min(KC, kEnd - pc);
                    PackB(op, bPacked, pc, kc, jc, nc, skipFullPanels: bInPlace);
                    float* bBlock = bInPlace ? bArray + op.BOffset + (long)pc * op.N + jc : null; // B[pc, jc] where it lies
                    // The first k-block overwrites C unless the caller asked to accumulate.
                    bool overwrite = pc == kStart && !accumulate;
                    for (int ic = rowStart; ic < rowEnd; ic += MC)
                    {
                        int mc = Math.Min(MC, rowEnd - ic);
                        PackA(op, aPacked, ic, mc, pc, kc);
                        MacroKernel(op, aPacked, bPacked, bBlock, cBase + (long)ic * op.N + jc, mc, nc, kc, overwrite);
                    }
                }
            }
        }
    }

    // A product with few rows, like a convolution's W · colᵀ (6 to 30 filters), uses each panel of B for only a few
    // tiles, so copying B into panels costs about as much as the multiply-adds it saves time for. Up to this many rows,
    // the AVX kernels read the full-width panels of an untransposed B where it lies (row p of a panel is NR
    // neighbours in row p of B); only a last, narrower panel is packed (its zeros keep the loads inside the array).
    // Measured on one core: LeNet-5's 6×784×25 twice as fast, 16×100×150 1.5×, SimpleConvNet's 30×576×25 1.15×.
    // Not for long rows of B: a k-block would then touch a page per row, which the packed copy avoids.
    private const int InPlaceBMaxRows = 6 * MR;
    private const int InPlaceBMaxColumns = 2048;

    private static bool ReadsBInPlace(in Operands op, int rows) =>
        !op.TransposeB && rows <= InPlaceBMaxRows && op.N <= InPlaceBMaxColumns && op.Kernel is Kernel.Avx2 or Kernel.Avx512;

    /// <summary>The first 64-byte boundary in a pinned buffer, so vector loads never split a cache line.</summary>
    private static unsafe float* Align64(float* p) => (float*)(((nuint)p + 63) & ~(nuint)63);

    /// <summary>
    /// Copies op(B)[pc..pc+kc, jc..jc+nc] into panels of NR columns: panel j holds, for each p,
    /// the NR values of row p side by side (zeros beyond the block), exactly the order the micro-kernel reads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB(in Operands op, float* panel, int pc, int kc, int jc, int nc, bool skipFullPanels)
    {
        int nr = op.NR, n = op.N, k = op.K;
        fixed (float* bArray = op.B)
        {
            float* b = bArray + op.BOffset;
            for (int j0 = 0; j0 < nc; j0 += nr)
            {
                int cols = Math.Min(nr, nc - j0);
                int width = op.PanelWidth(cols); // columns in this panel (NR, or 16 or 8 for a narrow last one)
                int col = jc + j0;
                if (skipFullPanels && cols == nr)
                {
                    panel += width * kc; // read in place by the micro-kernel (see ReadsBInPlace)
                    continue;
                }
                if (!op.TransposeB && cols == width && Vector256.IsHardwareAccelerated)
                {
                    // op(B)[pc + p, col..col+NR] is a contiguous piece of row pc + p of B: NR/8 vector copies, inline
                    // (a call to a general copy per row would cost more than the copy when k is small).
                    for (int p = 0; p < kc; p++)
                    {
                        float* src = b + (long)(pc + p) * n + col;
                        float* dst = panel + p * width;
                        for (int q = 0; q < width; q += 8)
                            Vector256.Load(src + q).Store(dst + q);
                    }
                }
                else if (!op.TransposeB)
                {
                    // The same for a panel cut off on the right: the missing columns are zeros.
                    ClearColumns(panel, kc, width, cols);
                    for (int p = 0; p < kc; p++)
                    {
                        float* src = b + (long)(pc + p) * n + col;
                        float* dst = panel + p * width;
                        for (int j = 0; j < cols; j++)
                            dst[j] = src[j];
                    }
                }
                else
                {
                    // op(B)[pc + p, col + jj] = B[col + jj, pc + p]: a transpose, 8×8 values at a time where possible,
                    // then each remaining row of B read in order.
                    ClearColumns(panel, kc, width, cols);
                    int jj = 0, p8 = Avx.IsSupported ? kc & ~7 : 0;
                    if (p8 > 0)
                        for (; jj + 8 <= cols; jj += 8)
                        {
                            float* src = b + (long)(col + jj) * k + pc;
                            for (int p = 0; p < p8; p += 8)
                                Transpose8x8(src + p, k, panel + p * width + jj, width);
                            for (int r = 0; r < 8; r++)
                                for (int p = p8; p < kc; p++)
                                    panel[p * width + jj + r] = src[(long)r * k + p];
                        }
                    for (; jj < cols; jj++)
                    {
                        float* src = b + (long)(col + jj) * k + pc;
                        for (int p = 0; p < kc; p++)
                            panel[p * width + jj] = src[p];
                    }
                }
                panel += width * kc;
            }
        }
    }

    /// <summary>
    /// Zeros columns <paramref name="cols"/>…<paramref name="width"/>−1 of each of the <paramref name="kc"/> rows of a
    /// panel cut off on the right, before the values are written: whole 8-float vector stores from the vector that
    /// holds column <paramref name="cols"/> on (its first lanes are overwritten by the values next), instead of one
    /// call to a general clear per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void ClearColumns(float* panel, int kc, int width, int cols)
    {
        if (cols == width)
            return;
        if (!Vector256.IsHardwareAccelerated)
        {
            for (int p = 0; p < kc; p++)
                new Span<float>(panel + p * width + cols, width - cols).Clear();
            return;
        }
        for (int p = 0; p < kc; p++)
            for (int q = cols & ~7; q < width; q += 8)
                Vector256<float>.Zero.Store(panel + p * width + q);
    }

    /// <summary>
    /// Copies op(A)[ic..ic+mc, pc..pc+kc] into panels of MR rows: panel i holds, for each p, the MR
    /// values of column p one after the other (zeros beyond the block).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA(in Operands op, float* panel, int ic, int mc, int pc, int kc)
    {
        int m = op.M, k = op.K;
        fixed (float* aArray = op.A)
        {
            float* a = aArray + op.AOffset;
            for (int i0 = 0; i0 < mc; i0 += MR)
            {
                int rows = Math.Min(MR, mc - i0);
                int row = ic + i0;
                if (!op.TransposeA)
                {
                    // op(A)[row + ii, pc + p] = A[row + ii, pc + p]: a transpose of MR rows, 8 values of each at a time
                    // where possible (the two extra lanes each store writes are overwritten by the next store or panel),
                    // then the rest of each row of A read in order.
                    int p8 = Avx.IsSupported && rows == MR ? kc & ~7 : 0;
                    float* first = a + (long)row * k + pc;
                    for (int p = 0; p < p8; p += 8)
                        Transpose6x8(first + p, k, panel + p * MR);
                    for (int ii = 0; ii < rows; ii++)
                    {
                        float* src = a + (long)(row + ii) * k + pc;
                        for (int p = p8; p < kc; p++)
                            panel[p * MR + ii] = src[p];
                    }
                }
                else
                {
                    // op(A)[row + ii, pc + p] = A[pc + p, row + ii]: MR neighbours in each row of A. Copied as one
                    // 8-float vector when 8 values are there to read; the 2 extra lanes written are overwritten next.
                    int p = 0;
                    if (Vector256.IsHardwareAccelerated && rows == MR && row + 8 <= m)
                        for (; p < kc; p++)
                            Vector256.Load(a + (long)(pc + p) * m + row).Store(panel + p * MR);
                    for (; p < kc; p++)
                    {
                        float* src = a + (long)(pc + p) * m + row;
                        for (int ii = 0; ii < rows; ii++)
                            panel[p * MR + ii] = src[ii];
                    }
                }
                for (int ii = rows; ii < MR; ii++)
                    for (int p = 0; p < kc; p++)
                        panel[p * MR + ii] = 0f;
                panel += MR * kc;
            }
        }
    }

    /// <summary>
    /// Transposes 8 rows × 8 columns: source row r (stride <paramref name="sourceStride"/>) becomes column r of
    /// the 8 destination rows (stride <paramref name="destinationStride"/>). Shuffles only: the values are copied, not changed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose8x8(float* source, int sourceStride, float* destination, int destinationStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + sourceStride);
        Vector256<float> r2 = Avx.LoadVector256(source + 2L * sourceStride), r3 = Avx.LoadVector256(source + 3L * sourceStride);
        Vector256<float> r4 = Avx.LoadVector256(source + 4L * sourceStride), r5 = Avx.LoadVector256(source + 5L * sourceStride);
        Vector256<float> r6 = Avx.LoadVector256(source + 6L * sourceStride), r7 = Avx.LoadVector256(source + 7L * sourceStride);
        Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        r0.Store(destination); r1.Store(destination + destinationStride);
        r2.Store(destination + 2 * destinationStride); r3.Store(destination + 3 * destinationStride);
        r4.Store(destination + 4 * destinationStride); r5.Store(destination + 5 * destinationStride);
        r6.Store(destination + 6 * destinationStride); r7.Store(destination + 7 * destinationStride);
    }

    /// <summary>
    /// Transposes 6 rows × 8 columns into 8 groups of 6 consecutive values (an A panel): each 8-float store
    /// writes 2 lanes past its group, which the next store overwrites (and, after the last, the caller).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose6x8(float* source, int sourceStride, float* destination)
    {
        Vector256<float> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + sourceStride);
        Vector256<float> r2 = Avx.LoadVector256(source + 2L * sourceStride), r3 = Avx.LoadVector256(source + 3L * sourceStride);
        Vector256<float> r4 = Avx.LoadVector256(source + 4L * sourceStride), r5 = Avx.LoadVector256(source + 5L * sourceStride);
        Vector256<float> r6 = default, r7 = default;
        Transpose8x8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        r0.Store(destination); r1.Store(destination + MR); r2.Store(destination + 2 * MR); r3.Store(destination + 3 * MR);
        r4.Store(destination + 4 * MR); r5.Store(destination + 5 * MR); r6.Store(destination + 6 * MR); r7.Store(destination + 7 * MR);
    }

    /// <summary>The 8×8 transpose in registers: unpack pairs, shuffle quads, swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2,
        ref Vector256<float> r3, ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(u0, u4, 0x20); r1 = Avx.Permute2x128(u1, u5, 0x20);
        r2 = Avx.Permute2x128(u2, u6, 0x20); r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31); r5 = Avx.Permute2x128(u1, u5, 0x31);
        r6 = Avx.Permute2x128(u2, u6, 0x31); r7 = Avx.Permute2x128(u3, u7, 0x31);
    }

    /// <summary>
    /// Runs the micro-kernel over every MR×NR tile of an mc×nc block of C. <c>bInPlace</c> is B[pc, jc] in B itself when
    /// its full-width panels are read where they lie (see <see cref="ReadsBInPlace"/>), else null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MacroKernel(in Operands op, float* aPacked, float* bPacked, float* bInPlace, float* cBlock,
        int mc, int nc, int kc, bool overwrite)
    {
        int nr = op.NR, ldc = op.N;
        // Tiles that stick out of the block are computed into this scratch tile, then the part inside is
        // copied: the same arithmetic as a full tile, so edges give the same numbers as the interior.
        // (The AVX kernels write tiles cut off on the right directly, with masked stores, and have a 4-row variant
        // for a last row panel of 4: m = 16 or 100 would otherwise spend a third of that panel's work on rows of zeros.)
        bool maskedStores = op.Kernel is Kernel.Avx2 or Kernel.Avx512;
        float* edge = stackalloc float[MR * MaxNR];
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            int width = op.PanelWidth(cols);
            Kernel kernel = op.PanelKernel(width);
            bool inPlace = bInPlace != null && cols == nr;
            float* bPanel = inPlace ? bInPlace + j0 : bPacked + (long)j0 * kc; // every packed panel before this one is NR wide
            int ldb = inPlace ? op.N : width; // from row p of the panel to row p + 1
            for (int i0 = 0; i0 < mc; i0 += MR)
            {
                int rows = Math.Min(MR, mc - i0);
                float* aPanel = aPacked + (long)i0 * kc;
                float* cTile = cBlock + (long)i0 * ldc + j0;
                bool fourRows = rows == 4 && maskedStores && width != 8;
                if ((rows == MR || fourRows) && (cols == width || maskedStores))
                {
                    MicroKernel(kernel, width, rows, kc, aPanel, bPanel, ldb, cTile, ldc, overwrite, cols);
                }
                else
                {
                    MicroKernel(kernel, width, MR, kc, aPanel, bPanel, ldb, edge, width, overwrite: true, width);
                    for (int i = 0; i < rows; i++)
                        CopyOrAdd(edge + i * width, cTile + (long)i * ldc, cols, overwrite);
                }
            }
        }
    }

    /// <summary>target = source (overwrite) or target += source, for the part of an edge tile inside C.</summary>
    private static unsafe void CopyOrAdd(float* source, float* target, int count, bool overwrite)
    {
        if (overwrite)
        {
            new ReadOnlySpan<float>(source, count).CopyTo(new Span<float>(target, count));
            return;
        }
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; j + 8 <= count; j += 8)
                (Vector256.Load(target + j) + Vector256.Load(source + j)).Store(target + j);
        for (; j < count; j++)
            target[j] += source[j];
    }

    /// <summary>
    /// One tile of <paramref name="rows"/> (MR, or 4 for the AVX kernels) × <paramref name="width"/> (the panel's width);
    /// <paramref name="cols"/> &lt; width (only for the AVX kernels) stores just the left columns.
    /// </summary>
    /// <remarks>
    /// Every variant sums each value of the tile the same way (from zero, one fused multiply-add per p, in order), so
    /// which variant runs a tile never changes a bit of the result.
    /// </remarks>
    private static unsafe void MicroKernel(Kernel kernel, int width, int rows, int kc, float* aPanel, float* bPanel, int ldb,
        float* cTile, int ldc, bool overwrite, int cols)
    {
        switch (kernel)
        {
            case Kernel.Avx512 or Kernel.Avx2 when width == 8: MicroKernel6x8Fma(kc, aPanel, bPanel, ldb, cTile, ldc, overwrite, cols); break;
            case Kernel.Avx512 when width == 32 && rows == 4: MicroKernel4x32Avx512(kc, aPanel, bPanel, ldb, cTile, ldc, overwrite, cols); break;
            case Kernel.Avx512 when width == 32: MicroKernel6x32Avx512(kc, aPanel, bPanel, ldb, cTile, ldc, overwrite, cols); break;
            case Kernel.Avx512 or Kernel.Avx2 when rows == 4: MicroKernel4x16Fma(kc, aPanel, bPanel, ldb, cTile, ldc, overwrite, cols); break;
            case Kernel.Avx512 or Kernel.Avx2: MicroKernel6x16Fma(kc, aPanel, bPanel, ldb, cTile, ldc, overwrite, cols); break;
            case Kernel.Vector128: MicroKernel6x16Vector128(kc, aPanel, bPanel, cTile, ldc, overwrite); break;
            default: MicroKernelScalar(kc, aPanel, bPanel, cTile, ldc, overwrite); break;
        }
    }

    /// <summary>
    /// The portable micro-kernel: the same sums as the vector kernels (each tile value summed from zero
    /// over the k-block in order, then added to C), written as plain loops over a 6×16 tile.
    /// </summary>
    private static unsafe void MicroKernelScalar(int kc, float* a, float* b, float* c, int ldc, bool overwrite)
    {
        const int NR = 16;
        float* sum = stackalloc float[MR * NR];
        for (int t = 0; t < MR * NR; t++)
            sum[t] = 0f;
        for (int p = 0; p < kc; p++)
        {
            for (int i = 0; i < MR; i++)
            {
                float ai = a[i];
                for (int j = 0; j < NR; j++)
                    sum[i * NR + j] += ai * b[j];
            }
            a += MR;
            b += NR;
        }
        for (int i = 0; i < MR; i++)
            for (int j = 0; j < NR; j++)
                c[(long)i * ldc + j] = overwrite ? sum[i * NR + j] : c[(long)i * ldc + j] + sum[i * NR + j];
    }

    /// <summary>
    /// The 6×16 tile with 128-bit vectors, which every current processor accelerates (SSE on x86, NEON on
    /// ARM, e.g. Apple Silicon): 24 accumulators of 4 floats, a multiply and an add per accumulator.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel6x16Vector128(int kc, float* a, float* b, float* c, int ldc, bool overwrite)
    {
        Vector128<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector128<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector128<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector128<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector128<float> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector128<float> c50 = default, c51 = default, c52 = default, c53 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b), b1 = Vector128.Load(b + 4);
            Vector128<float> b2 = Vector128.Load(b + 8), b3 = Vector128.Load(b + 12);
            Vector128<float> ai = Vector128.Create(a[0]);
            c00 += ai * b0; c01 += ai * b1; c02 += ai * b2; c03 += ai * b3;
            ai = Vector128.Create(a[1]);
            c10 += ai * b0; c11 += ai * b1; c12 += ai * b2; c13 += ai * b3;
            ai = Vector128.Create(a[2]);
            c20 += ai * b0; c21 += ai * b1; c22 += ai * b2; c23 += ai * b3;
            ai = Vector128.Create(a[3]);
            c30 += ai * b0; c31 += ai * b1; c32 += ai * b2; c33 += ai * b3;
            ai = Vector128.Create(a[4]);
            c40 += ai * b0; c41 += ai * b1; c42 += ai * b2; c43 += ai * b3;
            ai = Vector128.Create(a[5]);
            c50 += ai * b0; c51 += ai * b1; c52 += ai * b2; c53 += ai * b3;
            a += MR;
            b += 16;
        }
        StoreRow128(c, c00, c01, c02, c03, overwrite); c += ldc;
        StoreRow128(c, c10, c11, c12, c13, overwrite); c += ldc;
        StoreRow128(c, c20, c21, c22, c23, overwrite); c += ldc;
        StoreRow128(c, c30, c31, c32, c33, overwrite); c += ldc;
        StoreRow128(c, c40, c41, c42, c43, overwrite); c += ldc;
        StoreRow128(c, c50, c51, c52, c53, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow128(float* c, Vector128<float> v0, Vector128<float> v1, Vector128<float> v2,
        Vector128<float> v3, bool overwrite)
    {
        if (!overwrite)
        {
            v0 = Vector128.Load(c) + v0;
            v1 = Vector128.Load(c + 4) + v1;
            v2 = Vector128.Load(c + 8) + v2;
            v3 = Vector128.Load(c + 12) + v3;
        }
        v0.Store(c);
        v1.Store(c + 4);
        v2.Store(c + 8);
        v3.Store(c + 12);
    }

    /// <summary>
    /// A 6×16 tile of C in twelve 256-bit registers: for each p, two loads of B (16 columns), six
    /// broadcasts of A (6 rows) and twelve fused multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel6x16Fma(int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite, int cols)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ai = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(ai, b0, c00); c01 = Fma.MultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(ai, b0, c10); c11 = Fma.MultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(ai, b0, c20); c21 = Fma.MultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(ai, b0, c30); c31 = Fma.MultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(ai, b0, c40); c41 = Fma.MultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(ai, b0, c50); c51 = Fma.MultiplyAdd(ai, b1, c51);
            a += MR;
            b += ldb;
        }
        bool full = cols == 16;
        Vector256<float> mask0 = ColumnMask(0, cols), mask1 = ColumnMask(8, cols);
        StoreRow256(c, c00, c01, overwrite, full, mask0, mask1); c += ldc;
        StoreRow256(c, c10, c11, overwrite, full, mask0, mask1); c += ldc;
        StoreRow256(c, c20, c21, overwrite, full, mask0, mask1); c += ldc;
        StoreRow256(c, c30, c31, overwrite, full, mask0, mask1); c += ldc;
        StoreRow256(c, c40, c41, overwrite, full, mask0, mask1); c += ldc;
        StoreRow256(c, c50, c51, overwrite, full, mask0, mask1);
    }

    /// <summary>The 6×16 tile's last 2 rows left out: for a last row panel of 4 rows (A's packed panel still has MR values per p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel4x16Fma(int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite, int cols)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ai = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(ai, b0, c00); c01 = Fma.MultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(ai, b0, c10); c11 = Fma.MultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(ai, b0, c20); c21 = Fma.MultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(ai, b0, c30); c31 = Fma.MultiplyAdd(ai, b1, c31);
            a += MR;
            b += ldb;
        }
        bool full = cols == 16;
        Vector256<float> mask0 = ColumnMask(0, cols), mask1 = ColumnMask(8, cols);
        StoreRow256(c, c00, c01, overwrite, full, mask0, mask1); c += ldc;
        StoreRow256(c, c10, c11, overwrite, full, mask0, mask1); c += ldc;
        StoreRow256(c, c20, c21, overwrite, full, mask0, mask1); c += ldc;
        StoreRow256(c, c30, c31, overwrite, full, mask0, mask1);
    }

    /// <summary>A 6×8 tile in six 256-bit registers: a last panel of at most 8 columns (n = 100 leaves 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel6x8Fma(int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite, int cols)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            c0 = Fma.MultiplyAdd(Vector256.Create(a[0]), b0, c0);
            c1 = Fma.MultiplyAdd(Vector256.Create(a[1]), b0, c1);
            c2 = Fma.MultiplyAdd(Vector256.Create(a[2]), b0, c2);
            c3 = Fma.MultiplyAdd(Vector256.Create(a[3]), b0, c3);
            c4 = Fma.MultiplyAdd(Vector256.Create(a[4]), b0, c4);
            c5 = Fma.MultiplyAdd(Vector256.Create(a[5]), b0, c5);
            a += MR;
            b += ldb;
        }
        Vector256<float> mask = ColumnMask(0, cols);
        if (cols == 8)
        {
            StoreRow8(c, c0, overwrite); StoreRow8(c + ldc, c1, overwrite); StoreRow8(c + 2 * ldc, c2, overwrite);
            StoreRow8(c + 3 * ldc, c3, overwrite); StoreRow8(c + 4 * ldc, c4, overwrite); StoreRow8(c + 5 * ldc, c5, overwrite);
        }
        else
        {
            StoreMasked(c, c0, mask, overwrite); StoreMasked(c + ldc, c1, mask, overwrite);
            StoreMasked(c + 2 * ldc, c2, mask, overwrite); StoreMasked(c + 3 * ldc, c3, mask, overwrite);
            StoreMasked(c + 4 * ldc, c4, mask, overwrite); StoreMasked(c + 5 * ldc, c5, mask, overwrite);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow8(float* c, Vector256<float> value, bool overwrite)
    {
        if (!overwrite)
            value = Avx.Add(Vector256.Load(c), value);
        value.Store(c);
    }

    /// <summary>Lanes first … first+7 that are left of <paramref name="cols"/>, as an AVX mask (sign bit set).</summary>
    private static Vector256<float> ColumnMask(int first, int cols) =>
        Vector256.LessThan(Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f) + Vector256.Create((float)first),
            Vector256.Create((float)cols));

    /// <summary>C row (+)= the tile row; a tile cut off on the right loads and stores only the masked lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow256(float* c, Vector256<float> left, Vector256<float> right, bool overwrite,
        bool full, Vector256<float> mask0, Vector256<float> mask1)
    {
        if (full)
        {
            if (!overwrite)
            {
                left = Avx.Add(Vector256.Load(c), left);
                right = Avx.Add(Vector256.Load(c + 8), right);
            }
            left.Store(c);
            right.Store(c + 8);
        }
        else
        {
            StoreMasked(c, left, mask0, overwrite);
            StoreMasked(c + 8, right, mask1, overwrite);
        }
    }

    /// <summary>The same sum as a full store (C + tile), for the lanes in the mask only; other lanes are not touched.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreMasked(float* c, Vector256<float> value, Vector256<float> mask, bool overwrite)
    {
        if (!overwrite)
            value = Avx.Add(Avx.MaskLoad(c, mask), value);
        Avx.MaskStore(c, mask, value);
    }

    /// <summary>The same tile scheme with 512-bit registers: a 6×32 tile of C in twelve registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel6x32Avx512(int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite, int cols)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ai = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00); c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10); c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20); c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30); c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40); c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50); c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
            a += MR;
            b += ldb;
        }
        if (cols == 32)
        {
            StoreRow512(c, c00, c01, overwrite); c += ldc;
            StoreRow512(c, c10, c11, overwrite); c += ldc;
            StoreRow512(c, c20, c21, overwrite); c += ldc;
            StoreRow512(c, c30, c31, overwrite); c += ldc;
            StoreRow512(c, c40, c41, overwrite); c += ldc;
            StoreRow512(c, c50, c51, overwrite);
        }
        else
        {
            // A tile cut off on the right: store each row as four masked 8-float quarters.
            Vector256<float> mask0 = ColumnMask(0, cols), mask1 = ColumnMask(8, cols);
            Vector256<float> mask2 = ColumnMask(16, cols), mask3 = ColumnMask(24, cols);
            StoreRow512Masked(c, c00, c01, overwrite, mask0, mask1, mask2, mask3); c += ldc;
            StoreRow512Masked(c, c10, c11, overwrite, mask0, mask1, mask2, mask3); c += ldc;
            StoreRow512Masked(c, c20, c21, overwrite, mask0, mask1, mask2, mask3); c += ldc;
            StoreRow512Masked(c, c30, c31, overwrite, mask0, mask1, mask2, mask3); c += ldc;
            StoreRow512Masked(c, c40, c41, overwrite, mask0, mask1, mask2, mask3); c += ldc;
            StoreRow512Masked(c, c50, c51, overwrite, mask0, mask1, mask2, mask3);
        }
    }

    /// <summary>The 6×32 tile's last 2 rows left out: for a last row panel of 4 rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MicroKernel4x32Avx512(int kc, float* a, float* b, int ldb, float* c, int ldc, bool overwrite, int cols)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ai = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00); c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10); c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20); c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30); c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            a += MR;
            b += ldb;
        }
        if (cols == 32)
        {
            StoreRow512(c, c00, c01, overwrite); c += ldc;
            StoreRow512(c, c10, c11, overwrite); c += ldc;
            StoreRow512(c, c20, c21, overwrite); c += ldc;
            StoreRow512(c, c30, c31, overwrite);
        }
        else
        {
            Vector256<float> mask0 = ColumnMask(0, cols), mask1 = ColumnMask(8, cols);
            Vector256<float> mask2 = ColumnMask(16, cols), mask3 = ColumnMask(24, cols);
            StoreRow512Masked(c, c00, c01, overwrite, mask0, mask1, mask2, mask3); c += ldc;
            StoreRow512Masked(c, c10, c11, overwrite, mask0, mask1, mask2, mask3); c += ldc;
            StoreRow512Masked(c, c20, c21, overwrite, mask0, mask1, mask2, mask3); c += ldc;
            StoreRow512Masked(c, c30, c31, overwrite, mask0, mask1, mask2, mask3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow512(float* c, Vector512<float> left, Vector512<float> right, bool overwrite)
    {
        if (!overwrite)
        {
            left = Avx512F.Add(Vector512.Load(c), left);
            right = Avx512F.Add(Vector512.Load(c + 16), right);
        }
        left.Store(c);
        right.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow512Masked(float* c, Vector512<float> left, Vector512<float> right, bool overwrite,
        Vector256<float> mask0, Vector256<float> mask1, Vector256<float> mask2, Vector256<float> mask3)
    {
        StoreMasked(c, left.GetLower(), mask0, overwrite);
        StoreMasked(c + 8, left.GetUpper(), mask1, overwrite);
        StoreMasked(c + 16, right.GetLower(), mask2, overwrite);
        StoreMasked(c + 24, right.GetUpper(), mask3, overwrite);
    }
}
