using Baoming.Core.Understanding;

namespace Baoming.Core.Series;

/// <summary>What a reader's words name among the series: one, several (the bot asks), or none (it never guesses).</summary>
public abstract record SeriesMatch
{
    private SeriesMatch()
    {
    }

    public sealed record One(SeriesInfo Series) : SeriesMatch;

    public sealed record Many(IReadOnlyList<SeriesInfo> Series) : SeriesMatch;

    public sealed record None : SeriesMatch;
}

/// <summary>
/// Finds the series a query names ("选题会", "選題會", "topics"): its key, title or an alias, compared in the
/// normaliser's form (Simplified, lower-case, no spaces). An exact name wins; otherwise a name the query holds
/// or that holds the query (two characters at least), and more than one such is ambiguous.
/// </summary>
public static class SeriesMatcher
{
    private const int MinPartialLength = 2;

    public static SeriesMatch Match(string query, IReadOnlyList<SeriesInfo> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var wanted = Normalize(query);
        if (wanted.Length == 0)
        {
            return new SeriesMatch.None();
        }

        var exact = candidates.Where(c => Names(c).Contains(wanted)).ToList();
        if (exact.Count > 0)
        {
            return exact.Count == 1 ? new SeriesMatch.One(exact[0]) : new SeriesMatch.Many(exact);
        }

        var partial = wanted.Length < MinPartialLength
            ? []
            : candidates.Where(c => Names(c).Any(n => n.Length >= MinPartialLength && (n.Contains(wanted, StringComparison.Ordinal) || wanted.Contains(n, StringComparison.Ordinal)))).ToList();
        return partial.Count switch
        {
            0 => new SeriesMatch.None(),
            1 => new SeriesMatch.One(partial[0]),
            _ => new SeriesMatch.Many(partial),
        };
    }

    private static HashSet<string> Names(SeriesInfo series) =>
        [.. new[] { series.Key, series.Title }.Concat(series.Aliases).Select(Normalize).Where(n => n.Length > 0)];

    private static string Normalize(string text) => TextNormalizer.Normalize(text).Replace(" ", "", StringComparison.Ordinal);
}
