using System.Globalization;

namespace Baoming.Core.Export;

public enum ExportFileFormat
{
    Csv,
    Xlsx,
}

/// <summary>File formats by name, file names, and the export buttons' callback data.</summary>
public static class ExportFiles
{
    public const string SessionButtonPrefix = "ex";
    public const string FormatButtonPrefix = "ef";

    public static bool TryParseFormat(string? name, out ExportFileFormat format)
    {
        switch (name?.ToLowerInvariant())
        {
            case "csv":
                format = ExportFileFormat.Csv;
                return true;
            case "xlsx":
                format = ExportFileFormat.Xlsx;
                return true;
            default:
                format = default;
                return false;
        }
    }

    public static string Extension(ExportFileFormat format) => format == ExportFileFormat.Xlsx ? "xlsx" : "csv";

    /// <summary>"metaverse-2027-02-17.csv": the session's key and its date in the community's zone.</summary>
    public static string FileName(Session session, TimeZoneInfo zone, ExportFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(session);
        var day = TimeZoneInfo.ConvertTime(session.StartsAt, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"{session.Key}-{day}.{Extension(format)}";
    }

    /// <summary>"ex:42": choose session 42.</summary>
    public static string SessionButton(long sessionId) => $"{SessionButtonPrefix}:{Id(sessionId)}";

    /// <summary>"ef:42:xlsx": export session 42 as XLSX. At most 3 + 19 + 5 bytes, well under Telegram's 64.</summary>
    public static string FormatButton(long sessionId, ExportFileFormat format) => $"{FormatButtonPrefix}:{Id(sessionId)}:{Extension(format)}";

    /// <summary>The payload after "ex:": a session id in the one form <see cref="SessionButton"/> writes.</summary>
    public static bool TryParseSessionPayload(string? payload, out long sessionId) => TryParseId(payload, out sessionId);

    /// <summary>The payload after "ef:": "42:csv" or "42:xlsx", nothing else.</summary>
    public static bool TryParseFormatPayload(string? payload, out long sessionId, out ExportFileFormat format)
    {
        sessionId = 0;
        format = default;
        var colon = payload?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0
            && payload![(colon + 1)..] is "csv" or "xlsx"
            && TryParseFormat(payload[(colon + 1)..], out format)
            && TryParseId(payload[..colon], out sessionId);
    }

    private static string Id(long sessionId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sessionId);
        return sessionId.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Positive ASCII digits, no sign, spaces or leading zeros.</summary>
    private static bool TryParseId(string? digits, out long id)
    {
        id = 0;
        return digits is { Length: > 0 and <= 19 }
            && digits[0] != '0'
            && !digits.AsSpan().ContainsAnyExceptInRange('0', '9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
