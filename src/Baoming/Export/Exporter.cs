using System.Text;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Export;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Baoming.Export;

/// <summary>
/// Writes the attendee list of some sessions to a stream as CSV or XLSX, row by row as the database
/// sends them: nothing holds the whole list. Chat and the command line both use it.
/// </summary>
public sealed class Exporter(ExportReader reader, IOptions<CommunityOptions> community)
{
    /// <summary>Called with the number of rows written so far, every <see cref="ProgressEvery"/> rows.</summary>
    public const int ProgressEvery = 1000;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly TimeZoneInfo zone = community.Value.Zone;

    public async Task<ExportSummary> WriteAsync(
        Stream output, ExportFileFormat format, IReadOnlyList<long> sessionIds, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var extra = await reader.ExtraColumnsAsync(sessionIds, cancellationToken);
        var header = ExportColumns.Header([.. extra.Select(c => c.Name)]);
        var counter = new Counter(progress);
        var rows = counter.Count(reader.ReadAsync(sessionIds, extra, cancellationToken));
        if (format == ExportFileFormat.Xlsx)
        {
            await WriteXlsxAsync(output, header, rows, cancellationToken);
        }
        else
        {
            await WriteCsvAsync(output, header, rows, cancellationToken);
        }

        return counter.Summary;
    }

    private async Task WriteCsvAsync(Stream output, IReadOnlyList<string> header, IAsyncEnumerable<ExportRow> rows, CancellationToken cancellationToken)
    {
        // The byte order mark by hand: StreamWriter leaves it out on a stream that is not at position 0.
        output.Write(CsvFormat.ByteOrderMark);
        await using var writer = new StreamWriter(output, Utf8, bufferSize: 1 << 16, leaveOpen: true);
        CsvFormat.WriteHeader(writer, header);
        var cells = new ExportCell[header.Count];
        await foreach (var row in rows)
        {
            ExportRowFormat.Fill(row, zone, cells);
            CsvFormat.WriteRecord(writer, cells);
        }

        await writer.FlushAsync(cancellationToken);
    }

    private async Task WriteXlsxAsync(Stream output, IReadOnlyList<string> header, IAsyncEnumerable<ExportRow> rows, CancellationToken cancellationToken)
    {
        var configuration = new OpenXmlConfiguration
        {
            // Auto width would have to look at every row before writing the first.
            EnableAutoWidth = false,
            FastMode = false,
        };
        await MiniExcel.SaveAsAsync(
            output, ToSheetRows(header, rows), printHeader: false, sheetName: "attendees", excelType: ExcelType.XLSX,
            configuration: configuration, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The header as the first row, then one dictionary per registration, made as MiniExcel asks for
    /// it. Text goes in as it is: MiniExcel writes a string as a string cell (never a formula), so the
    /// CSV's leading apostrophe would only show. The header is a row of its own so that a session with no registrations still has one
    /// (MiniExcel takes column names from the first row, and an empty list has none).
    /// </summary>
    private async IAsyncEnumerable<IDictionary<string, object?>> ToSheetRows(IReadOnlyList<string> header, IAsyncEnumerable<ExportRow> rows)
    {
        var keys = header.Select((_, i) => "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var titles = new Dictionary<string, object?>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            titles[keys[i]] = header[i];
        }

        yield return titles;
        var cells = new ExportCell[header.Count];
        await foreach (var row in rows)
        {
            ExportRowFormat.Fill(row, zone, cells);
            var sheetRow = new Dictionary<string, object?>(keys.Length);
            for (var i = 0; i < keys.Length; i++)
            {
                sheetRow[keys[i]] = cells[i].Value;
            }

            yield return sheetRow;
        }
    }

    /// <summary>Counts rows by status as they stream past, and reports progress.</summary>
    private sealed class Counter(Action<long>? progress)
    {
        private long confirmed;
        private long waitlisted;
        private long cancelled;

        public ExportSummary Summary => new(confirmed, waitlisted, cancelled);

        public async IAsyncEnumerable<ExportRow> Count(IAsyncEnumerable<ExportRow> rows)
        {
            var total = 0L;
            await foreach (var row in rows)
            {
                switch (row.Status)
                {
                    case RegistrationStatus.Confirmed: confirmed++; break;
                    case RegistrationStatus.Waitlisted: waitlisted++; break;
                    default: cancelled++; break;
                }

                if (++total % ProgressEvery == 0)
                {
                    progress?.Invoke(total);
                }

                yield return row;
            }
        }
    }
}
