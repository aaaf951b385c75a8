using Baoming.Core.Attendance;
using Baoming.Platform;
using Npgsql;
using NpgsqlTypes;

namespace Baoming.Attendance;

/// <summary>
/// Clicks on personal join links, recorded in batches: a click waits for the statement that carries it
/// with whatever other clicks arrived meanwhile (<see cref="BatchQueue{TRequest, TResult}"/>). The
/// statement finds each member's confirmed registration and the session's join URL, records the first
/// click and (inside <see cref="AttendanceWindow"/>) the attendance, and returns the URLs to redirect to.
/// At the start of a session thousands of members click within seconds: one statement and one
/// connection per click would run PostgreSQL out of connections (measured by the <c>joinrush</c>
/// benchmark: 53300 "too many clients" with the default pool), one per batch never does.
/// </summary>
public sealed class JoinClicks : IAsyncDisposable
{
    private const int MaxBatch = 500;

    // input: the batch, numbered. reg: the registrations that may be redirected (confirmed, the session
    // not cancelled and with a join URL). mark: writes only when something changes (the first click, or
    // the first attendance inside the window), so a member clicking again is a read; one row per
    // registration (distinct on), the earliest click of the batch first. A click racing another instance's
    // waits for its row lock and re-checks the where clause on the new row, so the first click's time
    // stays and an earlier attendance (any way it came) is never overwritten.
    private const string Sql = """
        with input as (
            select * from unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::boolean[])
                   with ordinality as i(session_id, member_id, clicked_at, should_record, n)
        ), reg as (
            select i.n, i.clicked_at, i.should_record, r.id, s.join_url,
                   i.clicked_at >= s.starts_at - $5 and i.clicked_at < s.starts_at + make_interval(mins => s.duration_minutes) as in_window
              from input i
              join registrations r on r.session_id = i.session_id and r.member_id = i.member_id and r.status = 'confirmed'
              join sessions s on s.id = r.session_id
             where s.cancelled_at is null and s.join_url is not null and s.join_url <> ''
        ), first_click as (
            select distinct on (id) id, clicked_at, in_window from reg where should_record order by id, clicked_at
        ), mark as (
            update registrations r
               set link_clicked_at = coalesce(r.link_clicked_at, c.clicked_at),
                   attended_at = case when c.in_window then coalesce(r.attended_at, c.clicked_at) else r.attended_at end,
                   attended_via = case when c.in_window and r.attended_at is null then 'link' else r.attended_via end
              from first_click c
             where r.id = c.id and r.status = 'confirmed'
               and (r.link_clicked_at is null or (c.in_window and r.attended_at is null))
        )
        select n, join_url from reg
        """;

    private readonly NpgsqlDataSource dataSource;
    private readonly BatchQueue<Click, string?> queue;

    public JoinClicks(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        queue = new BatchQueue<Click, string?>(RecordAsync, MaxBatch);
    }

    /// <summary>
    /// The session's join URL when the registration may be redirected, else null (nothing written).
    /// <paramref name="shouldRecord"/> false: only the URL (a link-preview robot, not the member).
    /// </summary>
    public Task<string?> ClickAsync(long sessionId, long memberId, DateTimeOffset now, bool shouldRecord, CancellationToken cancellationToken) =>
        queue.RunAsync(new Click(sessionId, memberId, now.UtcDateTime, shouldRecord), cancellationToken);

    public ValueTask DisposeAsync() => queue.DisposeAsync();

    /// <summary>
    /// One batch in one statement, as a plain Npgsql command rather than through Dapper: arrays as typed
    /// positional parameters skip the parameter reflection and SQL rewriting on the rush's hot path.
    /// </summary>
    private async Task<IReadOnlyList<string?>> RecordAsync(IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. clicks.Select(c => c.SessionId)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. clicks.Select(c => c.MemberId)] });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. clicks.Select(c => c.At)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. clicks.Select(c => c.ShouldRecord)] });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = AttendanceWindow.OpensBefore, NpgsqlDbType = NpgsqlDbType.Interval });

        var urls = new string?[clicks.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            urls[reader.GetInt64(0) - 1] = reader.GetString(1);
        }

        return urls;
    }

    private sealed record Click(long SessionId, long MemberId, DateTime At, bool ShouldRecord);
}
