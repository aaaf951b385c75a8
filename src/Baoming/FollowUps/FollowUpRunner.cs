using Baoming.Hosting;
using Baoming.Platform;
using Baoming.Storage;

namespace Baoming.FollowUps;

/// <summary>
/// Carries out recorded follow-ups that nobody carried out yet: the instance that made the change
/// stopped, or the database was away at that moment. Runs on every instance; rows are locked, so
/// each follow-up is carried out by one of them.
/// </summary>
public sealed partial class FollowUpRunner(FollowUps followUps, ILogger<FollowUpRunner> logger) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync(ct => Retry.UntilDoneAsync(followUps.RunWaitingAsync, logger, ct), Tick, TimeSpan.FromSeconds(5), LogFailed, stoppingToken);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Running follow-ups failed; trying again in 5 s")]
    private partial void LogFailed(Exception exception);
}
