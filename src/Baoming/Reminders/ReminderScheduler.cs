using Baoming.Core;
using Baoming.Core.Signup;
using Baoming.Delivery;
using Baoming.Jobs;
using Baoming.Sessions;
using Baoming.Storage;
using Dapper;
using Hangfire;
using Npgsql;

namespace Baoming.Reminders;

/// <summary>
/// Keeps each session's reminder slots and their Hangfire jobs in step with the session: one
/// delayed job per (session, slot), whatever the number of registrants. A moved session gets its
/// jobs re-planted at the new times; a cancelled one loses them.
/// </summary>
public sealed partial class ReminderScheduler(
    NpgsqlDataSource dataSource,
    SessionRepository sessions,
    IBackgroundJobClient jobs,
    IOptionsMonitor<RemindersOptions> options,
    TimeProvider time,
    ILogger<ReminderScheduler> logger) : ISessionChangeHook
{
    public async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        const string Sql = """
            select id from sessions where starts_at > @now
            union
            select session_id from reminder_slots where state = 'scheduled'
            """;
        await SessionPlans.SyncEachAsync(dataSource, Sql, new { now = time.GetUtcNow() }, SyncAsync, cancellationToken);
    }

    Task ISessionChangeHook.SessionChangedAsync(long sessionId, CancellationToken cancellationToken) => SyncAsync(sessionId, cancellationToken);

    /// <summary>Brings one session's slots and jobs in line with its time, offsets and state.</summary>
    public async Task SyncAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string SlotsSql = """
            select id, "offset", due_at as DueAt, job_id as JobId from reminder_slots
             where session_id = @sessionId and state = 'scheduled'
            """;
        const string OffsetsSql = "select reminder_offsets from sessions where id = @sessionId";
        const string InsertSql = """
            insert into reminder_slots (session_id, "offset", due_at) values (@sessionId, @Offset, @DueAt)
            on conflict (session_id, "offset") do update set due_at = excluded.due_at, state = 'scheduled', job_id = null
            returning id
            """;
        const string SetJobSql = "update reminder_slots set job_id = @jobId, due_at = @dueAt where id = @id";
        const string CancelSql = "update reminder_slots set state = 'cancelled', job_id = null where id = @id";

        var session = await sessions.FindAsync(sessionId, cancellationToken);
        if (session is null)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two instances starting at once must not plant a session's jobs twice.
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtextextended('reminders:' || @sessionId, 0))", new { sessionId }, transaction, cancellationToken: cancellationToken));

        var custom = await connection.ExecuteScalarAsync<TimeSpan[]?>(new CommandDefinition(OffsetsSql, new { sessionId }, transaction, cancellationToken: cancellationToken));
        var now = time.GetUtcNow();
        var desired = ReminderRules.Slots(session, options.CurrentValue.OffsetsFor(custom), now)
            .ToDictionary(s => s.Offset);
        var existing = (await connection.QueryAsync<SlotRow>(new CommandDefinition(SlotsSql, new { sessionId }, transaction, cancellationToken: cancellationToken))).ToList();

        foreach (var slot in existing)
        {
            var dueAt = PostgresTime.Utc(slot.DueAt);
            if (desired.Remove(slot.Offset, out var wanted))
            {
                if (wanted.DueAt == dueAt && slot.JobId is not null)
                {
                    continue;
                }

                DeleteJob(slot.JobId);
                await DropPreparedAsync(connection, transaction, slot, cancellationToken);
                var jobId = Schedule(slot.Id, wanted.DueAt);
                await connection.ExecuteAsync(new CommandDefinition(SetJobSql, new { jobId, dueAt = wanted.DueAt.UtcDateTime, id = slot.Id }, transaction, cancellationToken: cancellationToken));
                LogMoved(session.Key, slot.Offset, wanted.DueAt);
            }
            else if (dueAt <= now)
            {
                // Already due: its fan-out is running or about to resume after a restart. Leave it be;
                // it marks the slot done when it finishes.
                continue;
            }
            else
            {
                DeleteJob(slot.JobId);
                await DropPreparedAsync(connection, transaction, slot, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(CancelSql, new { id = slot.Id }, transaction, cancellationToken: cancellationToken));
                LogCancelled(session.Key, slot.Offset);
            }
        }

        foreach (var wanted in desired.Values)
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                InsertSql, new { sessionId, wanted.Offset, DueAt = wanted.DueAt.UtcDateTime }, transaction, cancellationToken: cancellationToken));
            var jobId = Schedule(id, wanted.DueAt);
            await connection.ExecuteAsync(new CommandDefinition(SetJobSql, new { jobId, dueAt = wanted.DueAt.UtcDateTime, id }, transaction, cancellationToken: cancellationToken));
            LogScheduled(session.Key, wanted.Offset, wanted.DueAt);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The job starts <see cref="RemindersOptions.PrepareAhead"/> before the due time: it writes the recipients
    /// to the ledger, waits for the due time and sends (see <see cref="IPreparedTopic"/>).
    /// </summary>
    private string Schedule(long slotId, DateTimeOffset dueAt) =>
        FanOutJob.Schedule(jobs, ReminderTopic.Key(slotId, dueAt), dueAt - options.CurrentValue.PrepareAhead);

    /// <summary>
    /// A slot moved or cancelled before its due time: the rows its job may have prepared under the old key are
    /// never sent (that job finds the slot moved), so they go, with the slot's change.
    /// </summary>
    private static Task<int> DropPreparedAsync(NpgsqlConnection connection, System.Data.Common.DbTransaction transaction, SlotRow slot, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            DeliveryLedger.DropPreparedSql, new { topic = ReminderTopic.Key(slot.Id, PostgresTime.Utc(slot.DueAt)).ToString() }, transaction, cancellationToken: cancellationToken));

    /// <summary>A job that cannot be deleted (already running) finds its slot moved or cancelled and does nothing.</summary>
    private void DeleteJob(string? jobId)
    {
        if (jobId is not null)
        {
            jobs.Delete(jobId);
        }
    }

    private sealed record SlotRow(long Id, TimeSpan Offset, DateTime DueAt, string? JobId);

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Reminder for {SessionKey} {Offset} before scheduled at {DueAt}")]
    private partial void LogScheduled(string sessionKey, TimeSpan offset, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Reminder for {SessionKey} {Offset} before moved to {DueAt}")]
    private partial void LogMoved(string sessionKey, TimeSpan offset, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Reminder for {SessionKey} {Offset} before cancelled")]
    private partial void LogCancelled(string sessionKey, TimeSpan offset);
}
