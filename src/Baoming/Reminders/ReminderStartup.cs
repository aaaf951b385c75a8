using Baoming.Platform;

namespace Baoming.Reminders;

/// <summary>
/// Plants or re-plants every session's reminder jobs once the host is up (configured offsets may
/// have changed since the last run), without holding up the first getUpdates.
/// </summary>
public sealed partial class ReminderStartup(ReminderScheduler scheduler, ILogger<ReminderStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
        while (true)
        {
            try
            {
                await Retry.UntilDoneAsync(scheduler.SyncAllAsync, logger, stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Not an outage (those are waited out above): a bug. The bot serves meanwhile; reminders are planted on a later try.
                LogFailed(e, pause.Current.TotalSeconds);
                await pause.WaitAsync(stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Error, Message = "Planting the reminder jobs failed; trying again in {Seconds} s")]
    private partial void LogFailed(Exception exception, double seconds);
}
