using System.Globalization;
using System.Text;
using Baoming.Audit;
using Baoming.Core;
using Baoming.Core.Attendance;
using MiniExcelLibs;

namespace Baoming.Attendance;

/// <summary>Why an attendance file was not imported.</summary>
public enum ImportProblem
{
    None,

    /// <summary>Over <see cref="AttendanceList.MaxBytes"/> bytes or <see cref="AttendanceList.MaxRows"/> rows.</summary>
    TooBig,

    /// <summary>Neither an XLSX workbook nor UTF-8 text.</summary>
    Unreadable,
}

/// <summary>
/// An organizer's attendance list (from <c>/attendance KEY</c> or <c>attendance import</c>): read (CSV or the
/// first sheet of an XLSX), recognised row by row without guessing (<see cref="AttendanceList"/>), resolved
/// to members (ids as they are, @usernames through the members table, personal-link tokens decrypted and
/// held to this session), marked 'import' where not attended yet, reported, and audited.
/// </summary>
public sealed class AttendanceImport(AttendanceStore store, JoinLinks links, AuditLog audit, TimeProvider time)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<(AttendanceImportResult? Result, ImportProblem Problem)> ImportAsync(
        long actorId, Session session, byte[] content, string via, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length > AttendanceList.MaxBytes)
        {
            return (null, ImportProblem.TooBig);
        }

        var (rows, problem) = Read(content);
        if (rows is null)
        {
            return (null, problem);
        }

        var entries = AttendanceList.Recognise(rows);
        var resolved = await ResolveAsync(session.Id, entries, cancellationToken);
        var memberIds = resolved.Select(r => r.MemberId).OfType<long>().Distinct().ToList();
        var (markedNow, attendedBefore) = memberIds.Count == 0
            ? (new HashSet<long>(), new HashSet<long>())
            : await store.ImportAsync(session.Id, memberIds, time.GetUtcNow(), cancellationToken);
        var result = AttendanceList.Tally(resolved, markedNow, attendedBefore);
        await audit.WriteAsync(actorId, "attendance.import", new
        {
            session_id = session.Id,
            session_key = session.Key,
            rows = entries.Count,
            marked = result.Marked,
            already_marked = result.AlreadyMarked,
            not_signed_up = result.NotSignedUp,
            unknown = result.Unknown.Count + result.MoreUnknown,
            via,
        }, cancellationToken);
        return (result, ImportProblem.None);
    }

    private async Task<List<(AttendanceEntry Entry, long? MemberId)>> ResolveAsync(long sessionId, IReadOnlyList<AttendanceEntry> entries, CancellationToken cancellationToken)
    {
        var usernames = entries.Select(e => e.Key).OfType<AttendeeKey.Username>().Select(u => u.Name).ToList();
        var byUsername = await store.MembersByUsernameAsync(usernames, cancellationToken);
        if (entries.Any(e => e.Key is AttendeeKey.Token))
        {
            await links.LoadAsync(cancellationToken);
        }

        return [.. entries.Select(entry => (entry, entry.Key switch
        {
            AttendeeKey.TelegramId id => id.Id,
            AttendeeKey.Username name => byUsername.TryGetValue(name.Name.ToLowerInvariant(), out var member) ? member : (long?)null,
            // Another session's link names its member, but not for this session: reported, not guessed.
            AttendeeKey.Token token => links.Read(token.Value) is { } ids && ids.SessionId == sessionId ? ids.MemberId : null,
            _ => null,
        }))];
    }

    /// <summary>The rows of an XLSX (a ZIP: "PK") or of UTF-8 CSV text.</summary>
    private static (IReadOnlyList<IReadOnlyList<string>>? Rows, ImportProblem Problem) Read(byte[] content)
    {
        if (content is [(byte)'P', (byte)'K', ..])
        {
            return ReadXlsx(content);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return (null, ImportProblem.Unreadable);
        }

        return AttendanceList.ParseCsv(text) is { } rows ? (rows, ImportProblem.None) : (null, ImportProblem.TooBig);
    }

    private static (IReadOnlyList<IReadOnlyList<string>>? Rows, ImportProblem Problem) ReadXlsx(byte[] content)
    {
        var rows = new List<IReadOnlyList<string>>();
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX))
            {
                if (rows.Count == AttendanceList.MaxRows)
                {
                    return (null, ImportProblem.TooBig);
                }

                rows.Add([.. row.Values.Select(Cell)]);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever a damaged or foreign workbook makes the reader throw (ZIP, XML, format errors).
            return (null, ImportProblem.Unreadable);
        }

        return (rows, ImportProblem.None);
    }

    /// <summary>A cell as text: a number typed into Excel (a Telegram id) comes back as a double, written without ".0".</summary>
    private static string Cell(object? value) => value switch
    {
        null => "",
        double number when number == Math.Floor(number) && Math.Abs(number) < 1e17 => ((long)number).ToString(CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
