using Baoming.Chat;
using Baoming.Core;

namespace Baoming.Stats;

/// <summary>
/// <c>/stats [KEY]</c> (organizers and admins, checked on every call): a PNG chart as a document and a few lines
/// of numbers. KEY is a session's or a series' key (a session wins; <c>/stats series KEY</c> asks for the series);
/// without one, the next session, else the latest. Counts only, nobody named: nothing to audit.
/// </summary>
public sealed class StatsChatCommand(StatsReport report) : IChatCommand
{
    /// <summary>The first word of <c>/stats series KEY</c>, in either language.</summary>
    private static readonly string[] SeriesWords = ["series", "系列"];

    public string Name => "stats";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        var words = (arguments ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var isSeries = words.Length == 2 && SeriesWords.Contains(words[0], StringComparer.OrdinalIgnoreCase);
        var key = isSeries ? words[1] : string.Join(' ', words);

        switch (await report.ResolveAsync(key, isSeries, cancellationToken))
        {
            case StatsTarget.OfSession(var session, var isDefault, var sameKeySeries):
                {
                    var stats = await report.SessionAsync(session, cancellationToken);
                    var png = await report.TryDrawAsync(stats, texts, cancellationToken);
                    var summary = context.Reply(texts.StatsSessionSummary(stats, isDefault, sameKeySeries, isChartMissing: png is null));
                    return WithChart(summary, context, png, $"stats-{session.Key}.png", texts.StatsCaption(session.Title, session.Key));
                }

            case StatsTarget.OfSeries(var series):
                {
                    var stats = await report.SeriesAsync(series, cancellationToken);
                    var png = await report.TryDrawAsync(stats, texts, cancellationToken);
                    var summary = context.Reply(texts.StatsSeriesSummary(stats, isChartMissing: png is null));
                    return WithChart(summary, context, png, $"stats-series-{series.Key}.png", texts.StatsCaption(series.Title, series.Key));
                }

            case StatsTarget.Unknown(var unknown):
                return context.Reply(texts.StatsUnknownKey(unknown));

            default:
                return context.Reply(texts.StatsNoSessions());
        }
    }

    /// <summary>The numbers first, then the chart as a document (a photo would be recompressed and lose the small print).</summary>
    private static Response WithChart(Response summary, ChatContext context, byte[]? png, string fileName, string caption) =>
        png is null ? summary : summary with { Documents = [new OutgoingDocument(context.ChatId, fileName, new MemoryStream(png), caption)] };
}
