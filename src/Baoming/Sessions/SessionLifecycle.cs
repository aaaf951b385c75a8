using Baoming.FollowUps;
using Dapper;
using Npgsql;

namespace Baoming.Sessions;

/// <summary>
/// What happens around a session's changes, wherever they come from (configuration at start-up
/// or an organizer's command): reminders follow the new time, registrants hear of a move or a
/// cancellation exactly once. The follow-ups are recorded with the change itself (a trigger on
/// <c>sessions</c>, see <c>Reminders.SessionFollowUps</c>); here they are only carried out at once.
/// </summary>
public sealed class SessionLifecycle(NpgsqlDataSource dataSource, SessionRepository sessions, FollowUps.FollowUps followUps)
{
    /// <summary>After a move was committed: its re-planted reminders and its notice go out now.</summary>
    public Task MovedAsync(CancellationToken cancellationToken) => followUps.RunNowAsync(cancellationToken);

    /// <summary>Cancels a session: no reminder goes out, and everyone signed up is told. False when already cancelled.</summary>
    public async Task<bool> CancelAsync(long sessionId, CancellationToken cancellationToken)
    {
        const string Sql = "update sessions set cancelled_at = now(), updated_at = now() where id = @sessionId and cancelled_at is null";
        int changed;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            changed = await connection.ExecuteAsync(new CommandDefinition(Sql, new { sessionId }, cancellationToken: cancellationToken));
        }

        sessions.ForgetCached();
        await followUps.RunNowAsync(cancellationToken);
        return changed > 0;
    }
}
