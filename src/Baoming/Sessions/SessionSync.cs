using Baoming.Reminders;

namespace Baoming.Sessions;

/// <summary>
/// Brings the configured sessions into the database at start-up; a configured session whose time
/// changed is a move (registrants told, reminders re-planted). Then every session's reminders are
/// checked against its time and the configured offsets.
/// </summary>
public sealed partial class SessionSync(
    SessionRepository sessions,
    SessionLifecycle lifecycle,
    ReminderScheduler reminders,
    IOptions<SessionCatalogOptions> options,
    ILogger<SessionSync> logger)
{
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Sessions;
        if (configured.Count > 0)
        {
            var moves = await sessions.UpsertAsync(configured, cancellationToken);
            LogSynced(configured.Count);
            foreach (var move in moves)
            {
                await lifecycle.MovedAsync(move, cancellationToken);
            }
        }

        await reminders.SyncAllAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Configuration sessions upserted: {Count}")]
    private partial void LogSynced(int count);
}
