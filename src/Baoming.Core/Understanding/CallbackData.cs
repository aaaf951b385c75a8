using System.Globalization;

namespace Baoming.Core.Understanding;

/// <summary>What an inline button asks for once its data has been checked.</summary>
public abstract record ButtonAction
{
    // Private: the four cases below are the whole set, as with Intent.
    private ButtonAction(long sessionId) => SessionId = sessionId;

    public long SessionId { get; }

    public sealed record SignUp(long SessionId) : ButtonAction(SessionId);

    public sealed record Cancel(long SessionId) : ButtonAction(SessionId);

    /// <summary>"Add to calendar": send the .ics file.</summary>
    public sealed record Calendar(long SessionId) : ButtonAction(SessionId);

    /// <summary>"I'll be there", the answer to a reminder.</summary>
    public sealed record Attend(long SessionId) : ButtonAction(SessionId);
}

/// <summary>
/// Inline-button payloads: "su:42". Telegram allows 1–64 bytes and sends back whatever the client
/// claims, so parsing accepts only the exact form written here and nothing else.
/// </summary>
public static class CallbackData
{
    /// <summary>Telegram's limit on callback_data, in bytes.</summary>
    public const int MaxBytes = 64;

    private const string SignUpPrefix = "su:";
    private const string CancelPrefix = "cx:";
    private const string CalendarPrefix = "ic:";
    private const string AttendPrefix = "ok:";
    private const string SessionPagePrefix = "sp:";

    public static string SignUp(long sessionId) => Build(SignUpPrefix, sessionId);

    public static string Cancel(long sessionId) => Build(CancelPrefix, sessionId);

    public static string Calendar(long sessionId) => Build(CalendarPrefix, sessionId);

    public static string Attend(long sessionId) => Build(AttendPrefix, sessionId);

    /// <summary>"More sessions": page <paramref name="page"/> (0 is the first) of the 报名 list.</summary>
    public static string SessionPage(int page) => Build(SessionPagePrefix, page);

    /// <summary>A page of the 报名 list; any number parses (the list clamps it), only the exact form written here.</summary>
    public static bool TryParseSessionPage(string? data, out int page)
    {
        page = 0;
        return data is not null
            && data.StartsWith(SessionPagePrefix, StringComparison.Ordinal)
            && data.Length <= MaxBytes
            && TryParseId(data.AsSpan(SessionPagePrefix.Length), out var id)
            && id <= int.MaxValue
            && (page = (int)id) > 0;
    }

    public static bool TryParse(string? data, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ButtonAction? action)
    {
        action = null;

        // Every valid payload is ASCII, so characters are bytes and the length check is the byte check.
        if (data is null || data.Length is < 4 or > MaxBytes || !TryParseId(data.AsSpan(3), out var id))
        {
            return false;
        }

        action = data[..3] switch
        {
            SignUpPrefix => new ButtonAction.SignUp(id),
            CancelPrefix => new ButtonAction.Cancel(id),
            CalendarPrefix => new ButtonAction.Calendar(id),
            AttendPrefix => new ButtonAction.Attend(id),
            _ => null,
        };
        return action is not null;
    }

    private static string Build(string prefix, long sessionId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sessionId);
        return prefix + sessionId.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Positive, ASCII digits only, no sign, spaces or leading zeros: the one form <see cref="Build"/> writes.</summary>
    private static bool TryParseId(ReadOnlySpan<char> digits, out long id)
    {
        id = 0;
        return digits.Length > 0
            && digits[0] != '0'
            && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out id)
            && id > 0;
    }
}
