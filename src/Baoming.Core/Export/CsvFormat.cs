using System.Buffers;
using System.Globalization;

namespace Baoming.Core.Export;

/// <summary>
/// CSV as RFC 4180 writes it and Excel reads it: fields separated by commas, records ended by CRLF,
/// a field quoted when it holds a comma, a quote, CR or LF, with its quotes doubled. The UTF-8 byte
/// order mark that makes Excel on a Chinese Windows read 汉字 correctly is written by whoever opens
/// the stream (<see cref="ByteOrderMark"/>).
/// </summary>
public static class CsvFormat
{
    public const string LineEnd = "\r\n";

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    /// <summary>UTF-8's byte order mark, first in every CSV export.</summary>
    public static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static void WriteField(TextWriter writer, ReadOnlySpan<char> field)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (field.IndexOfAny(NeedsQuotes) < 0)
        {
            writer.Write(field);
            return;
        }

        writer.Write('"');
        while (field.IndexOf('"') is var quote and >= 0)
        {
            writer.Write(field[..(quote + 1)]);
            writer.Write('"');
            field = field[(quote + 1)..];
        }

        writer.Write(field);
        writer.Write('"');
    }

    public static void WriteCell(TextWriter writer, ExportCell cell)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (cell.Number is { } number)
        {
            Span<char> digits = stackalloc char[20];
            number.TryFormat(digits, out var length, provider: CultureInfo.InvariantCulture);
            writer.Write(digits[..length]);
        }
        else if (cell.Text is { } text)
        {
            WriteField(writer, text);
        }
    }

    /// <summary>One record: the cells, comma-separated, then CRLF.</summary>
    public static void WriteRecord(TextWriter writer, ReadOnlySpan<ExportCell> cells)
    {
        ArgumentNullException.ThrowIfNull(writer);
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            WriteCell(writer, cells[i]);
        }

        writer.Write(LineEnd);
    }

    public static void WriteHeader(TextWriter writer, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(columns);
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            WriteField(writer, FormulaGuard.Neutralise(columns[i]));
        }

        writer.Write(LineEnd);
    }
}
