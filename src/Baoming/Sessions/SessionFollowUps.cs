using System.Globalization;
using Baoming.Delivery;
using Baoming.FollowUps;
using Hangfire;

namespace Baoming.Sessions;

/// <summary>
/// What another feature does when a session is created, moved or cancelled (Reminders re-plants its
/// jobs). Called once the change is committed, and again if it is run twice: it must converge.
/// </summary>
public interface ISessionChangeHook
{
    Task SessionChangedAsync(long sessionId, CancellationToken cancellationToken);
}

/// <summary>
/// A session created, moved or cancelled (recorded by a trigger on <c>sessions</c>, in the change's
/// own transaction): the hooks follow (reminders), and registrants hear of a move or a cancellation once.
/// Both are safe to repeat: the hooks converge, and the notice's ledger sends once.
/// </summary>
public sealed class SessionFollowUps(IEnumerable<ISessionChangeHook> hooks, IBackgroundJobClient jobs) : IFollowUpHandler
{
    public IReadOnlyList<string> Kinds { get; } = ["session-created", "session-moved", "session-cancelled"];

    public async Task<bool> RunAsync(string kind, string argument, TimeSpan age, CancellationToken cancellationToken)
    {
        var parts = argument.Split(':');
        var sessionId = long.Parse(parts[0], CultureInfo.InvariantCulture);
        foreach (var hook in hooks)
        {
            await hook.SessionChangedAsync(sessionId, cancellationToken);
        }

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
