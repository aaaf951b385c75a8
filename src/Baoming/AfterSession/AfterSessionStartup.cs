using Baoming.Platform;

namespace Baoming.AfterSession;

/// <summary>
/// Plants every session's after-session run once the host is up (the delay may have changed since the last
/// start, a session may have been added while this instance was away), then checks again now and again: a
/// run whose planting failed (its follow-up gave up, the job storage was away) is planted on a later round.
/// Planting converges, so a round with nothing to change changes nothing.
/// </summary>
public sealed partial class AfterSessionStartup(AfterSessionScheduler scheduler, ILogger<AfterSessionStartup> logger) : BackgroundService
{
    public static readonly TimeSpan Round = TimeSpan.FromMinutes(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync(ct => Retry.UntilDoneAsync(scheduler.SyncAllAsync, logger, ct), Round, TimeSpan.FromMinutes(1), LogFailed, stoppingToken);

    [LoggerMessage(EventId = 1732, Level = LogLevel.Error, Message = "Planting the after-session runs failed; trying again in a minute")]
    private partial void LogFailed(Exception exception);
}
