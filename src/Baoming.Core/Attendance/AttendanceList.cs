using System.Globalization;
using System.Text;

namespace Baoming.Core.Attendance;

/// <summary>Who a row of an attendance list names: a Telegram id, an @username, or a personal join link's token.</summary>
public abstract record AttendeeKey
{
    private AttendeeKey()
    {
    }

    public sealed record TelegramId(long Id) : AttendeeKey;

    /// <summary>Without the @, as written (Telegram compares usernames case-insensitively).</summary>
    public sealed record Username(string Name) : AttendeeKey;

    /// <summary>The 22 characters after <c>/j/</c>; whether it is genuine is for the key holder to say.</summary>
    public sealed record Token(string Value) : AttendeeKey;
}

/// <summary>One non-blank row of the list: its line number (1-based), its text for the report, and who it names (null: nobody recognisable).</summary>
public sealed record AttendanceEntry(int Line, string Text, AttendeeKey? Key);

/// <summary>
/// An attendance list from a meeting platform or an organizer's sheet, read without guessing: in each
/// row the first cell that is a Telegram id (5 digits or more, so a row number is not taken for one),
/// an @username, a personal join link or its bare token names the attendee; a row without one is
/// reported back as it is. Names, e-mails and phone numbers are never matched to members.
/// </summary>
public static class AttendanceList
{
    /// <summary>The largest file read, in bytes.</summary>
    public const int MaxBytes = 5_000_000;

    /// <summary>The most rows read; a longer list is refused rather than half imported.</summary>
    public const int MaxRows = 100_000;

    private const int TokenLength = 22;
    private const string LinkPath = "/j/";

    /// <summary>The entries of the rows (blank rows skipped), in order.</summary>
    public static IReadOnlyList<AttendanceEntry> Recognise(IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var entries = new List<AttendanceEntry>();
        var line = 0;
        foreach (var cells in rows)
        {
            line++;
            var texts = cells.Select(c => c.Trim()).Where(c => c.Length > 0).ToList();
            if (texts.Count == 0)
            {
                continue;
            }

            var key = texts.Select(RecogniseCell).FirstOrDefault(k => k is not null);
            entries.Add(new AttendanceEntry(line, string.Join(", ", texts), key));
        }

        return entries;
    }

    /// <summary>What one cell names, or null.</summary>
    public static AttendeeKey? RecogniseCell(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var text = cell.Trim();
        if (text.Length is >= 5 and <= 19 && !text.AsSpan().ContainsAnyExceptInRange('0', '9') && text[0] != '0'
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return new AttendeeKey.TelegramId(id);
        }

        if (text.StartsWith('@') && IsUsername(text.AsSpan(1)))
        {
            return new AttendeeKey.Username(text[1..]);
        }

        if (IsToken(text))
        {
            return new AttendeeKey.Token(text);
        }

        // A link: ".../j/TOKEN", perhaps with a trailing slash, a query or a fragment.
        var at = text.LastIndexOf(LinkPath, StringComparison.Ordinal);
        if (at >= 0 && (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            var rest = text[(at + LinkPath.Length)..];
            var end = rest.IndexOfAny(['/', '?', '#']);
            var token = end < 0 ? rest : rest[..end];
            if (IsToken(token) && (end < 0 || rest[end..].TrimEnd('/').Length == 0 || rest[end] is '?' or '#'))
            {
                return new AttendeeKey.Token(token);
            }
        }

        return null;
    }

    /// <summary>Telegram's rule: 5–32 characters of a–z, 0–9 and underscores, starting with a letter.</summary>
    private static bool IsUsername(ReadOnlySpan<char> name) =>
        name.Length is >= 5 and <= 32 && char.IsAsciiLetter(name[0]) && !name.ContainsAnyExcept(UsernameCharacters);

    private static bool IsToken(ReadOnlySpan<char> text) => text.Length == TokenLength && !text.ContainsAnyExcept(TokenCharacters);

    private static readonly System.Buffers.SearchValues<char> UsernameCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private static readonly System.Buffers.SearchValues<char> TokenCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>
    /// The rows of a CSV text (RFC 4180 quoting; comma, or tab or semicolon when the first line has those
    /// and no comma; a UTF-8 BOM dropped). Null when it has more than <see cref="MaxRows"/> rows.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>>? ParseCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.TrimStart('\uFEFF');
        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOfAny(['\r', '\n']) is var end and >= 0 ? end : text.Length));
        var separator = firstLine.Contains(',') ? ',' : firstLine.Contains('\t') ? '\t' : firstLine.Contains(';') ? ';' : ',';

        var rows = new List<IReadOnlyList<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var isQuoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (isQuoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    isQuoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                isQuoted = true;
            }
            else if (c == separator)
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                if (rows.Count > MaxRows)
                {
                    return null;
                }
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }

        return rows.Count > MaxRows ? null : rows;
    }

    /// <summary>
    /// The report: each entry in file order, resolved to a member (null: unknown), against the members
    /// the import has just marked and those who had attended before. A member named twice counts once,
    /// the second time as already marked. At most <paramref name="listed"/> unknown rows are listed.
    /// </summary>
    public static AttendanceImportResult Tally(
        IEnumerable<(AttendanceEntry Entry, long? MemberId)> resolved, IReadOnlySet<long> markedNow, IReadOnlySet<long> attendedBefore, int listed = 20)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(markedNow);
        ArgumentNullException.ThrowIfNull(attendedBefore);
        int marked = 0, already = 0, notSignedUp = 0, moreUnknown = 0;
        var unknown = new List<UnknownRow>();
        var seen = new HashSet<long>();
        foreach (var (entry, memberId) in resolved)
        {
            if (memberId is not { } member)
            {
                if (unknown.Count < listed)
                {
                    unknown.Add(new UnknownRow(entry.Line, entry.Text));
                }
                else
                {
                    moreUnknown++;
                }
            }
            else if (!seen.Add(member))
            {
                // Named twice: the first row decided; a not-signed-up member stays not signed up.
                if (markedNow.Contains(member) || attendedBefore.Contains(member))
                {
                    already++;
                }
                else
                {
                    notSignedUp++;
                }
            }
            else if (markedNow.Contains(member))
            {
                marked++;
            }
            else if (attendedBefore.Contains(member))
            {
                already++;
            }
            else
            {
                notSignedUp++;
            }
        }

        return new AttendanceImportResult(marked, already, notSignedUp, unknown, moreUnknown);
    }
}

/// <summary>A row the import could not tie to a member, as the file had it.</summary>
public sealed record UnknownRow(int Line, string Text);

/// <summary>
/// What an import did: <see cref="Marked"/> attendances recorded now, <see cref="AlreadyMarked"/> rows whose
/// member had attended already (by link, button, an earlier import, or an earlier row), <see cref="NotSignedUp"/>
/// rows naming someone without a confirmed registration, and the unknown rows (the first ones listed, the rest counted).
/// </summary>
public sealed record AttendanceImportResult(int Marked, int AlreadyMarked, int NotSignedUp, IReadOnlyList<UnknownRow> Unknown, int MoreUnknown);
