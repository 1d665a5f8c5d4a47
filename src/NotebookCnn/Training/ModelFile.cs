using System.Text;

namespace NotebookCnn;

/// <summary>
/// Saves and loads a model's learnable parameters and buffers (e.g. BatchNorm's running statistics).
/// The architecture itself is not saved: build the same network in code, then <see cref="Load"/> into it.
/// </summary>
/// <remarks>
/// <para>The format ("NBCNN1"), all numbers little-endian:</para>
/// <code>
/// 6 bytes   ASCII "NBCNN1"
/// int32     tensor count
/// per tensor, parameters first (in model.Parameters order), then buffers (in model.Buffers order):
///   int32     name length in bytes, then the name in UTF-8   (e.g. "conv1.weight")
///   int32     rank, then rank × int32 dimensions             (e.g. 4: 30, 1, 5, 5)
///   float32 × (product of the dimensions)                    the values, row-major
/// </code>
/// <para>Saving writes a temporary file in the same folder and then renames it over the target, so a
/// crash while saving never leaves a half-written model file behind.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The 6 bytes every model file starts with.</summary>
    public const string Magic = "NBCNN1";

    // Guards against reading garbage as a huge allocation; no real tensor comes close.
    private const int MaxRank = 8;
    private const int MaxNameBytes = 1 << 16;

    /// <summary>Writes the parameters and buffers of <paramref name="model"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(Layer model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            var tensors = Entries(model);
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(tensors.Count);
            foreach (var (name, value) in tensors)
            {
                byte[] nameBytes = Encoding.UTF8.GetBytes(name);
                writer.Write(nameBytes.Length);
                writer.Write(nameBytes);
                writer.Write(value.Rank);
                foreach (int d in value.Shape) writer.Write(d);
                foreach (float v in value.Data) writer.Write(v);
            }
        });
    }

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="model"/>, which must have the same parameters and
    /// buffers (names and shapes, in order). Nothing is changed unless the whole file matches.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a model file, is truncated, or does not match the model.</exception>
    public static void Load(Layer model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stored = Read(path);
        var expected = Entries(model);

        if (stored.Count != expected.Count)
            throw new InvalidDataException(
                $"Model file '{path}' holds {stored.Count} tensors but model '{model.Name}' has {expected.Count} " +
                $"({model.Parameters.Count} parameters, {model.Buffers.Count} buffers): the architectures differ.");
        for (int i = 0; i < expected.Count; i++)
        {
            var (name, value) = expected[i];
            var (storedName, storedValue) = stored[i];
            if (name != storedName || !value.SameShape(storedValue))
                throw new InvalidDataException(
                    $"Model file '{path}' does not match model '{model.Name}' at tensor {i}: " +
                    $"model has {name} {Tensor.FormatShape(value.Shape)}, file has {storedName} {Tensor.FormatShape(storedValue.Shape)}.");
        }
        for (int i = 0; i < expected.Count; i++) expected[i].Value.CopyFrom(stored[i].Value);
    }

    /// <summary>Reads all named tensors of a model file, without a model (e.g. to inspect what it holds).</summary>
    /// <exception cref="InvalidDataException">The file is not a model file or is truncated.</exception>
    public static IReadOnlyList<(string Name, Tensor Value)> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            byte[] magic = reader.ReadBytes(Magic.Length);
            if (Encoding.ASCII.GetString(magic) != Magic)
                throw new InvalidDataException($"'{path}' is not a NotebookCnn model file: it does not start with \"{Magic}\".");
            int count = reader.ReadInt32();
            if (count < 0) throw Corrupt(path, $"a negative tensor count ({count})");

            var result = new List<(string, Tensor)>(Math.Min(count, 1024));
            for (int i = 0; i < count; i++)
            {
                int nameLength = reader.ReadInt32();
                if (nameLength < 0 || nameLength > MaxNameBytes) throw Corrupt(path, $"a name of {nameLength} bytes at tensor {i}");
                string name = Encoding.UTF8.GetString(ReadExactly(reader, nameLength));
                int rank = reader.ReadInt32();
                if (rank < 0 || rank > MaxRank) throw Corrupt(path, $"rank {rank} for '{name}'");
                var shape = new int[rank];
                long length = 1;
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = reader.ReadInt32();
                    if (shape[d] < 0) throw Corrupt(path, $"a negative dimension in '{name}'");
                    length *= shape[d];
                }
                long remaining = stream.Length - stream.Position;
                if (length * sizeof(float) > remaining) throw new EndOfStreamException();
                var data = new float[length];
                for (int k = 0; k < data.Length; k++) data[k] = reader.ReadSingle();
                result.Add((name, new Tensor(data, shape)));
            }
            if (stream.Position != stream.Length)
                throw Corrupt(path, $"{stream.Length - stream.Position} unexpected bytes after the last tensor");
            return result;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException(
                $"Model file '{path}' is truncated: it ends at byte {stream.Length} in the middle of a tensor. Save the model again.");
        }
    }

    private static byte[] ReadExactly(BinaryReader reader, int count)
    {
        byte[] bytes = reader.ReadBytes(count);
        if (bytes.Length != count) throw new EndOfStreamException();
        return bytes;
    }

    private static InvalidDataException Corrupt(string path, string what) =>
        new($"Model file '{path}' is damaged: it contains {what}.");

    private static List<(string Name, Tensor Value)> Entries(Layer model)
    {
        var entries = model.Parameters.Select(p => (p.Name, p.Value)).ToList();
        entries.AddRange(model.Buffers);
        return entries;
    }
}
