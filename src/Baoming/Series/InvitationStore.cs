using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Series;

/// <summary>Where a session's invitation stands (<c>series_invitations</c>, 0022).</summary>
public enum InvitationState
{
    Idle,
    Scheduled,
    Fired,
}

/// <summary>A session's invitation plan: the series it is for, when it fires, its job.</summary>
public sealed record InvitationPlan(long SessionId, long? SeriesId, DateTimeOffset? DueAt, string? JobId, InvitationState State);

/// <summary>The <c>series_invitations</c> table: one row per session that ever belonged to a series.</summary>
public sealed class InvitationStore(NpgsqlDataSource dataSource)
{
    public const string Columns = "session_id as SessionId, series_id as SeriesId, due_at as DueAt, job_id as JobId, state";

    public async Task<InvitationPlan?> FindAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string Sql = $"select {Columns} from series_invitations where session_id = @sessionId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Sql, new { sessionId }, cancellationToken: cancellationToken)))?.ToPlan();
    }

    /// <summary>Marks the plan fired for this due time; false when another run (a retry, another instance) did first.</summary>
    public async Task<bool> MarkFiredAsync(long sessionId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        const string Sql = "update series_invitations set state = 'fired', fired_at = now(), job_id = null where session_id = @sessionId and state = 'scheduled' and due_at = @dueAt";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(Sql, new { sessionId, dueAt = dueAt.UtcDateTime }, cancellationToken: cancellationToken)) == 1;
    }

    internal sealed record Row(long SessionId, long? SeriesId, DateTime? DueAt, string? JobId, string State)
    {
        public InvitationPlan ToPlan() => new(
            SessionId,
            SeriesId,
            DueAt is { } due ? PostgresTime.Utc(due) : null,
            JobId,
            State switch
            {
                "scheduled" => InvitationState.Scheduled,
                "fired" => InvitationState.Fired,
                _ => InvitationState.Idle,
            });
    }
}
