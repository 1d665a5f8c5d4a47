using NotebookCnn.Runner;

// Same namespace and member shape as the notebook kernel, so "Kernel.display(x)" compiles in both.
namespace Microsoft.DotNet.Interactive;

/// <summary>The kernel's static helpers that notebook code may name explicitly.</summary>
public static class Kernel
{
    /// <summary>The globals of the notebook being run (set by the runner).</summary>
    internal static ScriptGlobals? Current { get; set; }

    /// <summary>Shows <paramref name="value"/> as an output of the running cell; the handle's <c>Update</c> replaces it.</summary>
#pragma warning disable IDE1006 // lower-case to match the kernel's helper
    public static DisplayedValue display(object? value, params string[] mimeTypes) =>
#pragma warning restore IDE1006
        (Current ?? throw new InvalidOperationException("Kernel.display works only while nbcnn runs a notebook.")).display(value, mimeTypes);
}
