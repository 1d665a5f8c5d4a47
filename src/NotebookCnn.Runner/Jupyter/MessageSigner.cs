using System.Security.Cryptography;
using System.Text;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// Signs and checks messages as the Jupyter protocol asks: HMAC-SHA256 with the connection file's key over the
/// header, parent header, metadata and content frames, as lowercase hex. An empty key means messages are unsigned.
/// </summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    /// <summary>A signer with the connection file's <paramref name="key"/>.</summary>
    public MessageSigner(string key) => _key = Encoding.UTF8.GetBytes(key);

    /// <summary>The hex signature of the four signed frames (empty without a key).</summary>
    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (_key.Length == 0) return "";
        return Convert.ToHexStringLower(Digest(header, parentHeader, metadata, content));
    }

    /// <summary>True when <paramref name="signature"/> is the frames' signature (compared in constant time).</summary>
    public bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader,
        ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (_key.Length == 0) return true;
        byte[] expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(Digest(header, parentHeader, metadata, content)));
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    private byte[] Digest(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(header);
        hmac.AppendData(parentHeader);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return hmac.GetHashAndReset();
    }
}
