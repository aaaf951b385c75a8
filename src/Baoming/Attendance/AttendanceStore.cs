using Baoming.Core.Attendance;
using Dapper;
using Npgsql;

namespace Baoming.Attendance;

/// <summary>How a press of 我已入会 ended.</summary>
public enum JoinedOutcome
{
    /// <summary>No confirmed registration of this member for a live session: the button is stale or forged.</summary>
    NotConfirmed,
    Recorded,
    AlreadyRecorded,
    TooEarly,
    TooLate,
}

/// <summary>
/// Attendance on <c>registrations</c> (<c>attended_at</c>, <c>attended_via</c>, migration 0015): 我已入会 and
/// imports. Every write is conditional on <c>attended_at is null</c>, so an earlier attendance (the link, the
/// button, an earlier import) is never overwritten and a second press or row records nothing.
/// </summary>
public sealed class AttendanceStore(NpgsqlDataSource dataSource)
{
    /// <summary>我已入会 by <paramref name="memberId"/> for <paramref name="sessionId"/> at <paramref name="now"/>, in one statement.</summary>
    public async Task<JoinedOutcome> MarkJoinedAsync(long sessionId, long memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = """
            with reg as (
                select r.id, r.attended_at is not null as was_attended, s.starts_at, s.duration_minutes
                  from registrations r
                  join sessions s on s.id = r.session_id
                 where r.session_id = @sessionId and r.member_id = @memberId and r.status = 'confirmed' and s.cancelled_at is null
            ), mark as (
                update registrations r
                   set attended_at = @now, attended_via = 'button'
                  from reg
                 where r.id = reg.id and r.status = 'confirmed' and r.attended_at is null
                   and @now >= reg.starts_at - @opensBefore and @now < reg.starts_at + make_interval(mins => reg.duration_minutes)
                returning r.id
            )
            select exists (select from mark) as IsMarked, was_attended as WasAttended, starts_at as StartsAt, duration_minutes as DurationMinutes from reg
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<JoinedRow>(new CommandDefinition(
            Sql, new { sessionId, memberId, now = now.UtcDateTime, opensBefore = AttendanceWindow.OpensBefore }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return JoinedOutcome.NotConfirmed;
        }

        var startsAt = new DateTimeOffset(DateTime.SpecifyKind(row.StartsAt, DateTimeKind.Utc));
        return row switch
        {
            { IsMarked: true } => JoinedOutcome.Recorded,
            { WasAttended: true } => JoinedOutcome.AlreadyRecorded,
            // Inside the window and still not marked: a press at the same moment (or the link) was first.
            _ when AttendanceWindow.Contains(startsAt, row.DurationMinutes, now) => JoinedOutcome.AlreadyRecorded,
            _ when now < startsAt => JoinedOutcome.TooEarly,
            _ => JoinedOutcome.TooLate,
        };
    }

    /// <summary>
    /// Marks the members' confirmed registrations as attended by import, where not attended yet. Returns those
    /// marked now and those who had attended before; the rest have no confirmed registration.
    /// </summary>
    public async Task<(IReadOnlySet<long> MarkedNow, IReadOnlySet<long> AttendedBefore)> ImportAsync(
        long sessionId, IReadOnlyCollection<long> memberIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = """
            with marked as (
                update registrations
                   set attended_at = @now, attended_via = 'import'
                 where session_id = @sessionId and member_id = any(@memberIds) and status = 'confirmed' and attended_at is null
                returning member_id
            )
            select member_id as MemberId, true as IsNow from marked
            union all
            select member_id, false from registrations
             where session_id = @sessionId and member_id = any(@memberIds) and status = 'confirmed' and attended_at is not null
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The union's second part reads the snapshot before the update: rows marked now are not in it.
        var rows = await connection.QueryAsync<(long MemberId, bool IsNow)>(new CommandDefinition(
            Sql, new { sessionId, memberIds = memberIds.ToArray(), now = now.UtcDateTime }, cancellationToken: cancellationToken));
        var markedNow = new HashSet<long>();
        var before = new HashSet<long>();
        foreach (var (memberId, isNow) in rows)
        {
            (isNow ? markedNow : before).Add(memberId);
        }

        return (markedNow, before);
    }

    /// <summary>Member ids of @usernames (case-insensitive, as Telegram compares them), for the names found.</summary>
    public async Task<IReadOnlyDictionary<string, long>> MembersByUsernameAsync(IReadOnlyCollection<string> usernames, CancellationToken cancellationToken)
    {
        const string Sql = "select lower(username) as Username, id as Id from members where lower(username) = any(@names)";
        if (usernames.Count == 0)
        {
            return new Dictionary<string, long>();
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var names = usernames.Select(u => u.ToLowerInvariant()).Distinct().ToArray();
        var rows = await connection.QueryAsync<(string Username, long Id)>(new CommandDefinition(Sql, new { names }, cancellationToken: cancellationToken));
        // Two members can hold the same name at different times: the name is ambiguous, so it is left unknown.
        return rows.GroupBy(r => r.Username).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Id, StringComparer.Ordinal);
    }

    /// <summary>Attended and confirmed counts of the sessions that have started by <paramref name="now"/> and are not cancelled.</summary>
    public async Task<IReadOnlyDictionary<long, (int Attended, int Confirmed)>> ShowRatesAsync(IReadOnlyList<long> sessionIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = """
            select s.id as SessionId,
                   count(r.id) filter (where r.attended_at is not null)::int as Attended,
                   count(r.id)::int as Confirmed
              from sessions s
              left join registrations r on r.session_id = s.id and r.status = 'confirmed'
             where s.id = any(@sessionIds) and s.starts_at <= @now and s.cancelled_at is null
             group by s.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long SessionId, int Attended, int Confirmed)>(new CommandDefinition(
            Sql, new { sessionIds = sessionIds.ToArray(), now = now.UtcDateTime }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.SessionId, r => (r.Attended, r.Confirmed));
    }

    private sealed record JoinedRow(bool IsMarked, bool WasAttended, DateTime StartsAt, int DurationMinutes);
}
