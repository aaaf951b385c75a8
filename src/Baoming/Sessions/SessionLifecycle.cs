using Baoming.Jobs;
using Baoming.Reminders;
using Dapper;
using Hangfire;
using Npgsql;

namespace Baoming.Sessions;

/// <summary>A session whose start time changed: what registrants must be told.</summary>
public sealed record SessionMove(long SessionId, DateTimeOffset PreviousStart, DateTimeOffset NewStart);

/// <summary>
/// What happens around a session's changes, wherever they come from (configuration at start-up
/// or an organizer's command): reminders follow the new time, registrants hear of a move or a
/// cancellation exactly once.
/// </summary>
public sealed class SessionLifecycle(NpgsqlDataSource dataSource, SessionRepository sessions, ReminderScheduler reminders, IBackgroundJobClient jobs)
{
    public async Task MovedAsync(SessionMove move, CancellationToken cancellationToken)
    {
        await reminders.SyncAsync(move.SessionId, cancellationToken);
        var topic = SessionMovedTopic.Topic(move.SessionId, move.PreviousStart, move.NewStart);
        jobs.Enqueue<FanOutJob>(job => job.RunAsync(topic, CancellationToken.None));
    }

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
        await reminders.SyncAsync(sessionId, cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        var topic = SessionCancelledTopic.Topic(sessionId);
        jobs.Enqueue<FanOutJob>(job => job.RunAsync(topic, CancellationToken.None));
        return true;
    }
}
