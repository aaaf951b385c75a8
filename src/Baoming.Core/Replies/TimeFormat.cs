using System.Globalization;

namespace Baoming.Core.Replies;

/// <summary>
/// Session times as members read them: "2月17日 周三 19:30（北京时间）" / "Wed, Feb 17, 19:30 (Beijing time)".
/// Names come from fixed arrays so the output does not depend on the server's culture or ICU data.
/// </summary>
public static class TimeFormat
{
    private const string ShanghaiZoneId = "Asia/Shanghai";

    private static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    // Indexed by DayOfWeek, which starts on Sunday.
    private static readonly string[] ChineseWeekdays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    private static readonly string[] EnglishWeekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    private static readonly string[] EnglishMonths =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Date, weekday, time and zone label of <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone, Language language)
    {
        var local = ToLocal(instant, zone);
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        var isBeijing = zone.Id == ShanghaiZoneId || local.Offset == BeijingOffset;
        return language == Language.English
            ? $"{EnglishDate(local)}, {time} ({(isBeijing ? "Beijing time" : OffsetLabel(local.Offset))})"
            : $"{ChineseDate(local)} {time}（{(isBeijing ? "北京时间" : OffsetLabel(local.Offset))}）";
    }

    /// <summary>Date and weekday only: "2月17日 周三" / "Wed, Feb 17".</summary>
    public static string FormatDate(DateTimeOffset instant, TimeZoneInfo zone, Language language)
    {
        var local = ToLocal(instant, zone);
        return language == Language.English ? EnglishDate(local) : ChineseDate(local);
    }

    private static DateTimeOffset ToLocal(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return TimeZoneInfo.ConvertTime(instant, zone);
    }

    private static string ChineseDate(DateTimeOffset local) =>
        string.Create(CultureInfo.InvariantCulture, $"{local.Month}月{local.Day}日 {ChineseWeekdays[(int)local.DayOfWeek]}");

    private static string EnglishDate(DateTimeOffset local) =>
        string.Create(CultureInfo.InvariantCulture, $"{EnglishWeekdays[(int)local.DayOfWeek]}, {EnglishMonths[local.Month - 1]} {local.Day}");

    /// <summary>"UTC+09:00", "UTC-05:30".</summary>
    private static string OffsetLabel(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var magnitude = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{magnitude.Hours:00}:{magnitude.Minutes:00}");
    }
}
