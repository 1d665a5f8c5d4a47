using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NotebookCnn.Runner.Classroom;

/// <summary>
/// The framing of what a grading worker reports to <c>grade</c>: one line per message,
/// <c>&lt;sequence&gt; &lt;HMAC-SHA256&gt; &lt;json&gt;</c>, the HMAC keyed with a secret the grader makes for each
/// run and hands to the worker on a pipe (never on a command line, in a file or in the environment).
/// A line that does not verify, or whose sequence number is not the next one, is dropped: text that
/// student code writes to the worker's raw output (or replays) is never taken for a result.
/// </summary>
public static class WorkerChannel
{
    /// <summary>A fresh secret for one run.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(32);

    /// <summary>The line for message number <paramref name="sequence"/>.</summary>
    public static string Frame(byte[] secret, long sequence, string json)
    {
        string number = sequence.ToString(CultureInfo.InvariantCulture);
        return $"{number} {Tag(secret, number, json)} {json}";
    }

    /// <summary>The JSON of a line that verifies as message number <paramref name="expected"/>, else null.</summary>
    public static string? Open(byte[] secret, long expected, string line)
    {
        int first = line.IndexOf(' ');
        int second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
        if (second < 0) return null;
        string number = line[..first];
        if (number != expected.ToString(CultureInfo.InvariantCulture)) return null;
        string json = line[(second + 1)..];
        byte[] given;
        try
        {
            given = Convert.FromHexString(line.AsSpan(first + 1, second - first - 1));
        }
        catch (FormatException)
        {
            return null;
        }
        byte[] wanted = Convert.FromHexString(Tag(secret, number, json));
        return CryptographicOperations.FixedTimeEquals(given, wanted) ? json : null;
    }

    /// <summary>
    /// A graded cell's source as the grader sends it: encrypted (AES-GCM, key and nonce fresh per run and
    /// message) with the cell id as associated data, so code that reads the pipe learns nothing without the secret.
    /// </summary>
    public static string Encrypt(byte[] secret, string id, string source)
    {
        byte[] nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        byte[] plain = Encoding.UTF8.GetBytes(source);
        byte[] cipher = new byte[plain.Length];
        byte[] tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(EncryptionKey(secret), tag.Length);
        aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(id));
        return $"{Convert.ToBase64String(nonce)} {Convert.ToBase64String(tag)} {Convert.ToBase64String(cipher)}";
    }

    /// <summary>The source in a reply for cell <paramref name="id"/>; throws <see cref="CryptographicException"/> when it does not decrypt.</summary>
    public static string Decrypt(byte[] secret, string id, string reply)
    {
        string[] parts = reply.Split(' ');
        if (parts.Length != 3) throw new FormatException("not a graded cell's source");
        byte[] nonce = Convert.FromBase64String(parts[0]), tag = Convert.FromBase64String(parts[1]), cipher = Convert.FromBase64String(parts[2]);
        byte[] plain = new byte[cipher.Length];
        using var aes = new AesGcm(EncryptionKey(secret), tag.Length);
        aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(id));
        return Encoding.UTF8.GetString(plain);
    }

    // A key for encryption distinct from the one for authentication.
    private static byte[] EncryptionKey(byte[] secret) => HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.UTF8.GetBytes("nbcnn sources"));

    private static string Tag(byte[] secret, string number, string json) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(number + " " + json)));
}
