namespace Baoming.Sessions;

/// <summary>
/// Brings the configured sessions into the database at start-up; a configured session whose time
/// changed is a move (registrants told, reminders re-planted). Planting every session's reminders
/// is left to <see cref="Reminders.ReminderStartup"/>, after the bot is serving: Hangfire's storage
/// takes a while to open, and nothing here should wait for it unless a session actually moved.
/// </summary>
public sealed partial class SessionSync(
    SessionRepository sessions,
    IEnumerable<ISessionConfigHook> hooks,
    IOptions<SessionCatalogOptions> options,
    ILogger<SessionSync> logger)
{
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Sessions;
        if (configured.Count > 0)
        {
            // A moved session's notice and reminders are follow-ups recorded with the upsert; the
            // follow-up runner carries them out once the bot is up (the job storage is not needed here).
            await sessions.UpsertAsync(configured, cancellationToken);
            LogSynced(configured.Count);
            var ids = await sessions.IdsByKeyAsync([.. configured.Select(c => c.Key)], cancellationToken);
            IReadOnlyList<(long, SessionConfig)> synced = [.. configured.Select(c => (ids[c.Key], c))];
            foreach (var hook in hooks)
            {
                await hook.SyncedAsync(synced, cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Configuration sessions upserted: {Count}")]
    private partial void LogSynced(int count);
}
