using Dapper;
using Hangfire;
using Npgsql;

namespace Baoming.Storage;

/// <summary>
/// Deletes, once a day, the rows that have done their work and are older than their
/// <see cref="RetentionOptions"/> setting: handled updates, delivery-ledger rows of finished topics,
/// audit entries, abandoned dialogues and answered notes. Small batches, each its own transaction, so no table is
/// locked for long and the indexes stay small. Platform: it knows table names, not the features that
/// write them. Safe to run twice.
/// </summary>
public sealed partial class RetentionJob(NpgsqlDataSource dataSource, IOptions<RetentionOptions> options, ILogger<RetentionJob> logger)
{
    /// <summary>The recurring job's id (the dashboard shows it).</summary>
    public const string RecurringId = "retention";

    /// <summary>The id the job had when it cleaned the inbox alone; removed at start.</summary>
    public const string FormerRecurringId = "inbox-cleanup";

    /// <summary>Rows per statement: a batch is a short transaction however much there is to delete.</summary>
    private const int Batch = 1000;

    /// <summary>
    /// Handled updates (<c>processed_at</c> is set when an update is handled or skipped), oldest update
    /// first along the primary key: the old rows are at its start. No index on <c>processed_at</c>, which
    /// would cost every handled message an index write.
    /// </summary>
    private const string InboxSql = """
        delete from inbox where update_id in (
            select update_id from inbox
             where processed_at < now() - @Retention
             order by update_id
             limit @Batch)
        """;

    /// <summary>
    /// Rows with a final state, of topics with nothing pending or in flight: a topic still being sent
    /// keeps its whole ledger, which is what stops a resumed run from sending twice. Index
    /// <c>deliveries_finished</c>; the topic check reads <c>deliveries_pending</c>.
    /// </summary>
    private const string DeliveriesSql = """
        delete from deliveries where id in (
            select d.id from deliveries d
             where d.state in ('sent', 'blocked', 'failed', 'unknown')
               and d.updated_at < now() - @Retention
               and not exists (select from deliveries p where p.topic = d.topic and p.state in ('pending', 'sending'))
             limit @Batch)
        """;

    /// <summary>Index <c>audit_log_at</c>.</summary>
    private const string AuditLogSql = """
        delete from audit_log where id in (
            select id from audit_log
             where at < now() - @Retention
             limit @Batch)
        """;

    /// <summary>
    /// Index <c>dialogs_updated_at</c>. The age is checked again on the row deleted: a dialogue
    /// reopened meanwhile (same member, new <c>updated_at</c>) stays.
    /// </summary>
    private const string DialogsSql = """
        delete from dialogs where member_id in (
            select member_id from dialogs
             where updated_at < now() - @Retention
             limit @Batch)
           and updated_at < now() - @Retention
        """;

    /// <summary>Answered notes, along the primary key (a small table); an unanswered one waits for its answer.</summary>
    private const string NotesSql = """
        delete from notes where id in (
            select id from notes
             where answered_at < now() - @Retention
             order by id
             limit @Batch)
        """;

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value;
        var inbox = await DeleteAsync(InboxSql, retention.Inbox, cancellationToken);
        var deliveries = await DeleteAsync(DeliveriesSql, retention.Deliveries, cancellationToken);
        var auditLog = await DeleteAsync(AuditLogSql, retention.AuditLog, cancellationToken);
        var dialogs = await DeleteAsync(DialogsSql, retention.Dialogs, cancellationToken);
        var notes = await DeleteAsync(NotesSql, retention.Notes, cancellationToken);
        LogDeleted(inbox, deliveries, auditLog, dialogs, notes);
    }

    /// <summary>Runs <paramref name="sql"/> until a batch comes back short; returns the rows deleted.</summary>
    private async Task<int> DeleteAsync(string sql, TimeSpan retention, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            deleted = await connection.ExecuteAsync(new CommandDefinition(sql, new { Retention = retention, Batch }, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == Batch);

        return total;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Retention deleted {Inbox} handled updates, {Deliveries} delivery-ledger rows, {AuditLog} audit entries, {Dialogs} dialogues and {Notes} answered notes")]
    private partial void LogDeleted(int inbox, int deliveries, int auditLog, int dialogs, int notes);
}

/// <summary>
/// Registers <see cref="RetentionJob"/> as a daily recurring job (04:00 community time) under a stable id;
/// re-registering only updates it. The job's former id, from when it cleaned the inbox alone, is removed.
/// </summary>
internal sealed class RetentionSchedule(IRecurringJobManager recurring, IOptions<Community.CommunityOptions> community) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.RemoveIfExists(RetentionJob.FormerRecurringId);
        recurring.AddOrUpdate<RetentionJob>(
            RetentionJob.RecurringId,
            job => job.RunAsync(CancellationToken.None),
            Cron.Daily(4),
            new RecurringJobOptions { TimeZone = community.Value.Zone });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
