namespace Baoming.Sessions;

/// <summary>Brings the configured sessions into the database at start-up.</summary>
public sealed partial class SessionSync(SessionRepository sessions, IOptions<SessionCatalogOptions> options, ILogger<SessionSync> logger)
{
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Sessions;
        if (configured.Count == 0)
        {
            return;
        }

        await sessions.UpsertAsync(configured, cancellationToken);
        LogSynced(configured.Count);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Configuration sessions upserted: {Count}")]
    private partial void LogSynced(int count);
}
