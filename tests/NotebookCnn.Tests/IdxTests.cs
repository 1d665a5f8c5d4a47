using CsCheck;

namespace NotebookCnn.Tests;

public class IdxTests
{
    [Fact]
    public void Images_round_trip_from_plain_bytes()
    {
        var images = Idx.ReadImages(IdxFiles.Images(3, 4, 5, i => (byte)i), "tiny.idx3");
        Assert.Equal((3, 4, 5), (images.Count, images.Rows, images.Columns));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (byte)i), images.Pixels);
    }

    [Fact]
    public void Gzip_is_recognised_by_its_signature_not_the_file_name()
    {
        var plain = IdxFiles.Images(2, 3, 3);
        var images = Idx.ReadImages(IdxFiles.Gzip(plain), "no-extension");
        Assert.Equal(plain[16..], images.Pixels);
    }

    [Fact]
    public void Images_become_a_tensor_of_shape_N_1_rows_columns_scaled_to_0_1()
    {
        var images = Idx.ReadImages(IdxFiles.Images(2, 2, 3, i => i == 0 ? (byte)0 : i == 1 ? (byte)255 : (byte)51), "x");
        var tensor = images.ToTensor();
        Assert.Equal(new[] { 2, 1, 2, 3 }, tensor.ShapeArray());
        Assert.Equal(0f, tensor.Data[0]);
        Assert.Equal(1f, tensor.Data[1]);
        Assert.Equal(0.2f, tensor.Data[2]);
    }

    [Fact]
    public void Labels_round_trip_from_a_stream()
    {
        var labels = Idx.ReadLabels(new MemoryStream(IdxFiles.Labels(7, 0, 9)), "labels");
        Assert.Equal(new byte[] { 7, 0, 9 }, labels);
    }

    [Fact]
    public void Gzip_files_on_disk_are_read_by_path()
    {
        string folder = IdxFiles.TempFolder();
        try
        {
            string images = Path.Combine(folder, "images.gz");
            string labels = Path.Combine(folder, "labels");
            File.WriteAllBytes(images, IdxFiles.Gzip(IdxFiles.Images(4, 2, 2)));
            File.WriteAllBytes(labels, IdxFiles.Labels(1, 2, 3, 4));
            Assert.Equal(4, Idx.ReadImages(images).Count);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, Idx.ReadLabels(labels));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void A_labels_file_read_as_images_is_rejected_naming_the_swap()
    {
        var e = Assert.Throws<DatasetException>(() => Idx.ReadImages(IdxFiles.Labels(1, 2), "train-labels-idx1-ubyte"));
        Assert.Contains("train-labels-idx1-ubyte", e.Message);
        Assert.Contains("0x00000803", e.Message);
        Assert.Contains("swapped", e.Message);
    }

    [Fact]
    public void A_wrong_magic_number_is_rejected()
    {
        var bytes = IdxFiles.Images(1, 2, 2, magic: 0x12345678);
        var e = Assert.Throws<DatasetException>(() => Idx.ReadImages(bytes, "weird.bin"));
        Assert.Equal("weird.bin", e.FileName);
        Assert.Contains("0x12345678", e.Message);
    }

    [Fact]
    public void A_wrong_number_of_dimensions_is_rejected()
    {
        var bytes = IdxFiles.Images(1, 2, 2, magic: 0x00000804);
        var e = Assert.Throws<DatasetException>(() => Idx.ReadImages(bytes, "four-d"));
        Assert.Contains("4 dimensions", e.Message);
    }

    [Fact]
    public void A_data_type_other_than_unsigned_byte_is_rejected()
    {
        var bytes = IdxFiles.Images(1, 2, 2, magic: 0x00000D03);
        var e = Assert.Throws<DatasetException>(() => Idx.ReadImages(bytes, "floats"));
        Assert.Contains("0x0D", e.Message);
    }

    [Fact]
    public void A_truncated_image_file_is_rejected_with_promised_and_actual_sizes()
    {
        var bytes = IdxFiles.Images(3, 4, 4)[..^5];
        var e = Assert.Throws<DatasetException>(() => Idx.ReadImages(bytes, "cut.idx3"));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("3 images of 4×4", e.Message);
        Assert.Contains((16 + 48).ToString(), e.Message);
        Assert.Contains((16 + 48 - 5).ToString(), e.Message);
    }

    [Fact]
    public void A_truncated_header_is_rejected()
    {
        var e = Assert.Throws<DatasetException>(() => Idx.ReadLabels(IdxFiles.Labels(1)[..5], "short"));
        Assert.Contains("too short", e.Message);
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        var bytes = IdxFiles.Labels(1, 2, 3).Concat(new byte[] { 0, 0 }).ToArray();
        var e = Assert.Throws<DatasetException>(() => Idx.ReadLabels(bytes, "long"));
        Assert.Contains("2 unexpected bytes", e.Message);
    }

    [Fact]
    public void A_count_that_cannot_be_an_int_is_rejected()
    {
        var bytes = IdxFiles.Labels(1);
        bytes[4] = 0xFF;
        var e = Assert.Throws<DatasetException>(() => Idx.ReadLabels(bytes, "huge"));
        Assert.Contains("label count", e.Message);
    }

    [Fact]
    public void Damaged_gzip_is_rejected_as_a_dataset_error()
    {
        var gz = IdxFiles.Gzip(IdxFiles.Images(5, 8, 8));
        for (int i = 12; i < gz.Length - 8; i++) gz[i] ^= 0x5A;
        var e = Assert.Throws<DatasetException>(() => Idx.ReadImages(gz, "broken.gz"));
        Assert.Contains("broken.gz", e.Message);
    }

    [Fact]
    public void Truncated_gzip_is_rejected()
    {
        var gz = IdxFiles.Gzip(IdxFiles.Images(5, 8, 8));
        var e = Assert.Throws<DatasetException>(() => Idx.ReadImages(gz[..(gz.Length / 2)], "half.gz"));
        Assert.Contains("half.gz", e.Message);
    }

    // Property tests: whatever happens to the bytes, the reader either returns data that matches its own header
    // or throws DatasetException — never another exception type. (A hang would show as a test that never ends.)

    [Fact]
    public void Mutated_image_files_only_ever_throw_DatasetException()
    {
        var valid = IdxFiles.Images(3, 5, 4);
        Gen.Select(Gen.Int[0, valid.Length - 1].Array[1, 6], Gen.Byte.Array[1, 6], Gen.Int[0, valid.Length + 4])
            .Sample((positions, values, length) =>
            {
                var bytes = (byte[])valid.Clone();
                for (int i = 0; i < positions.Length; i++) bytes[positions[i]] = values[i % values.Length];
                Array.Resize(ref bytes, length);
                AssertImagesReadOrRejected(bytes);
                AssertImagesReadOrRejected(IdxFiles.Gzip(bytes));
            }, iter: 2000);
    }

    [Fact]
    public void Mutated_gzip_bytes_only_ever_throw_DatasetException()
    {
        var gz = IdxFiles.Gzip(IdxFiles.Images(3, 5, 4));
        Gen.Select(Gen.Int[0, gz.Length - 1].Array[1, 4], Gen.Byte.Array[1, 4], Gen.Int[0, gz.Length])
            .Sample((positions, values, length) =>
            {
                var bytes = (byte[])gz.Clone();
                for (int i = 0; i < positions.Length; i++) bytes[positions[i]] = values[i % values.Length];
                AssertImagesReadOrRejected(bytes[..length]);
            }, iter: 2000);
    }

    [Fact]
    public void Random_bytes_only_ever_throw_DatasetException()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            AssertImagesReadOrRejected(bytes);
            try { Idx.ReadLabels(bytes, "random"); }
            catch (DatasetException) { }
        }, iter: 2000);
    }

    private static void AssertImagesReadOrRejected(byte[] bytes)
    {
        try
        {
            var images = Idx.ReadImages(bytes, "mutated");
            Assert.Equal((long)images.Count * images.Rows * images.Columns, images.Pixels.LongLength);
        }
        catch (DatasetException e)
        {
            Assert.Contains("mutated", e.Message);
        }
    }
}
