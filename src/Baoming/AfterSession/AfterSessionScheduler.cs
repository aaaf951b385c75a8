using Baoming.Delivery;
using Baoming.Jobs;
using Baoming.Sessions;
using Dapper;
using Hangfire;
using Npgsql;

namespace Baoming.AfterSession;

/// <summary>
/// Keeps each session's after-session run and its one Hangfire job in step with the session: planted for
/// the end plus <see cref="AfterSessionOptions.Delay"/>, re-planted when the session moves (or the delay
/// changed since the last start), dropped when it is cancelled. A run that already fired for its time is
/// left alone, so a restart or a second instance never sends twice.
/// </summary>
public sealed partial class AfterSessionScheduler(
    NpgsqlDataSource dataSource,
    SessionRepository sessions,
    IBackgroundJobClient jobs,
    IOptionsMonitor<AfterSessionOptions> options,
    TimeProvider time,
    ILogger<AfterSessionScheduler> logger) : ISessionChangeHook, ISessionPlanner
{
    public string Planned => "after-session runs";

    /// <summary>Every session whose run is still to come, or is planned and not yet fired.</summary>
    public async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        const string Sql = """
            select id from sessions
             where cancelled_at is null and starts_at + make_interval(mins => duration_minutes) + @delay > @now
            union
            select session_id from after_session where state = 'scheduled'
            """;
        await SessionPlans.SyncEachAsync(dataSource, Sql, new { delay = options.CurrentValue.Delay, now = time.GetUtcNow() }, SyncAsync, cancellationToken);
    }

    Task ISessionChangeHook.SessionChangedAsync(long sessionId, CancellationToken cancellationToken) => SyncAsync(sessionId, cancellationToken);

    /// <summary>Brings one session's run and job in line with its end, the delay and its state.</summary>
    public async Task SyncAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string EnsureSql = "insert into after_session (session_id) values (@sessionId) on conflict (session_id) do nothing";
        const string LockSql = $"select {AfterSessionStore.Columns} from after_session where session_id = @sessionId for update";
        const string PlanSql = "update after_session set ends_at = @endsAt, due_at = @dueAt, job_id = @jobId, state = 'scheduled' where session_id = @sessionId";
        const string CancelSql = "update after_session set job_id = null, state = 'cancelled' where session_id = @sessionId";

        if (await sessions.FindAsync(sessionId, cancellationToken) is not { } session)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row's lock keeps two instances (or a start-up sync and a move) from planting twice.
        await connection.ExecuteAsync(new CommandDefinition(EnsureSql, new { sessionId }, transaction, cancellationToken: cancellationToken));
        var plan = (await connection.QuerySingleAsync<AfterSessionStore.Row>(new CommandDefinition(LockSql, new { sessionId }, transaction, cancellationToken: cancellationToken))).ToPlan();

        var endsAt = session.StartsAt.AddMinutes(session.DurationMinutes);
        // Whole seconds: the due time is part of the topic key, and must read back the same.
        var dueAt = DateTimeOffset.FromUnixTimeSeconds((endsAt + options.CurrentValue.Delay).ToUnixTimeSeconds());
        var isPlanned = plan.State == AfterSessionState.Scheduled;
        switch (Decide(plan, session.IsCancelled, endsAt, dueAt, time.GetUtcNow()))
        {
            case Decision.Keep:
                break;

            case Decision.Drop:
                DeleteJob(plan.JobId);
                await connection.ExecuteAsync(new CommandDefinition(CancelSql, new { sessionId }, transaction, cancellationToken: cancellationToken));
                LogDropped(session.Key);
                break;

            case Decision.Plant:
                DeleteJob(plan.JobId);
                // A run that was owed and is now past due (the delay was shortened) goes out at once.
                var jobId = FanOutJob.Schedule(jobs, FollowUpTopic.Key(sessionId, dueAt), dueAt);
                await connection.ExecuteAsync(new CommandDefinition(
                    PlanSql, new { sessionId, endsAt = endsAt.UtcDateTime, dueAt = dueAt.UtcDateTime, jobId }, transaction, cancellationToken: cancellationToken));
                LogPlanted(session.Key, dueAt, isPlanned);
                break;
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private enum Decision
    {
        Keep,
        Drop,
        Plant,
    }

    private static Decision Decide(AfterSessionPlan plan, bool isCancelled, DateTimeOffset endsAt, DateTimeOffset dueAt, DateTimeOffset now) => plan switch
    {
        { State: AfterSessionState.Scheduled } when isCancelled => Decision.Drop,
        _ when isCancelled => Decision.Keep,
        // Planned for this very end and time (perhaps firing right now): nothing to do.
        { State: AfterSessionState.Scheduled, JobId: not null } when plan.DueAt == dueAt && plan.EndsAt == endsAt => Decision.Keep,
        { State: AfterSessionState.Scheduled } => Decision.Plant,
        // Already sent for this time; a session moved after its run gets a run at its new time.
        { State: AfterSessionState.Fired } when plan.DueAt == dueAt => Decision.Keep,
        _ when dueAt > now => Decision.Plant,
        // Over before it was ever planned (it ended before this feature, or was made in the past): nothing is owed.
        _ => Decision.Keep,
    };

    /// <summary>A job that cannot be deleted (already running) finds its run moved or cancelled and sends nothing.</summary>
    private void DeleteJob(string? jobId)
    {
        if (jobId is not null)
        {
            jobs.Delete(jobId);
        }
    }

    [LoggerMessage(EventId = 1730, Level = LogLevel.Information, Message = "After-session run for {SessionKey} planted at {DueAt} (re-planted: {IsMoved})")]
    private partial void LogPlanted(string sessionKey, DateTimeOffset dueAt, bool isMoved);

    [LoggerMessage(EventId = 1731, Level = LogLevel.Information, Message = "After-session run for {SessionKey} dropped: the session was cancelled")]
    private partial void LogDropped(string sessionKey);
}
