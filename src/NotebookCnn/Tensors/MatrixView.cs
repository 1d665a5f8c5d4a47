namespace NotebookCnn;

/// <summary>
/// A matrix inside an array, as <see cref="MatMul"/> reads and writes it: <see cref="StoredRows"/> × <see cref="StoredColumns"/>
/// values stored row by row from <see cref="Offset"/> on, used as it is or transposed. One image's block of a batch
/// tensor, or a filter bank, is a view; nothing is copied.
/// </summary>
/// <param name="Data">The array that holds the matrix.</param>
/// <param name="Offset">The index of the first value.</param>
/// <param name="StoredRows">Rows as stored.</param>
/// <param name="StoredColumns">Columns as stored.</param>
/// <param name="Transposed">Whether the product uses the transpose of the stored matrix.</param>
public readonly record struct MatrixView(float[] Data, int Offset, int StoredRows, int StoredColumns, bool Transposed = false)
{
    /// <summary>A rows × columns matrix stored row-major in <paramref name="data"/> from <paramref name="offset"/> on.</summary>
    public static MatrixView Of(float[] data, int rows, int columns, int offset = 0) => new(data, offset, rows, columns);

    /// <summary>Rows as the product sees them (after transposing).</summary>
    public int Rows => Transposed ? StoredColumns : StoredRows;

    /// <summary>Columns as the product sees them (after transposing).</summary>
    public int Columns => Transposed ? StoredRows : StoredColumns;

    /// <summary>The transpose: the same values, read column by column.</summary>
    public MatrixView T => this with { Transposed = !Transposed };

    /// <summary>E.g. <c>30×25</c> or <c>(25×30)ᵀ</c>.</summary>
    public override string ToString() => Transposed ? $"({StoredRows}×{StoredColumns})ᵀ" : $"{StoredRows}×{StoredColumns}";
}
