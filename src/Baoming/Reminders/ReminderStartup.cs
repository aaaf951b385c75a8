using Baoming.Storage;

namespace Baoming.Reminders;

/// <summary>
/// Plants or re-plants every session's reminder jobs once the host is up (configured offsets may
/// have changed since the last run), without holding up the first getUpdates.
/// </summary>
public sealed class ReminderStartup(ReminderScheduler scheduler, ILogger<ReminderStartup> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Retry.UntilDoneAsync(scheduler.SyncAllAsync, logger, stoppingToken);
}
