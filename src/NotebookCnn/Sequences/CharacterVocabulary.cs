using System.Text;

namespace NotebookCnn;

/// <summary>
/// The characters of a text, numbered: each distinct character gets an id 0 … V − 1 (in sorted order, so the same
/// text always gives the same numbering). A character-level model reads and predicts these ids.
/// </summary>
public sealed class CharacterVocabulary
{
    private readonly char[] _characters;
    private readonly Dictionary<char, int> _ids;

    private CharacterVocabulary(char[] characters)
    {
        _characters = characters;
        _ids = characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>The vocabulary of every distinct character in <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    public static CharacterVocabulary FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new ArgumentException("CharacterVocabulary needs a non-empty text to collect characters from.", nameof(text));
        return new CharacterVocabulary(text.Distinct().Order().ToArray());
    }

    /// <summary>V: the number of distinct characters.</summary>
    public int Size => _characters.Length;

    /// <summary>The characters in id order: <c>Characters[id]</c>.</summary>
    public IReadOnlyList<char> Characters => _characters;

    /// <summary>The id of <paramref name="c"/>.</summary>
    /// <exception cref="ArgumentException">The character is not in the vocabulary.</exception>
    public int Id(char c) => _ids.TryGetValue(c, out int id) ? id
        : throw new ArgumentException($"CharacterVocabulary: the character {Show(c)} is not in the vocabulary of {Size} characters ({Show(new string(_characters))}).");

    /// <summary>The ids of the characters of <paramref name="text"/>.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Select(Id).ToArray();
    }

    /// <summary>The text spelled by <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside 0 … V − 1.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sb = new StringBuilder();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)Size)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"CharacterVocabulary: id {id} is outside 0…{Size - 1}.");
            sb.Append(_characters[id]);
        }
        return sb.ToString();
    }

    /// <summary>E.g. <c>CharacterVocabulary: 26 characters " ,.abc…"</c>.</summary>
    public override string ToString() => $"CharacterVocabulary: {Size} characters {Show(new string(_characters))}";

    private static string Show(string s) => "\"" + s.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "\"";

    private static string Show(char c) => Show(c.ToString());
}
