using Baoming.Core.Series;
using Baoming.Delivery;
using Baoming.Jobs;
using Baoming.Sessions;
using Dapper;
using Hangfire;
using Npgsql;

namespace Baoming.Series;

/// <summary>
/// Keeps each session's invitation and its one Hangfire job in step with the session: planted for the moment
/// sign-up opens (<see cref="Core.Session.OpensAt"/>, or now when it is open already) while the session is in a
/// series, not cancelled and not started; planted again when the opening time or the series changes; dropped
/// when the session is cancelled or leaves its series. An invitation that fired is never planted again, so a
/// restart, a second instance or a later edit never invites twice.
/// </summary>
public sealed partial class InvitationScheduler(
    NpgsqlDataSource dataSource,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<InvitationScheduler> logger) : ISessionChangeHook, ISessionPlanner
{
    public string Planned => "series invitations";

    /// <summary>The session with its series, as a plan is made from it.</summary>
    private const string SessionSql = $"select {StoredSession.Columns}, s.series_id as SeriesId from sessions s where s.id = @sessionId";

    /// <summary>Every session that may still owe an invitation, and every plan not yet fired.</summary>
    public async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        const string Sql = """
            select id from sessions where series_id is not null and cancelled_at is null and starts_at > @now
            union
            select session_id from series_invitations where state = 'scheduled'
            """;
        await SessionPlans.SyncEachAsync(dataSource, Sql, new { now = time.GetUtcNow() }, SyncAsync, cancellationToken);
    }

    Task ISessionChangeHook.SessionChangedAsync(long sessionId, CancellationToken cancellationToken) => SyncAsync(sessionId, cancellationToken);

    /// <summary>Brings one session's invitation in line with its series, its opening time and its state.</summary>
    public async Task SyncAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string EnsureSql = "insert into series_invitations (session_id) values (@sessionId) on conflict (session_id) do nothing";
        const string LockSql = $"select {InvitationStore.Columns} from series_invitations where session_id = @sessionId for update";
        const string PlanSql = "update series_invitations set series_id = @seriesId, due_at = @dueAt, job_id = null, state = 'scheduled' where session_id = @sessionId";
        const string DropSql = "update series_invitations set job_id = null, state = 'idle' where session_id = @sessionId";

        string? oldJob = null;
        DateTimeOffset? plantAt = null;
        Core.Session session;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(SessionSql, new { sessionId }, cancellationToken: cancellationToken));
            if (row is null)
            {
                return;
            }

            session = row.ToSession();
            var hasNothing = row.SeriesId is null && (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "select 1 from series_invitations where session_id = @sessionId", new { sessionId }, cancellationToken: cancellationToken))) is null;
            if (hasNothing)
            {
                // Never in a series: no row is made for the many sessions that are not.
                return;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // The row's lock keeps two instances (or the start-up sync and an edit) from planting twice.
            await connection.ExecuteAsync(new CommandDefinition(EnsureSql, new { sessionId }, transaction, cancellationToken: cancellationToken));
            var plan = (await connection.QuerySingleAsync<InvitationStore.Row>(new CommandDefinition(LockSql, new { sessionId }, transaction, cancellationToken: cancellationToken))).ToPlan();
            var now = time.GetUtcNow();
            var dueAt = SeriesRules.InvitationDue(session.OpensAt, now);
            switch (Decide(plan, SeriesRules.IsInvitable(session, row.SeriesId, now), row.SeriesId, dueAt, now))
            {
                case Decision.Keep:
                    break;

                case Decision.Drop:
                    oldJob = plan.JobId;
                    await connection.ExecuteAsync(new CommandDefinition(DropSql, new { sessionId }, transaction, cancellationToken: cancellationToken));
                    LogDropped(session.Key);
                    break;

                case Decision.Plant:
                    oldJob = plan.JobId;
                    plantAt = dueAt;
                    await connection.ExecuteAsync(new CommandDefinition(
                        PlanSql, new { sessionId, seriesId = row.SeriesId, dueAt = dueAt.UtcDateTime }, transaction, cancellationToken: cancellationToken));
                    break;
            }

            await transaction.CommitAsync(cancellationToken);
        }

        // Jobs are planted once the plan is committed: a job run at once must find its plan. A crash in between
        // leaves a scheduled plan without a job, which the next start-up sync (or a later round) plants.
        if (oldJob is not null)
        {
            // A job that cannot be deleted (running) finds its plan moved or dropped and sends nothing.
            jobs.Delete(oldJob);
        }

        if (plantAt is { } at)
        {
            await PlantAsync(session, at, cancellationToken);
        }
    }

    private async Task PlantAsync(Core.Session session, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        const string JobSql = "update series_invitations set job_id = @jobId where session_id = @sessionId and state = 'scheduled' and due_at = @dueAt and job_id is null";
        var topic = InvitationTopic.Key(session.Id);
        var jobId = dueAt > time.GetUtcNow() ? FanOutJob.Schedule(jobs, topic, dueAt) : FanOutJob.Enqueue(jobs, topic);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var kept = await connection.ExecuteAsync(new CommandDefinition(JobSql, new { sessionId = session.Id, dueAt = dueAt.UtcDateTime, jobId }, cancellationToken: cancellationToken));
        if (kept == 0)
        {
            // Planned again meanwhile (another instance, a later edit): that plan's job does the work.
            jobs.Delete(jobId);
            return;
        }

        LogPlanted(session.Key, dueAt);
    }

    private enum Decision
    {
        Keep,
        Drop,
        Plant,
    }

    private static Decision Decide(InvitationPlan plan, bool isInvitable, long? seriesId, DateTimeOffset dueAt, DateTimeOffset now) => plan switch
    {
        // Sent once: never again, whatever changes later.
        { State: InvitationState.Fired } => Decision.Keep,
        { State: InvitationState.Scheduled } when !isInvitable => Decision.Drop,
        _ when !isInvitable => Decision.Keep,
        // Planned for this series and time, or due already and still due (open at once): its job is there.
        { State: InvitationState.Scheduled, JobId: not null, DueAt: { } planned } when plan.SeriesId == seriesId
            && (planned == dueAt || (planned <= now && dueAt <= now)) => Decision.Keep,
        _ => Decision.Plant,
    };

    private sealed record SessionRow : StoredSession
    {
        public long? SeriesId { get; init; }
    }

    [LoggerMessage(EventId = 1850, Level = LogLevel.Information, Message = "Series invitation for {SessionKey} planted at {DueAt}")]
    private partial void LogPlanted(string sessionKey, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 1851, Level = LogLevel.Information, Message = "Series invitation for {SessionKey} dropped: the session left its series, was cancelled or started")]
    private partial void LogDropped(string sessionKey);
}
