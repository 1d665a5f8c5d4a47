using System.Buffers.Binary;
using System.IO.Compression;

namespace NotebookCnn;

/// <summary>
/// Reads the IDX format of the original MNIST files (LeCun et al.): a big-endian header — a magic number
/// whose third byte is the data type (0x08 = unsigned byte) and fourth byte the number of dimensions, then
/// one 32-bit size per dimension — followed by the raw bytes. Files may be gzip-compressed (<c>.gz</c>); the
/// reader recognises gzip by its first two bytes, so the file name does not matter.
/// Anything malformed is rejected with a <see cref="DatasetException"/> that names the file and the problem.
/// </summary>
public static class Idx
{
    /// <summary>Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of a label file: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    private const int ImagesHeaderSize = 16;
    private const int LabelsHeaderSize = 8;
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an image file (plain or gzip).</summary>
    public static IdxImages ReadImages(string path) => ReadImages(ReadFile(path), path);

    /// <summary>Reads an image file from a stream (plain or gzip); <paramref name="fileName"/> is used in error messages.</summary>
    public static IdxImages ReadImages(Stream stream, string fileName) => ReadImages(ReadStream(stream, fileName), fileName);

    /// <summary>Reads image-file bytes (plain or gzip); <paramref name="fileName"/> is used in error messages.</summary>
    public static IdxImages ReadImages(byte[] bytes, string fileName)
    {
        byte[] content = Decompress(bytes, fileName);
        CheckMagic(content, ImagesMagic, fileName);
        if (content.Length < ImagesHeaderSize)
            throw new DatasetException(fileName,
                $"is too short for an IDX image header: {content.Length} bytes, need at least {ImagesHeaderSize}. Is the file truncated?");
        int count = ReadSize(content, 4, "image count", fileName);
        int rows = ReadSize(content, 8, "row count", fileName);
        int columns = ReadSize(content, 12, "column count", fileName);
        if (rows == 0 || columns == 0)
            throw new DatasetException(fileName, $"says each image has {rows}×{columns} pixels; images need at least 1×1.");
        CheckLength(content.Length, ImagesHeaderSize, (long)count * rows * columns,
            $"{count} images of {rows}×{columns} pixels", fileName);
        byte[] pixels = content.AsSpan(ImagesHeaderSize).ToArray();
        return new IdxImages(count, rows, columns, pixels);
    }

    /// <summary>Reads a label file (plain or gzip): one byte per example.</summary>
    public static byte[] ReadLabels(string path) => ReadLabels(ReadFile(path), path);

    /// <summary>Reads a label file from a stream (plain or gzip); <paramref name="fileName"/> is used in error messages.</summary>
    public static byte[] ReadLabels(Stream stream, string fileName) => ReadLabels(ReadStream(stream, fileName), fileName);

    /// <summary>Reads label-file bytes (plain or gzip); <paramref name="fileName"/> is used in error messages.</summary>
    public static byte[] ReadLabels(byte[] bytes, string fileName)
    {
        byte[] content = Decompress(bytes, fileName);
        CheckMagic(content, LabelsMagic, fileName);
        if (content.Length < LabelsHeaderSize)
            throw new DatasetException(fileName,
                $"is too short for an IDX label header: {content.Length} bytes, need at least {LabelsHeaderSize}. Is the file truncated?");
        int count = ReadSize(content, 4, "label count", fileName);
        CheckLength(content.Length, LabelsHeaderSize, count, $"{count} labels", fileName);
        return content.AsSpan(LabelsHeaderSize).ToArray();
    }

    /// <summary>
    /// The bytes of an IDX file after gzip decompression; bytes that do not start with the gzip signature
    /// (0x1F 0x8B) are returned as they are.
    /// </summary>
    public static byte[] Decompress(byte[] bytes, string fileName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (!IsGzip(bytes)) return bytes;
        try
        {
            // The gzip trailer stores the uncompressed size (mod 2^32): a good first capacity. It is only a hint,
            // capped so that a damaged trailer cannot make us allocate a huge buffer.
            int hint = bytes.Length >= 18 ? BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)) : 0;
            long cap = Math.Min((long)bytes.Length * 64 + 4096, Array.MaxLength);
            var output = new MemoryStream((int)Math.Clamp(hint, 0, cap));
            using (var gzip = new GZipStream(new MemoryStream(bytes, writable: false), CompressionMode.Decompress))
                gzip.CopyTo(output);
            return output.Length == output.Capacity ? output.GetBuffer() : output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new DatasetException(fileName, $"is not a valid gzip stream ({e.Message}). Is the download incomplete or the file damaged?", e);
        }
    }

    private static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"Dataset file '{path}' does not exist.", path, e);
        }
    }

    private static byte[] ReadStream(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static void CheckMagic(byte[] content, int expected, string fileName)
    {
        if (content.Length < 4)
            throw new DatasetException(fileName,
                $"is too short to be an IDX file: {content.Length} bytes, not even a 4-byte magic number. Is the file empty or truncated?");
        int magic = BinaryPrimitives.ReadInt32BigEndian(content);
        if (magic == expected) return;
        string want = expected == ImagesMagic ? "an IDX image file (0x00000803)" : "an IDX label file (0x00000801)";
        string problem;
        if (magic == ImagesMagic || magic == LabelsMagic)
            problem = $"is {(magic == ImagesMagic ? "an IDX image file (0x00000803)" : "an IDX label file (0x00000801)")}, expected {want}. " +
                      "Were the images and labels files swapped?";
        else if ((magic >> 16) != 0)
            problem = $"starts with 0x{magic:X8}, not an IDX magic number (which starts with two zero bytes); expected {want}.";
        else if (((magic >> 8) & 0xFF) != UnsignedByteType)
            problem = $"holds IDX data type 0x{(magic >> 8) & 0xFF:X2}; only unsigned bytes (0x08) are supported; expected {want}.";
        else
            problem = $"has {magic & 0xFF} dimensions (magic number 0x{magic:X8}); expected {want}.";
        throw new DatasetException(fileName, problem);
    }

    private static int ReadSize(byte[] content, int offset, string what, string fileName)
    {
        uint size = BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(offset));
        if (size > int.MaxValue)
            throw new DatasetException(fileName, $"gives an impossible {what} of {size}.");
        return (int)size;
    }

    private static void CheckLength(long actual, int headerSize, long dataSize, string promised, string fileName)
    {
        long expected = headerSize + dataSize;
        if (actual < expected)
            throw new DatasetException(fileName,
                $"is truncated: its header promises {promised} ({expected} bytes with the header), but it holds only {actual} bytes.");
        if (actual > expected)
            throw new DatasetException(fileName,
                $"has {actual - expected} unexpected bytes after the data: its header promises {promised} ({expected} bytes with the header), but it holds {actual} bytes.");
    }
}
