using System.IO.Compression;

namespace NotebookCnn.Runner.Formatting;

/// <summary>
/// Writes an 8-bit greyscale PNG: enough to show a digit or a feature map inline in a notebook
/// without an imaging package.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes <paramref name="pixels"/> (row-major, <paramref name="width"/> × <paramref name="height"/>, 0 = black).</summary>
    public static byte[] EncodeGrey(byte[] pixels, int width, int height)
    {
        if (width <= 0 || height <= 0 || pixels.Length != width * height)
            throw new ArgumentException($"A {width}×{height} image needs {width * height} pixels, got {pixels.Length}.");

        using var png = new MemoryStream();
        png.Write(Signature);

        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 8;  // bits per sample
        header[9] = 0;  // colour type: greyscale
        // compression, filter and interlace methods: 0 (the only standard ones)
        WriteChunk(png, "IHDR", header);

        using (var raw = new MemoryStream())
        {
            using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter type "None" for each scanline
                    zlib.Write(pixels, y * width, width);
                }
            }
            WriteChunk(png, "IDAT", raw.ToArray());
        }
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        var buffer = new byte[4];
        WriteBigEndian(buffer, 0, (uint)data.Length);
        stream.Write(buffer);
        byte[] typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        WriteBigEndian(buffer, 0, crc);
        stream.Write(buffer);
    }

    private static uint Crc(uint crc, byte[] data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    // CRC-32 as the PNG specification defines it (polynomial 0xEDB88320, reflected).
    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    private static void WriteBigEndian(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }
}
