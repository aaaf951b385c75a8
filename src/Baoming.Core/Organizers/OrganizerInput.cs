using System.Globalization;
using System.Text.RegularExpressions;

namespace Baoming.Core.Organizers;

/// <summary>Why an organizer's input was refused; each has its own zh/en sentence in <see cref="Replies.Texts"/>.</summary>
public enum InputError
{
    Usage,
    BadKey,
    BadDate,
    BadTime,
    InThePast,
    BadMinutes,
    BadCapacity,
    MissingTitle,
    BadLink,
    UnknownField,
    Empty,
    TooLong,
    BadHtml,
    TitleTooLong,
    AliasTooLong,
    TooManyAliases,

    /// <summary>Sign-up would open at or after the start; the detail is the start as typed or stored.</summary>
    OpensNotBeforeStart,

    /// <summary>A new start at or before the session's opening time; the detail is the opening time.</summary>
    StartNotAfterOpens,

    /// <summary><c>series=</c> with something that cannot be a series key.</summary>
    BadSeriesKey,

    /// <summary>An opening time that is not "2027-02-24T10:00" or "2027-02-24 10:00"; the detail is what was typed.</summary>
    BadOpens,

    /// <summary>The same <c>name=</c> option twice in one <c>/newsession</c>.</summary>
    RepeatedOption,
}

/// <summary>A new session as typed in <c>/newsession KEY 2027-03-03 19:30 90 100 [opens=…] [series=…] 标题…</c>.</summary>
public sealed record NewSession(string Key, DateTimeOffset StartsAt, int DurationMinutes, int Capacity, string Title)
{
    /// <summary><c>opens=2027-01-10T10:00</c>: when sign-up opens (before <see cref="StartsAt"/>); null: at once.</summary>
    public DateTimeOffset? OpensAt { get; init; }

    /// <summary><c>series=KEY</c>: the key of the series the session belongs to (looked up when stored).</summary>
    public string? Series { get; init; }
}

/// <summary>An input that parsed, or why it did not (with the offending piece, to echo back).</summary>
public sealed record Parsed<T>(T? Value, InputError? Error = null, string? Detail = null)
{
    public bool IsOk => Error is null;
}

internal static class Parsed
{
    public static Parsed<T> Ok<T>(T value) => new(value);

    public static Parsed<T> Fail<T>(InputError error, string? detail = null) => new(default, error, detail);
}

/// <summary>
/// Organizers' one-line forms, parsed without I/O: dates and times are in the community's zone
/// (Beijing time), and a time in the past is refused here so nothing is stored.
/// </summary>
public static partial class OrganizerInput
{
    public const int MaxMinutes = 24 * 60;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex KeyPattern();

    public static bool IsValidKey(string key) => KeyPattern().IsMatch(key);

    /// <summary>The <c>name=</c> options <c>/newsession</c> takes between the capacity and the title.</summary>
    public const string OpensOption = "opens", SeriesOption = "series";

    /// <summary>
    /// "KEY 2027-03-03 19:30 90 100 [opens=2027-02-24T10:00] [series=KEY] 标题…"; the title is everything after
    /// the capacity and the options. Only the option names above are read as options, so a title that happens
    /// to contain "=" (E=mc²) stays a title, as it was before options existed.
    /// </summary>
    public static Parsed<NewSession> ParseNewSession(string? arguments, TimeZoneInfo zone, DateTimeOffset now)
    {
        var parts = Split(arguments, 6);
        if (parts.Length < 5)
        {
            return Parsed.Fail<NewSession>(InputError.Usage);
        }

        if (!IsValidKey(parts[0]))
        {
            return Parsed.Fail<NewSession>(InputError.BadKey, parts[0]);
        }

        var when = ParseTime(parts[1], parts[2], zone, now);
        if (!when.IsOk)
        {
            return Parsed.Fail<NewSession>(when.Error!.Value, when.Detail);
        }

        if (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes is < 1 or > MaxMinutes)
        {
            return Parsed.Fail<NewSession>(InputError.BadMinutes, parts[3]);
        }

        if (!TryParseCapacity(parts[4], out var capacity))
        {
            return Parsed.Fail<NewSession>(InputError.BadCapacity, parts[4]);
        }

        var rest = parts.Length < 6 ? "" : parts[5];
        DateTimeOffset? opensAt = null;
        string? series = null;
        while (NextOption(rest) is var (name, value, remainder))
        {
            if ((name == OpensOption && opensAt is not null) || (name == SeriesOption && series is not null))
            {
                return Parsed.Fail<NewSession>(InputError.RepeatedOption, name);
            }

            if (name == OpensOption)
            {
                var opens = ParseOpens(value, when.Value, zone, now);
                if (!opens.IsOk)
                {
                    return Parsed.Fail<NewSession>(opens.Error!.Value, opens.Detail);
                }

                opensAt = opens.Value;
            }
            else
            {
                if (!IsValidKey(value))
                {
                    return Parsed.Fail<NewSession>(InputError.BadSeriesKey, value);
                }

                series = value;
            }

            rest = remainder;
        }

        var title = ParseTitle(rest);
        return title.IsOk
            ? Parsed.Ok<NewSession>(new NewSession(parts[0], when.Value, minutes, capacity, title.Value!) { OpensAt = opensAt, Series = series })
            : Parsed.Fail<NewSession>(title.Error!.Value, title.Detail);
    }

    /// <summary>The leading <c>opens=…</c> or <c>series=…</c> token of <paramref name="text"/> (name lower-cased), and what follows it.</summary>
    private static (string Name, string Value, string Remainder)? NextOption(string text)
    {
        var pieces = Split(text, 2);
        if (pieces.Length == 0)
        {
            return null;
        }

        var equals = pieces[0].IndexOfAny(['=', '＝']);
        var name = equals > 0 ? pieces[0][..equals].ToLowerInvariant() : "";
        return name is OpensOption or SeriesOption
            ? (name, pieces[0][(equals + 1)..], pieces.Length > 1 ? pieces[1] : "")
            : null;
    }

    /// <summary>
    /// When sign-up opens, in the community's zone: "2027-02-24T10:00" (one token, as <c>/newsession</c>'s
    /// <c>opens=</c> takes it) or "2027-02-24 10:00" (as <c>/editsession … opens</c> takes it, like its
    /// <c>time</c>). Refused when not after <paramref name="now"/> or not before <paramref name="startsAt"/>.
    /// </summary>
    public static Parsed<DateTimeOffset> ParseOpens(string text, DateTimeOffset startsAt, TimeZoneInfo zone, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        var t = trimmed.IndexOfAny(['T', 't']);
        var when = t > 0 && !trimmed.Contains(' ', StringComparison.Ordinal)
            ? ParseTime(trimmed[..t], trimmed[(t + 1)..], zone, now)
            : ParseTime(trimmed, zone, now);
        if (when.Error is InputError.BadDate or InputError.BadTime)
        {
            // One message for the whole value: "时间「2027-02-24」看不懂" would blame the wrong half.
            return Parsed.Fail<DateTimeOffset>(InputError.BadOpens, trimmed);
        }

        if (!when.IsOk)
        {
            return when;
        }

        return when.Value < startsAt
            ? when
            : Parsed.Fail<DateTimeOffset>(InputError.OpensNotBeforeStart, LocalText(startsAt, zone));
    }

    /// <summary>A title, trimmed: present and within <see cref="SessionLimits.MaxTitleLength"/>, as in the configuration.</summary>
    public static Parsed<string> ParseTitle(string text)
    {
        var title = text.Trim();
        return title.Length switch
        {
            0 => Parsed.Fail<string>(InputError.MissingTitle),
            > SessionLimits.MaxTitleLength => Parsed.Fail<string>(InputError.TitleTooLong, title.Length.ToString(CultureInfo.InvariantCulture)),
            _ => Parsed.Ok(title),
        };
    }

    /// <summary>"2027-03-03" and "19:30" in <paramref name="zone"/>; refused when not after <paramref name="now"/>.</summary>
    public static Parsed<DateTimeOffset> ParseTime(string date, string time, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (!DateOnly.TryParseExact(Normalize(date), ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return Parsed.Fail<DateTimeOffset>(InputError.BadDate, date);
        }

        if (!TimeOnly.TryParseExact(Normalize(time), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
        {
            return Parsed.Fail<DateTimeOffset>(InputError.BadTime, time);
        }

        var local = day.ToDateTime(clock, DateTimeKind.Unspecified);
        var instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return instant <= now
            ? Parsed.Fail<DateTimeOffset>(InputError.InThePast, $"{date} {time}")
            : Parsed.Ok<DateTimeOffset>(instant);
    }

    /// <summary>"2027-03-01 20:00" as one string (a scheduled broadcast's time).</summary>
    public static Parsed<DateTimeOffset> ParseTime(string? text, TimeZoneInfo zone, DateTimeOffset now)
    {
        var parts = Split(text, 2);
        return parts.Length == 2 ? ParseTime(parts[0], parts[1], zone, now) : Parsed.Fail<DateTimeOffset>(InputError.BadTime, text?.Trim());
    }

    /// <summary>An instant as organizers type it, "2027-02-17 19:30" in <paramref name="zone"/>: echoed in a refusal whatever the reader's language.</summary>
    public static string LocalText(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static bool TryParseCapacity(string text, out int capacity) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out capacity) && capacity is >= 0 and <= 1_000_000;

    /// <summary>Aliases as typed: comma-separated (ASCII or full-width commas, 、), blanks dropped; "-" clears them.</summary>
    public static IReadOnlyList<string> ParseAliases(string text) =>
        text.Trim() == "-"
            ? []
            : [.. text.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary><see cref="ParseAliases"/> within <see cref="SessionLimits"/>: each alias and their number are capped.</summary>
    public static Parsed<IReadOnlyList<string>> ParseAliasList(string text)
    {
        var aliases = ParseAliases(text);
        if (aliases.FirstOrDefault(a => a.Length > SessionLimits.MaxAliasLength) is { } tooLong)
        {
            return Parsed.Fail<IReadOnlyList<string>>(InputError.AliasTooLong, tooLong);
        }

        return aliases.Count > SessionLimits.MaxAliases
            ? Parsed.Fail<IReadOnlyList<string>>(InputError.TooManyAliases, aliases.Count.ToString(CultureInfo.InvariantCulture))
            : Parsed.Ok(aliases);
    }

    /// <summary>An http(s) join link, or "-" to clear it (null).</summary>
    public static Parsed<string?> ParseLink(string text)
    {
        var trimmed = text.Trim();
        if (trimmed == "-")
        {
            return Parsed.Ok<string?>(null);
        }

        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? Parsed.Ok<string?>(trimmed)
            : Parsed.Fail<string?>(InputError.BadLink, trimmed);
    }

    /// <summary>Splits on whitespace into at most <paramref name="count"/> pieces; the last keeps the rest of the line.</summary>
    public static string[] Split(string? text, int count) =>
        (text ?? "").Trim().Split((char[]?)null, count, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Full-width digits and colons typed on a Chinese keyboard read as ASCII.</summary>
    private static string Normalize(string text)
    {
        var chars = text.Trim().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                >= '０' and <= '９' => (char)(chars[i] - '０' + '0'),
                '：' => ':',
                '－' => '-',
                '／' => '/',
                _ => chars[i],
            };
        }

        return new string(chars);
    }
}
