using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Baoming.Core.Understanding;

/// <summary>
/// Finds the sessions a query such as "元宇宙", "2月17日" or "汽车那场" refers to. Rules are tried in
/// order and the first that finds anything decides: exact key or alias, then a date, then text.
/// </summary>
public static partial class SessionMatcher
{
    private const int MinTitleQueryLength = 2;

    private static readonly SearchValues<char> AsciiWordChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789 ");

    // Most specific first, so "2027-02-17" is not read as "02-17" and "2月17日" not as "17日".
    private static readonly Regex[] DatePatterns =
        [FullDate(), ChineseMonthDay(), NumericMonthDay(), EnglishMonthDay(), DayOnly()];

    public static MatchResult Match(string query, IReadOnlyList<Session> candidates, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(zone);

        var words = Words(query);
        var compact = words.Replace(" ", "", StringComparison.Ordinal);
        if (compact.Length == 0 || candidates.Count == 0)
        {
            return new MatchResult.None();
        }

        var exact = candidates.Where(s => Terms(s).Any(term => Compact(term) == compact));
        if (TryDecide(exact, out var result))
        {
            return result;
        }

        if (TryFindDates(TextNormalizer.Normalize(query), out var dates))
        {
            // A date is precise: a wrong one must not fall through to a looser text match. A date and a
            // name that point at different sessions ("2月10日 元宇宙") match nothing rather than one of them.
            var onDate = candidates.Where(s => dates.Any(d => d.Matches(TimeZoneInfo.ConvertTime(s.StartsAt, zone)))).ToList();
            var named = candidates.Where(s => Terms(s).Any(term => Contains(words, Words(term)))).ToList();
            var both = named.Count == 0 ? onDate : onDate.Intersect(named).ToList();
            return TryDecide(both, out result) ? result : new MatchResult.None();
        }

        var byText = candidates.Where(s =>
            Terms(s).Any(term => Contains(words, Words(term)))
            || (compact.Length >= MinTitleQueryLength && Contains(Words(s.Title), words)));
        return TryDecide(byText, out result) ? result : new MatchResult.None();
    }

    /// <summary>
    /// Does the query say nothing beyond naming <paramref name="session"/>? "元宇宙", "2月17日 元宇宙" and
    /// "话题交流" do; "好多人 元宇宙" or "元宇宙 讨论会的录像" carry words the bot did not understand, so the
    /// conversation offers the button instead of signing up: a wrong sign-up costs more than one tap.
    /// </summary>
    public static bool IsOnlyAbout(string query, Session session, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(zone);

        if (Contains(Words(session.Title), Words(query)))
        {
            return true;
        }

        var rest = TextNormalizer.Normalize(query);
        foreach (var pattern in DatePatterns)
        {
            rest = pattern.Replace(rest, " ");
        }

        rest = ClockTime().Replace(Words(rest), " ");
        foreach (var term in Terms(session).Select(Words).Where(t => t.Length > 0).OrderByDescending(t => t.Length))
        {
            rest = rest.Replace(term, " ", StringComparison.Ordinal);
        }

        var title = Compact(session.Title);
        var unexplained = 0;
        foreach (var word in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            unexplained += Unexplained(word, title);
        }

        return unexplained < MaxUnexplained;
    }

    private const int MaxUnexplained = 2;

    /// <summary>Letters in <paramref name="word"/> that are not filler the parser knows (的, 选题会, 谢谢, ok, the …).</summary>
    private static int Unexplained(string word, string title)
    {
        if (IsAsciiWords(word))
        {
            return Phrases.IsFiller(word) || Contains(Words(title), word) ? 0 : word.Length;
        }

        var count = 0;
        for (var i = 0; i < word.Length;)
        {
            var known = Math.Max(Phrases.FillerLengthAt(word, i), TitlePartLengthAt(word, i, title));
            if (known > 0)
            {
                i += known;
                continue;
            }

            if (char.IsLetterOrDigit(word[i]))
            {
                count++;
            }

            i++;
        }

        return count;
    }

    /// <summary>The longest piece (two characters or more) of the title starting at <paramref name="index"/>: "汽车产业" names the session too.</summary>
    private static int TitlePartLengthAt(string word, int index, string title)
    {
        var length = 0;
        while (index + length < word.Length && title.Contains(word.AsSpan(index, length + 1), StringComparison.Ordinal))
        {
            length++;
        }

        return length >= MinTitleQueryLength ? length : 0;
    }

    // "19:30" after Words: "19 30".
    [GeneratedRegex(@"(?<![0-9])[0-9]{1,2} [0-9]{2}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ClockTime();

    private static bool TryDecide(IEnumerable<Session> matches, out MatchResult result)
    {
        var distinct = matches.DistinctBy(s => s.Id).OrderBy(s => s.StartsAt).ToList();
        result = distinct.Count switch
        {
            0 => new MatchResult.None(),
            1 => new MatchResult.One(distinct[0]),
            _ => new MatchResult.Many(distinct),
        };
        return distinct.Count > 0;
    }

    private static IEnumerable<string> Terms(Session session) => session.Aliases.Prepend(session.Key);

    /// <summary>
    /// Does <paramref name="haystack"/> contain <paramref name="needle"/> (both from <see cref="Words"/>)?
    /// An ASCII needle must sit on word boundaries, so alias "meta" is not found in "metadata" and
    /// "car" not in "scary"; Chinese has no spaces between words, so it is compared without them.
    /// </summary>
    private static bool Contains(string haystack, string needle)
    {
        if (needle.Length == 0)
        {
            return false;
        }

        if (!IsAsciiWords(needle))
        {
            // A one-character alias (车) must be a word of its own in the query: inside 车上 or 火车 it is
            // someone's sentence, and a wrong sign-up costs more than a question.
            var compactNeedle = Compact(needle);
            return compactNeedle.Length == 1
                ? haystack.Split(' ').Contains(compactNeedle, StringComparer.Ordinal)
                : Compact(haystack).Contains(compactNeedle, StringComparison.Ordinal);
        }

        for (var at = haystack.IndexOf(needle, StringComparison.Ordinal);
             at >= 0;
             at = haystack.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            var end = at + needle.Length;
            var startsWord = at == 0 || !char.IsAsciiLetterOrDigit(haystack[at - 1]);
            var endsWord = end == haystack.Length || !char.IsAsciiLetterOrDigit(haystack[end]);
            if (startsWord && endsWord)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAsciiWords(string text) =>
        text.AsSpan().IndexOfAnyExcept(AsciiWordChars) < 0;

    /// <summary>
    /// Normalized text with punctuation and symbols turned into spaces, so quotes in
    /// 到底什么是"元宇宙" or a "?" in an English title do not matter.
    /// </summary>
    private static string Words(string? text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var builder = new StringBuilder(normalized.Length);
        foreach (var rune in normalized.EnumerateRunes())
        {
            var keep = Rune.IsLetterOrDigit(rune) || IsMark(rune);
            if (keep)
            {
                builder.Append(rune.ToString());
            }
            else if (builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }

        return builder.ToString().TrimEnd();
    }

    private static bool IsMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static string Compact(string text) => Words(text).Replace(" ", "", StringComparison.Ordinal);

    /// <summary>The dates of the first pattern that finds any ("2月10日和2月17日" → both).</summary>
    private static bool TryFindDates(string normalized, out List<DateQuery> dates)
    {
        dates = [];
        foreach (var pattern in DatePatterns)
        {
            foreach (Match match in pattern.Matches(normalized))
            {
                if (DateQuery.TryCreate(match, out var date))
                {
                    dates.Add(date);
                }
            }

            if (dates.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    // [0-9] rather than \d: \d also matches other scripts' digits, which int.Parse rejects.
    // Each pattern is a fixed sequence of bounded pieces, so matching stays linear on long input.
    [GeneratedRegex(@"(?<![0-9])(?<y>20[0-9]{2})\s?[-./年]\s?(?<m>[0-9]{1,2})\s?[-./月]\s?(?<d>[0-9]{1,2})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex FullDate();

    [GeneratedRegex(@"(?<![0-9])(?<m>[0-9]{1,2})\s?月\s?(?<d>[0-9]{1,2})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ChineseMonthDay();

    [GeneratedRegex(@"(?<![0-9.])(?<m>[0-9]{1,2})[-./](?<d>[0-9]{1,2})(?![0-9]|\.[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex NumericMonthDay();

    [GeneratedRegex(@"(?<![a-z])(?<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s?(?<d>[0-9]{1,2})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex EnglishMonthDay();

    [GeneratedRegex(@"(?<![0-9])(?<d>[0-9]{1,2})\s?[日号](?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex DayOnly();

    /// <summary>A calendar day from the query; missing parts (year, month) match any.</summary>
    private readonly record struct DateQuery(int? Year, int? Month, int Day)
    {
        private static readonly string[] MonthNames =
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

        public bool Matches(DateTimeOffset local) =>
            local.Day == Day && (Month is null || local.Month == Month) && (Year is null || local.Year == Year);

        public static bool TryCreate(Match match, out DateQuery date)
        {
            int? year = match.Groups["y"].Success ? Parse(match.Groups["y"].Value) : null;
            int? month = match.Groups["m"].Success
                ? Parse(match.Groups["m"].Value)
                : match.Groups["mon"].Success ? Array.IndexOf(MonthNames, match.Groups["mon"].Value) + 1 : null;
            var day = Parse(match.Groups["d"].Value);

            // "3.45" or "13/2" are not dates (a version, a score); keep looking rather than answer None.
            var isValid = day is >= 1 and <= 31 && month is null or (>= 1 and <= 12);
            date = isValid ? new DateQuery(year, month, day) : default;
            return isValid;
        }

        private static int Parse(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
