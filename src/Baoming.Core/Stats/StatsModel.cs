using Baoming.Core.Replies;

namespace Baoming.Core.Stats;

/// <summary>What a vertical line on a session's chart marks.</summary>
public enum StatsMarkerKind
{
    /// <summary>A reminder slot that has gone out (<c>reminder_slots.state = 'done'</c>), at its due time.</summary>
    Reminder,

    /// <summary>A broadcast to the session's members, when its recipients were fixed and sending began.</summary>
    Broadcast,

    /// <summary>The session's start.</summary>
    Start,
}

/// <summary>A moment marked on a session's chart.</summary>
public sealed record StatsMarker(DateTimeOffset At, StatsMarkerKind Kind);

/// <summary>Sign-ups (registrations made, whatever their status now) in the bucket starting at <see cref="Start"/>.</summary>
public sealed record SignupBucket(DateTimeOffset Start, int SignUps);

/// <summary>Sign-ups through one deep-link source; <see cref="Source"/> null: none (a plain 报名, 直接).</summary>
public sealed record SourceCount(string? Source, int SignUps);

/// <summary>One session's numbers as <c>/stats</c> and <c>stats --session</c> show them, read at <see cref="Now"/>.</summary>
public sealed record SessionStats
{
    public required Session Session { get; init; }

    /// <summary>When the numbers were read: decides whether the show rate means anything yet.</summary>
    public required DateTimeOffset Now { get; init; }

    public int Confirmed { get; init; }

    public int Waitlisted { get; init; }

    public int Cancelled { get; init; }

    /// <summary>Every registration made, whatever became of it.</summary>
    public int SignUps => Confirmed + Waitlisted + Cancelled;

    /// <summary>Confirmed registrations with an attendance recorded.</summary>
    public int Attended { get; init; }

    /// <summary>Whether the show rate is known: the session has started and was not cancelled.</summary>
    public bool HasStarted => Session.StartsAt <= Now && !Session.IsCancelled;

    /// <summary>The feedback scores, or null when no request went out and nobody scored.</summary>
    public FeedbackResults? Feedback { get; init; }

    /// <summary>Sign-ups by source, most first.</summary>
    public IReadOnlyList<SourceCount> Sources { get; init; } = [];

    /// <summary>Sign-ups by members who had signed up to a session starting before this one.</summary>
    public int Returning { get; init; }

    /// <summary>The width of each of <see cref="Buckets"/> (see <see cref="StatsTimeline.BucketWidth"/>).</summary>
    public TimeSpan BucketWidth { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Sign-ups per bucket, oldest first; buckets without any are left out.</summary>
    public IReadOnlyList<SignupBucket> Buckets { get; init; } = [];

    /// <summary>Reminders and broadcasts that went out, and the start; oldest first.</summary>
    public IReadOnlyList<StatsMarker> Markers { get; init; } = [];
}

/// <summary>A series as <c>/stats SERIES</c> names it.</summary>
public sealed record SeriesInfo(long Id, string Key, string Title);

/// <summary>One session of a series on the trend chart.</summary>
public sealed record SeriesPoint(Session Session, int SignUps, int Confirmed, int Attended)
{
    /// <summary>Attended of confirmed, or null before the start (or with nobody confirmed).</summary>
    public double? ShowRate(DateTimeOffset now) => Session.StartsAt <= now && Confirmed > 0 ? (double)Attended / Confirmed : null;
}

/// <summary>A series' sessions in time order (cancelled ones left out), read at <see cref="Now"/>.</summary>
public sealed record SeriesStats(SeriesInfo Series, IReadOnlyList<SeriesPoint> Points, DateTimeOffset Now);

/// <summary>The words on a chart, in the reader's language (see <c>Texts.StatsChartLabels</c>).</summary>
public sealed record StatsChartLabels(
    string Title,
    string TimeAxis,
    string CountAxis,
    string SignUps,
    string Attended,
    string Reminder,
    string Broadcast,
    string Start,
    Language Language);
