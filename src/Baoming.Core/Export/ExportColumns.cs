using System.Globalization;

namespace Baoming.Core.Export;

/// <summary>
/// The columns of an attendee export, in order. They are a contract (README, "Exports"): scripts and
/// spreadsheets rely on their names and positions, so columns are only ever appended, never renamed
/// or reordered.
/// </summary>
/// <remarks>
/// <code>
/// session_key       the session's key (e.g. metaverse)
/// session_title     the session's title
/// status            confirmed | waitlisted | cancelled
/// waitlist_position 1, 2, … for waitlisted rows; empty otherwise (a number)
/// registered_at     yyyy-MM-dd HH:mm:ss in Community:TimeZone (Beijing time)
/// cancelled_at      the same format; empty unless cancelled
/// telegram_user_id  the member's Telegram user id (a number)
/// username          Telegram @username without the @; empty when they have none
/// display_name      first and last name as Telegram showed them
/// language          Telegram language code (zh-hans, en, …); empty when unknown
/// reachable         true, or false once the member blocked the bot
/// …                 extra columns appended by <c>IExportColumnSource</c>s (e.g. delivery states, later)
/// </code>
/// </remarks>
public static class ExportColumns
{
    public static IReadOnlyList<string> Standard { get; } =
    [
        "session_key",
        "session_title",
        "status",
        "waitlist_position",
        "registered_at",
        "cancelled_at",
        "telegram_user_id",
        "username",
        "display_name",
        "language",
        "reachable",
    ];

    /// <summary>How times are written: sortable, and read as a date-time by Excel in every locale.</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>The header: the standard columns, then the extra ones.</summary>
    public static IReadOnlyList<string> Header(IReadOnlyList<string> extra) => extra.Count == 0 ? Standard : [.. Standard, .. extra];

    public static string StatusName(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Confirmed => "confirmed",
        RegistrationStatus.Waitlisted => "waitlisted",
        RegistrationStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string FormatTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString(TimeFormat, CultureInfo.InvariantCulture);
}
