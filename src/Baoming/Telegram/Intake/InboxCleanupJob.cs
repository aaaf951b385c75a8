using Dapper;
using Hangfire;
using Npgsql;

namespace Baoming.Telegram.Intake;

/// <summary>
/// Handled updates are kept a week (to answer "did the bot get my message?"), then deleted in small
/// batches so the table and its index stay small. A daily recurring Hangfire job.
/// </summary>
public sealed partial class InboxCleanupJob(NpgsqlDataSource dataSource, ILogger<InboxCleanupJob> logger)
{
    public const string RecurringId = "inbox-cleanup";

    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        const string Sql = """
            delete from inbox where update_id in (
                select update_id from inbox
                 where processed_at < now() - @retention
                 limit 5000)
            """;
        var total = 0;
        int deleted;
        do
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            deleted = await connection.ExecuteAsync(new CommandDefinition(Sql, new { retention = Retention }, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted > 0 && !cancellationToken.IsCancellationRequested);

        LogDeleted(total);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Inbox cleanup deleted {Count} handled updates older than a week")]
    private partial void LogDeleted(int count);
}

/// <summary>Registers <see cref="InboxCleanupJob"/> as a daily recurring job (04:00 community time) under a stable id; re-registering only updates it.</summary>
internal sealed class InboxCleanupSchedule(IRecurringJobManager recurring, IOptions<Community.CommunityOptions> community) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<InboxCleanupJob>(
            InboxCleanupJob.RecurringId,
            job => job.RunAsync(CancellationToken.None),
            Cron.Daily(4),
            new RecurringJobOptions { TimeZone = community.Value.Zone });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
