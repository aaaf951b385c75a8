using System.Text;
using Dapper;
using MiniExcelLibs;
using Npgsql;

namespace Baoming.Tests.Export;

/// <summary>A registration to put straight into the database, with the member behind it.</summary>
public sealed record SeedRegistration(
    long MemberId,
    string DisplayName,
    string Status,
    DateTimeOffset RegisteredAt,
    string? Username = null,
    string? Language = "zh-hans",
    DateTimeOffset? CancelledAt = null,
    long? WaitlistSeq = null,
    bool IsUnreachable = false);

/// <summary>Test data in, export files out: seeding registrations, reading CSV and XLSX back.</summary>
public static class ExportData
{
    public static async Task SeedAsync(string connectionString, string sessionKey, params SeedRegistration[] registrations)
    {
        const string Sql = """
            insert into members (id, username, display_name, language_code, unreachable_at)
            values (@MemberId, @Username, @DisplayName, @Language, case when @IsUnreachable then now() end)
            on conflict (id) do nothing;
            insert into registrations (session_id, member_id, status, registered_at, cancelled_at, waitlist_seq)
            values ((select id from sessions where key = @SessionKey), @MemberId, @Status, @RegisteredAt, @CancelledAt, @WaitlistSeq);
            update sessions
               set confirmed_count = confirmed_count + (@Status = 'confirmed')::int,
                   waitlisted_count = waitlisted_count + (@Status = 'waitlisted')::int
             where key = @SessionKey;
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        foreach (var r in registrations)
        {
            await connection.ExecuteAsync(Sql, new
            {
                SessionKey = sessionKey,
                r.MemberId,
                r.Username,
                r.DisplayName,
                r.Language,
                r.IsUnreachable,
                r.Status,
                r.RegisteredAt,
                r.CancelledAt,
                r.WaitlistSeq,
            });
        }
    }

    /// <summary>Parses RFC 4180 CSV (after its BOM) into records of fields, exactly as written.</summary>
    public static List<List<string>> ParseCsv(byte[] bytes)
    {
        Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "The CSV must start with the UTF-8 BOM.");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }
            }

            if (i < text.Length && text[i] == ',')
            {
                record.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i += 2;
            }
            else if (i < text.Length)
            {
                Assert.False(text[i] is '\r' or '\n' or '"', $"A bare {(int)text[i]} outside quotes at {i}: lines must end with CRLF and quotes be escaped.");
                field.Append(text[i++]);
            }
        }

        Assert.True(field.Length == 0 && record.Count == 0, "The last record must end with CRLF.");
        return records;
    }

    /// <summary>Reads an XLSX back with MiniExcel: rows of cell values by column order.</summary>
    public static List<List<object?>> ReadXlsx(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return [.. stream.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(row => row.Values.ToList())];
    }

    /// <summary>The first worksheet's XML, as a spreadsheet app reads it.</summary>
    public static string XlsxSheetXml(byte[] bytes)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes), System.IO.Compression.ZipArchiveMode.Read);
        var entry = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    /// <summary>The <c>t</c> attribute (cell type) of each cell in <paramref name="column"/>, row by row ("" when absent: a number).</summary>
    public static List<string> XlsxCellTypes(string sheetXml, string column)
    {
        var document = System.Xml.Linq.XDocument.Parse(sheetXml);
        return [.. document.Descendants().Where(e => e.Name.LocalName == "c"
                && System.Text.RegularExpressions.Regex.IsMatch((string?)e.Attribute("r") ?? "", $"^{column}[0-9]+$"))
            .Select(e => (string?)e.Attribute("t") ?? "")];
    }
}
