namespace Baoming.Core.Stats;

/// <summary>
/// The time axis of a session's chart: how wide a bucket of sign-ups is, and the cumulative line drawn from
/// the buckets. The database counts per bucket (never a row per registration), so a session of a million
/// sign-ups is a few hundred numbers by the time it reaches the chart.
/// </summary>
public static class StatsTimeline
{
    /// <summary>At most this many buckets on a chart: enough for a smooth line 1,200 pixels wide, few enough to read fast.</summary>
    public const int MaxBuckets = 400;

    /// <summary>The widths tried, narrowest first; all divide a week, so buckets line up with days in the community's zone.</summary>
    private static readonly TimeSpan[] Widths =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
        TimeSpan.FromDays(1), TimeSpan.FromDays(7),
    ];

    /// <summary>The narrowest width that covers <paramref name="first"/> to <paramref name="last"/> in at most <see cref="MaxBuckets"/> buckets.</summary>
    public static TimeSpan BucketWidth(DateTimeOffset first, DateTimeOffset last)
    {
        var span = last - first;
        if (span <= TimeSpan.Zero)
        {
            return Widths[0];
        }

        foreach (var width in Widths)
        {
            if (span.Ticks / width.Ticks < MaxBuckets)
            {
                return width;
            }
        }

        // Years of sign-ups: whole weeks, as many as it takes.
        var week = TimeSpan.FromDays(7);
        return week * (span.Ticks / week.Ticks / MaxBuckets + 1);
    }

    /// <summary>
    /// The instant buckets are counted from: local midnight of a Monday in <paramref name="zone"/>, so a day's
    /// bucket is a calendar day there and a week's starts on Monday.
    /// </summary>
    public static DateTimeOffset Origin(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var midnight = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>
    /// The cumulative line: zero at the first bucket's start, then the running total at each bucket's end
    /// (drawn as steps). Empty without sign-ups.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset At, long Total)> Cumulative(IReadOnlyList<SignupBucket> buckets, TimeSpan width)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0)
        {
            return [];
        }

        var points = new List<(DateTimeOffset, long)>(buckets.Count + 1) { (buckets[0].Start, 0) };
        long total = 0;
        foreach (var bucket in buckets)
        {
            total += bucket.SignUps;
            points.Add((bucket.Start + width, total));
        }

        return points;
    }

    /// <summary>Attended of confirmed, or null when not known yet (before the start, or nobody confirmed).</summary>
    public static double? ShowRate(SessionStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return stats.HasStarted && stats.Confirmed > 0 ? (double)stats.Attended / stats.Confirmed : null;
    }

    /// <summary>The share of sign-ups from returning members, or null without sign-ups.</summary>
    public static double? ReturningShare(SessionStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return stats.SignUps == 0 ? null : (double)stats.Returning / stats.SignUps;
    }
}
