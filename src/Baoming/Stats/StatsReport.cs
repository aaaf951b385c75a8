using System.Diagnostics;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Stats;
using Baoming.Sessions;

namespace Baoming.Stats;

/// <summary>What <c>/stats [KEY]</c> is about.</summary>
public abstract record StatsTarget
{
    private StatsTarget()
    {
    }

    /// <summary>A session: named by its key (<paramref name="SameKeySeries"/>: a series has that key too), or the default one.</summary>
    public sealed record OfSession(Session Session, bool IsDefault = false, SeriesInfo? SameKeySeries = null) : StatsTarget;

    public sealed record OfSeries(SeriesInfo Series) : StatsTarget;

    /// <summary>No session or series has the key.</summary>
    public sealed record Unknown(string Key) : StatsTarget;

    /// <summary>No key was given and there is no session at all.</summary>
    public sealed record NoSessions : StatsTarget;
}

/// <summary>
/// The work behind <c>/stats</c> and the <c>stats</c> verb: which session or series a key names, its numbers
/// (counted in SQL), and its chart. Null for a chart means no CJK font is installed: the numbers still go out.
/// </summary>
public sealed class StatsReport(
    SessionRepository sessions,
    StatsRepository repository,
    StatsChart chart,
    IOptions<CommunityOptions> community,
    TimeProvider time,
    ILogger<StatsReport> logger)
{
    public TimeZoneInfo Zone => community.Value.Zone;

    /// <summary>
    /// A key names a session or a series; a session wins when both have it (the caller says so). No key: the next
    /// session, else the latest. <paramref name="isSeries"/>: only a series (<c>/stats series KEY</c>, <c>--series</c>).
    /// </summary>
    public async Task<StatsTarget> ResolveAsync(string? key, bool isSeries, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return await repository.DefaultSessionAsync(time.GetUtcNow(), cancellationToken) is { } next
                ? new StatsTarget.OfSession(next, IsDefault: true)
                : new StatsTarget.NoSessions();
        }

        var series = await repository.FindSeriesAsync(key, cancellationToken);
        if (isSeries)
        {
            return series is null ? new StatsTarget.Unknown(key) : new StatsTarget.OfSeries(series);
        }

        if (await sessions.FindByKeyAsync(key, cancellationToken) is var (session, _))
        {
            return new StatsTarget.OfSession(session, SameKeySeries: series);
        }

        return series is null ? new StatsTarget.Unknown(key) : new StatsTarget.OfSeries(series);
    }

    public async Task<SessionStats> SessionAsync(Session session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var started = Stopwatch.GetTimestamp();
        var stats = await repository.SessionAsync(session, time.GetUtcNow(), Zone, cancellationToken);
        logger.Counted("session", session.Key, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return stats;
    }

    public async Task<SeriesStats> SeriesAsync(SeriesInfo series, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        var started = Stopwatch.GetTimestamp();
        var stats = await repository.SeriesAsync(series, time.GetUtcNow(), cancellationToken);
        logger.Counted("series", series.Key, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return stats;
    }

    /// <summary>The session's chart as PNG, or null when no font with Chinese glyphs is installed (logged).</summary>
    public Task<byte[]?> TryDrawAsync(SessionStats stats, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(texts);
        return TryDrawAsync("session", stats.Session.Key, stats.Buckets.Count, ct => chart.DrawAsync(stats, texts.StatsSessionChartLabels(stats, Zone), Zone, ct), cancellationToken);
    }

    /// <summary>The series' chart as PNG, or null when no font with Chinese glyphs is installed (logged).</summary>
    public Task<byte[]?> TryDrawAsync(SeriesStats stats, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(texts);
        return TryDrawAsync("series", stats.Series.Key, stats.Points.Count, ct => chart.DrawAsync(stats, texts.StatsSeriesChartLabels(stats, Zone), Zone, ct), cancellationToken);
    }

    private async Task<byte[]?> TryDrawAsync(string kind, string key, int points, Func<CancellationToken, Task<byte[]>> draw, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var png = await draw(cancellationToken);
            logger.DrewChart(kind, key, points, png.Length, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return png;
        }
        catch (StatsFontMissingException e)
        {
            logger.NoFont(key, e.Message);
            return null;
        }
    }
}
