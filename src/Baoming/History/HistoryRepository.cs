using Baoming.Core.Replies;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.History;

/// <summary>A member as the members table holds them, with when they first wrote to the bot.</summary>
public sealed record HistoryMember(long Id, string DisplayName, string? Username, DateTimeOffset FirstSeenAt);

/// <summary>
/// Reads a member's registrations in every session, and owns the one definition of how a registration
/// ended (<see cref="OutcomeSql"/>), which <c>/member</c> and the export's history columns both use.
/// </summary>
public sealed class HistoryRepository(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// A registration's outcome over the aliases <c>r</c> (registrations) and <c>s</c> (sessions), at
    /// <c>@now</c>. A recorded attendance counts whatever else happened (it is a fact); then a cancellation
    /// by the member or of the session; a waitlisted member never had a seat to miss; a confirmed one whose
    /// session is over (start + duration ≤ now) and who never came is a no-show. The values are those
    /// <see cref="ParseOutcome"/> reads.
    /// </summary>
    public const string OutcomeSql = """
        case when r.attended_at is not null then 'attended'
             when r.status = 'cancelled' or s.cancelled_at is not null then 'cancelled'
             when r.status = 'waitlisted' then 'waitlisted'
             when s.starts_at + s.duration_minutes * interval '1 minute' <= @now then 'noshow'
             else 'upcoming' end
        """;

    public static HistoryOutcome ParseOutcome(string value) => value switch
    {
        "attended" => HistoryOutcome.Attended,
        "cancelled" => HistoryOutcome.Cancelled,
        "waitlisted" => HistoryOutcome.Waitlisted,
        "noshow" => HistoryOutcome.NoShow,
        "upcoming" => HistoryOutcome.Upcoming,
        _ => throw new FormatException($"Not a registration outcome: '{value}'."),
    };

    /// <summary>The member, or null when nobody with this id has written to the bot.</summary>
    public async Task<HistoryMember?> FindMemberAsync(long memberId, CancellationToken cancellationToken)
    {
        const string Sql = """
            select id, display_name as DisplayName, username, first_seen_at as FirstSeenAt
              from members where id = @memberId
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(Sql, new { memberId }, cancellationToken: cancellationToken));
        return row is null ? null : new HistoryMember(row.Id, row.DisplayName, row.Username, PostgresTime.Utc(row.FirstSeenAt));
    }

    /// <summary>
    /// Every registration of the member, cancelled ones included, newest session first. Driven from
    /// <c>sessions</c> (a few hundred rows at most): one probe of the (session, member) unique index per
    /// session, so a member is found among millions of registrations without an index on member_id that
    /// covers cancelled rows (<c>registrations_member</c> leaves them out).
    /// </summary>
    public async Task<IReadOnlyList<HistoryEntry>> EntriesAsync(long memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            select s.title, s.starts_at as StartsAt, {OutcomeSql} as outcome
              from sessions s
              join registrations r on r.session_id = s.id and r.member_id = @memberId
             order by s.starts_at desc, s.id desc
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(Sql, new { memberId, now = now.UtcDateTime }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new HistoryEntry(r.Title, PostgresTime.Utc(r.StartsAt), ParseOutcome(r.Outcome)))];
    }

    private sealed record MemberRow(long Id, string DisplayName, string? Username, DateTime FirstSeenAt);

    private sealed record EntryRow(string Title, DateTime StartsAt, string Outcome);
}
