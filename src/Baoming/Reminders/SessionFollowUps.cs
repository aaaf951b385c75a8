using System.Globalization;
using Baoming.FollowUps;
using Baoming.Jobs;
using Hangfire;

namespace Baoming.Reminders;

/// <summary>
/// A session created, moved or cancelled (recorded by a trigger on <c>sessions</c>, in the change's
/// own transaction): its reminders follow, and registrants hear of a move or a cancellation once.
/// Both are safe to repeat: the reminder sync converges, and the notice's ledger sends once.
/// </summary>
public sealed class SessionFollowUps(ReminderScheduler reminders, IBackgroundJobClient jobs) : IFollowUpHandler
{
    public IReadOnlyList<string> Kinds { get; } = ["session-created", "session-moved", "session-cancelled"];

    public async Task<bool> RunAsync(string kind, string argument, TimeSpan age, CancellationToken cancellationToken)
    {
        var parts = argument.Split(':');
        var sessionId = long.Parse(parts[0], CultureInfo.InvariantCulture);
        await reminders.SyncAsync(sessionId, cancellationToken);
        var notice = kind switch
        {
            "session-moved" => SessionMovedTopic.Topic(sessionId, FromUnix(parts[1]), FromUnix(parts[2])),
            "session-cancelled" => SessionCancelledTopic.Topic(sessionId),
            _ => null,
        };
        if (notice is not null)
        {
            jobs.Enqueue<FanOutJob>(job => job.RunAsync(notice, CancellationToken.None));
        }

        return true;
    }

    private static DateTimeOffset FromUnix(string seconds) => DateTimeOffset.FromUnixTimeSeconds(long.Parse(seconds, CultureInfo.InvariantCulture));
}
