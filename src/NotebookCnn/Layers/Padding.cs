namespace NotebookCnn;

/// <summary>
/// Padding choices with names (chapter 03). With stride 1 the output size is H + 2P − K + 1, so
/// <see cref="Valid"/> (P = 0) shrinks the map by K − 1 and <see cref="Same(int)"/> keeps H unchanged.
/// </summary>
/// <example><c>new Convolution(16, 32, kernelSize: 3, padding: Padding.Same(3))</c> keeps 28×28 at 28×28.</example>
public static class Padding
{
    /// <summary>"Valid" padding: no zeros added, every window lies fully inside the image.</summary>
    public const int Valid = 0;

    /// <summary>
    /// "Same" padding for stride 1: P = (K − 1) / 2, so that H + 2P − K + 1 = H (1 for a 3×3 kernel, 2 for 5×5).
    /// </summary>
    /// <param name="kernelSize">K, the kernel's height (or width); must be odd.</param>
    /// <exception cref="ArgumentException">
    /// K is even: 2P = K − 1 would be odd, so the same size needs one more zero on one side than the other,
    /// which this library's symmetric padding cannot do.
    /// </exception>
    public static int Same(int kernelSize)
    {
        LayerInput.RequirePositive(nameof(Padding) + "." + nameof(Same), nameof(kernelSize), kernelSize);
        if (kernelSize % 2 == 0)
            throw new ArgumentException(
                $"Padding.Same: kernelSize {kernelSize} is even, so keeping the size needs {kernelSize - 1} zeros in all, " +
                $"which cannot be split equally between the two sides. Use an odd kernel (e.g. {kernelSize + 1}) or pick the padding by hand.",
                nameof(kernelSize));
        return (kernelSize - 1) / 2;
    }
}
