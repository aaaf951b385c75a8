using System.Globalization;
using System.Text;

namespace Baoming.Core.Calendar;

/// <summary>
/// An iCalendar (RFC 5545) file for one session, with a reminder alarm. Times are written in UTC
/// ("...Z"), which every calendar app converts to the reader's own zone correctly.
/// </summary>
public static class IcsCalendar
{
    public static string Build(Session session, string? joinUrl, DateTimeOffset stamp, TimeSpan alarmBefore)
    {
        var description = joinUrl is null ? session.Description ?? "" : $"{session.Description}\n{joinUrl}".Trim();
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Baoming//Sign-ups//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            $"UID:{session.Key}-{session.Id}@baoming",
            $"DTSTAMP:{Utc(stamp)}",
            $"DTSTART:{Utc(session.StartsAt)}",
            $"DTEND:{Utc(session.StartsAt.AddMinutes(session.DurationMinutes))}",
            $"SUMMARY:{Escape(session.Title)}",
        };
        if (description.Length > 0)
        {
            lines.Add($"DESCRIPTION:{Escape(description)}");
        }

        if (joinUrl is not null)
        {
            lines.Add($"URL:{StripControls(joinUrl)}");
        }

        lines.AddRange(
        [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            $"DESCRIPTION:{Escape(session.Title)}",
            $"TRIGGER:-PT{(int)alarmBefore.TotalMinutes}M",
            "END:VALARM",
            "END:VEVENT",
            "END:VCALENDAR",
        ]);

        var text = new StringBuilder();
        foreach (var line in lines)
        {
            AppendFolded(text, line);
        }

        return text.ToString();
    }

    private static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// RFC 5545 §3.3.11: backslash, semicolon and comma are escaped, newlines (CRLF, LF or a lone CR)
    /// become \n. Other control characters are not allowed in TEXT and are dropped: a lone CR is a line
    /// end to some readers, so it could otherwise start a property of its own.
    /// </summary>
    private static string Escape(string value) => StripControls(value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal));

    /// <summary>Drops C0 controls (tab included) and DEL, which no field here needs.</summary>
    private static string StripControls(string value) =>
        value.AsSpan().ContainsAnyInRange('\0', '\u001f') || value.Contains('\u007f', StringComparison.Ordinal)
            ? string.Concat(value.Where(c => !char.IsControl(c) || c > '\u007f'))
            : value;

    /// <summary>
    /// RFC 5545 §3.1: lines end in CRLF and are folded at 75 octets (UTF-8) with CRLF + space,
    /// never inside a multi-byte character.
    /// </summary>
    private static void AppendFolded(StringBuilder text, string line)
    {
        var octets = 0;
        var limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                text.Append("\r\n ");
                octets = 0;
                limit = 74; // the leading space counts
            }

            text.Append(rune.ToString());
            octets += size;
        }

        text.Append("\r\n");
    }
}
