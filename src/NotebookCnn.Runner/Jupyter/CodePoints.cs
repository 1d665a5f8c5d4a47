namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// Cursor positions: Jupyter counts Unicode code points (protocol 5.2 and later), .NET strings count UTF-16 units.
/// They differ after a character outside the Basic Multilingual Plane (an emoji in a comment).
/// </summary>
internal static class CodePoints
{
    /// <summary>The UTF-16 index of the code point at <paramref name="codePoints"/> (clamped to the text).</summary>
    public static int ToUtf16(string text, int codePoints)
    {
        int index = 0;
        for (int seen = 0; seen < codePoints && index < text.Length; seen++)
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        return index;
    }

    /// <summary>The number of code points before UTF-16 index <paramref name="utf16"/>.</summary>
    public static int FromUtf16(string text, int utf16)
    {
        int count = 0;
        for (int i = 0; i < utf16 && i < text.Length; i++)
        {
            if (!(char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]))) count++;
        }
        return count;
    }
}
