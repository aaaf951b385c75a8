using Baoming.Broadcasts;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Stats;
using Baoming.Sessions;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Stats;

/// <summary>
/// The numbers behind <c>/stats</c>, counted by PostgreSQL: a session of a million registrations comes back as a
/// few hundred bucket counts and a handful of totals, never a row per registration. Two round trips for a session
/// (the totals, whose first and last sign-up decide the bucket width; then the buckets and sources), one for a series.
/// </summary>
public sealed class StatsRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = StoredSession.Columns;

    /// <summary>The series with this key, or null.</summary>
    public async Task<SeriesInfo?> FindSeriesAsync(string key, CancellationToken cancellationToken)
    {
        const string Sql = "select id, key, title from series where key = @key";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition(Sql, new { key }, cancellationToken: cancellationToken));
        return row is null ? null : new SeriesInfo(row.Id, row.Key, row.Title);
    }

    /// <summary>The next session that is not cancelled, else the one that started last; null when there is none.</summary>
    public async Task<Session?> DefaultSessionAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            (select {Columns} from sessions s where s.cancelled_at is null and s.starts_at > @now order by s.starts_at, s.id limit 1)
            union all
            (select {Columns} from sessions s where s.cancelled_at is null and s.starts_at <= @now order by s.starts_at desc, s.id limit 1)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredSession>(new CommandDefinition(Sql, new { now = now.UtcDateTime }, cancellationToken: cancellationToken));
        return rows.FirstOrDefault()?.ToSession();
    }

    /// <summary>A session's totals, sources, returning members, feedback and marked moments, then its sign-ups per bucket.</summary>
    public async Task<SessionStats> SessionAsync(Session session, DateTimeOffset now, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);

        // Three scans of the session's registrations however many there are, each one PostgreSQL can run in parallel
        // (measured on a million: a subquery inside an aggregate's FILTER, or grouping sets, ran serially and took
        // twice as long). The first batch (with the small lookups) counts the totals and the first and last sign-up,
        // whose span decides the bucket width, and the returning members (a hash semi-join against the earlier
        // sessions' members). The second counts per bucket and source; the chart's buckets and the summary's sources
        // are both sums of those few hundred rows. Buckets are in the community's zone: date_bin counts from a local
        // Monday midnight, so a day's bucket is a calendar day there; only buckets with sign-ups come back.
        const string TotalsSql = $"""
            select count(*) filter (where r.status = 'confirmed')::int as Confirmed,
                   count(*) filter (where r.status = 'waitlisted')::int as Waitlisted,
                   count(*) filter (where r.status = 'cancelled')::int as Cancelled,
                   count(*) filter (where r.status = 'confirmed' and {SessionAttendance.AttendedSql})::int as Attended,
                   min(r.registered_at) as FirstAt,
                   max(r.registered_at) as LastAt
              from registrations r
             where r.session_id = @id;

            select count(*)::int
              from registrations r
             where r.session_id = @id
               and r.member_id in (select p.member_id
                                     from registrations p
                                     join sessions ps on ps.id = p.session_id
                                    where ps.starts_at < @startsAt and p.session_id <> @id);

            select due_at as At, 0 as Kind
              from reminder_slots
             where session_id = @id and state = 'done'
            union all
            select prepared_at, 1
              from broadcasts
             where session_id = @id and state in ('sending', 'done') and prepared_at is not null
             order by 1;

            select count(*) filter (where score = 1)::int as Ones,
                   count(*) filter (where score = 2)::int as Twos,
                   count(*) filter (where score = 3)::int as Threes,
                   count(*) filter (where score = 4)::int as Fours,
                   count(*) filter (where score = 5)::int as Fives,
                   count(comment)::int as Comments,
                   exists (select from feedback_requests q where q.session_id = @id) as IsRequested
              from feedback
             where session_id = @id;
            """;
        const string BucketsSql = """
            select date_bin(@width, r.registered_at, @origin) as Start, r.source, count(*)::int as SignUps
              from registrations r
             where r.session_id = @id
             group by 1, 2
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Totals totals;
        int returning;
        List<StatsMarker> markers;
        FeedbackResults? feedback;
        await using (var batch = await connection.QueryMultipleAsync(new CommandDefinition(
            TotalsSql, new { id = session.Id, startsAt = session.StartsAt.UtcDateTime }, cancellationToken: cancellationToken)))
        {
            totals = await batch.ReadSingleAsync<Totals>();
            returning = await batch.ReadSingleAsync<int>();
            markers = [.. (await batch.ReadAsync<MarkerRow>()).Select(m => new StatsMarker(PostgresTime.Utc(m.At), m.Kind == 0 ? StatsMarkerKind.Reminder : StatsMarkerKind.Broadcast))];
            var scores = await batch.ReadSingleAsync<ScoresRow>();
            var results = new FeedbackResults([scores.Ones, scores.Twos, scores.Threes, scores.Fours, scores.Fives], scores.Comments, scores.IsRequested);
            feedback = results.IsRequested || results.Count > 0 ? results : null;
        }

        markers.Add(new StatsMarker(session.StartsAt, StatsMarkerKind.Start));
        var width = TimeSpan.FromHours(1);
        List<SignupBucket> buckets = [];
        List<SourceCount> sources = [];
        if (totals.FirstAt is { } firstAt && totals.LastAt is { } lastAt)
        {
            width = StatsTimeline.BucketWidth(PostgresTime.Utc(firstAt), PostgresTime.Utc(lastAt));
            var rows = (await connection.QueryAsync<GroupRow>(new CommandDefinition(
                BucketsSql, new { id = session.Id, width, origin = StatsTimeline.Origin(zone).UtcDateTime }, cancellationToken: cancellationToken))).ToList();
            buckets = [.. rows.GroupBy(r => r.Start).Select(g => new SignupBucket(PostgresTime.Utc(g.Key), g.Sum(r => r.SignUps))).OrderBy(b => b.Start)];
            sources = [.. rows.GroupBy(r => r.Source).Select(g => new SourceCount(g.Key, g.Sum(r => r.SignUps)))
                .OrderByDescending(s => s.SignUps).ThenBy(s => s.Source is not null).ThenBy(s => s.Source, StringComparer.Ordinal)];
        }

        return new SessionStats
        {
            Session = session,
            Now = now,
            Confirmed = totals.Confirmed,
            Waitlisted = totals.Waitlisted,
            Cancelled = totals.Cancelled,
            Attended = totals.Attended,
            Feedback = feedback,
            Sources = sources,
            Returning = returning,
            BucketWidth = width,
            Buckets = buckets,
            Markers = [.. markers.OrderBy(m => m.At).ThenBy(m => m.Kind)],
        };
    }

    /// <summary>The series' sessions (not cancelled) in time order, each with its sign-ups, confirmed and attended.</summary>
    public async Task<SeriesStats> SeriesAsync(SeriesInfo series, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        const string Sql = $"""
            select {Columns},
                   count(r.id)::int as SignUps,
                   count(r.id) filter (where r.status = 'confirmed')::int as Confirmed,
                   count(r.id) filter (where r.status = 'confirmed' and {SessionAttendance.AttendedSql})::int as Attended
              from sessions s
              left join registrations r on r.session_id = s.id
             where s.series_id = @seriesId and s.cancelled_at is null
             group by s.id
             order by s.starts_at, s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SeriesSessionRow>(new CommandDefinition(Sql, new { seriesId = series.Id }, cancellationToken: cancellationToken));
        return new SeriesStats(series, [.. rows.Select(r => new SeriesPoint(r.ToSession(), r.SignUps, r.Confirmed, r.Attended))], now);
    }

    private sealed record SeriesRow(long Id, string Key, string Title);

    private sealed record Totals(int Confirmed, int Waitlisted, int Cancelled, int Attended, DateTime? FirstAt, DateTime? LastAt);

    private sealed record MarkerRow(DateTime At, int Kind);

    private sealed record ScoresRow(int Ones, int Twos, int Threes, int Fours, int Fives, int Comments, bool IsRequested);

    private sealed record GroupRow(DateTime Start, string? Source, int SignUps);

    private sealed record SeriesSessionRow : StoredSession
    {
        public int SignUps { get; init; }

        public int Confirmed { get; init; }

        public int Attended { get; init; }
    }
}
