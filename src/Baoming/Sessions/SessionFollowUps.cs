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
    // The kinds the trigger sessions_follow_ups writes (Storage/Migrations/0010_follow_ups.sql): stored
    // in follow_ups rows, so their text must not change.

    /// <summary>A session was inserted; the argument is its id.</summary>
    public const string Created = "session-created";

    /// <summary>A session's start changed; the argument is "&lt;session&gt;:&lt;old unix&gt;:&lt;new unix&gt;" (<see cref="SessionChange"/>).</summary>
    public const string Moved = "session-moved";

    /// <summary>A session was cancelled; the argument is its id.</summary>
    public const string Cancelled = "session-cancelled";

    /// <summary>A session's opening time or series changed (0021); the argument is its id. The hooks follow; nobody is told.</summary>
    public const string Changed = "session-changed";

    public IReadOnlyList<string> Kinds { get; } = [Created, Moved, Cancelled, Changed];

    public async Task<bool> RunAsync(string kind, string argument, TimeSpan age, CancellationToken cancellationToken)
    {
        var change = SessionChange.Parse(kind, argument);
        foreach (var hook in hooks)
        {
            await hook.SessionChangedAsync(change.SessionId, cancellationToken);
        }

        var notice = change switch
        {
            { PreviousStart: { } previous, NewStart: { } next } => SessionMovedTopic.Key(change.SessionId, previous, next),
            _ when kind == Cancelled => SessionCancelledTopic.Key(change.SessionId),
            _ => null,
        };
        if (notice is not null)
        {
            FanOutJob.Enqueue(jobs, notice);
        }

        return true;
    }
}

/// <summary>
/// A session follow-up's argument, as the trigger writes it: the session's id, and for a move
/// (<see cref="SessionFollowUps.Moved"/>) its old and new start in whole unix seconds, "&lt;session&gt;:&lt;old&gt;:&lt;new&gt;".
/// </summary>
public sealed record SessionChange(long SessionId, DateTimeOffset? PreviousStart = null, DateTimeOffset? NewStart = null)
{
    /// <summary>Reads the argument of a follow-up of <paramref name="kind"/>; throws <see cref="FormatException"/> for anything else.</summary>
    public static SessionChange Parse(string kind, string argument)
    {
        var parts = argument.Split(':');
        return (kind, parts) switch
        {
            (SessionFollowUps.Moved, [var id, var previous, var next]) => new SessionChange(Number(id), FromUnix(previous), FromUnix(next)),
            (not SessionFollowUps.Moved, [var id]) => new SessionChange(Number(id)),
            _ => throw new FormatException($"Not the argument of a {kind} follow-up: '{argument}'."),
        };
    }

    private static long Number(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static DateTimeOffset FromUnix(string seconds) => DateTimeOffset.FromUnixTimeSeconds(Number(seconds));
}
