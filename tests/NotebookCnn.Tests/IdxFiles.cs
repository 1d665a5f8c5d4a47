using System.Buffers.Binary;
using System.IO.Compression;

namespace NotebookCnn.Tests;

/// <summary>Builds IDX files in memory, so reader tests need no files on disk.</summary>
internal static class IdxFiles
{
    public static byte[] Images(int count, int rows, int columns, Func<int, byte>? pixel = null, int magic = Idx.ImagesMagic)
    {
        var bytes = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (int i = 16; i < bytes.Length; i++) bytes[i] = pixel?.Invoke(i - 16) ?? (byte)(i * 7);
        return bytes;
    }

    public static byte[] Labels(params byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), Idx.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] content)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(content);
        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
            gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>A fresh empty folder under the system's temp folder.</summary>
    public static string TempFolder() => Directory.CreateTempSubdirectory("notebookcnn-tests-").FullName;
}
