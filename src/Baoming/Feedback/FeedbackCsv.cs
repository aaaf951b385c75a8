using System.Text;
using Baoming.Core.Export;

namespace Baoming.Feedback;

/// <summary>
/// The comments of a session as the CSV <c>/feedback KEY</c> sends: UTF-8 with a byte order mark (Excel on a
/// Chinese Windows reads 汉字 right), CRLF, quoted where needed, and every text cell formula-guarded, as the
/// attendee export writes them. The columns are named like the export's.
/// </summary>
public static class FeedbackCsv
{
    public static IReadOnlyList<string> Columns { get; } = ["commented_at", "telegram_user_id", "username", "display_name", "score", "comment"];

    public static byte[] Write(IReadOnlyList<FeedbackComment> comments, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(comments);
        using var buffer = new MemoryStream();
        buffer.Write(CsvFormat.ByteOrderMark);
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true))
        {
            CsvFormat.WriteHeader(writer, Columns);
            foreach (var c in comments)
            {
                CsvFormat.WriteRecord(writer,
                [
                    ExportCell.FromText(ExportColumns.FormatTime(c.CommentedAt, zone)),
                    ExportCell.FromNumber(c.MemberId),
                    ExportCell.FromText(c.Username),
                    ExportCell.FromText(c.DisplayName),
                    ExportCell.FromNumber(c.Score),
                    ExportCell.FromText(c.Comment),
                ]);
            }
        }

        return buffer.ToArray();
    }
}
