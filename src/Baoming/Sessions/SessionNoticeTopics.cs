using System.Globalization;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Sessions;

namespace Baoming.Sessions;

/// <summary>Everyone signed up (confirmed or waitlisted) for a session: the audience of session notices.</summary>
internal static class SessionAudience
{
    public const string Sql = """
        select member_id, 0::smallint as variant from registrations
         where session_id = @sessionId and status in ('confirmed', 'waitlisted')
        """;

    /// <summary>
    /// Those signed up before the move (the session row's last update): who signed up after it saw the
    /// new time already, and a "moved" notice would only confuse them.
    /// </summary>
    public const string BeforeMoveSql = $"""
        {Sql}
           and registered_at <= (select updated_at from sessions where id = @sessionId)
        """;

    public static long? SessionId(string topic) =>
        topic.Split(':') is [_, var id, ..] && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var sessionId)
            ? sessionId
            : null;
}

/// <summary>
/// "moved:&lt;session&gt;:&lt;old unix&gt;:&lt;new unix&gt;": registrants are told once of a time change.
/// If the session moved again before this ran, only the newer notice is sent.
/// </summary>
public sealed class SessionMovedTopic(DeliveryLedger ledger, SessionRepository sessions, IOptions<CommunityOptions> community) : ITopic
{
    public string Kind => "moved";

    public static string Topic(long sessionId, DateTimeOffset previousStart, DateTimeOffset newStart) =>
        $"moved:{sessionId}:{previousStart.ToUnixTimeSeconds()}:{newStart.ToUnixTimeSeconds()}";

    public async Task<bool> PrepareAsync(string topic, CancellationToken cancellationToken)
    {
        var (session, _) = await ParseAsync(topic, cancellationToken);
        if (session is null)
        {
            return false;
        }

        await ledger.AddRecipientsAsync(topic, SessionAudience.BeforeMoveSql, new { sessionId = session.Id }, cancellationToken);
        return true;
    }

    public async Task<Reply> RenderAsync(string topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var (session, previous) = await ParseAsync(topic, cancellationToken);
        return new Texts(language, community.Value.Zone).Moved(session ?? throw new InvalidOperationException($"{topic} no longer applies."), previous);
    }

    public Task CompletedAsync(string topic, DeliveryStats stats, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<(Session? Session, DateTimeOffset Previous)> ParseAsync(string topic, CancellationToken cancellationToken)
    {
        var parts = topic.Split(':');
        if (parts.Length != 4 || SessionAudience.SessionId(topic) is not { } id
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var previous)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var current))
        {
            return (null, default);
        }

        var session = await sessions.FindAsync(id, cancellationToken);
        return session is { IsCancelled: false } && session.StartsAt.ToUnixTimeSeconds() == current
            ? (session, DateTimeOffset.FromUnixTimeSeconds(previous))
            : (null, default);
    }
}

/// <summary>"cancelled:&lt;session&gt;": registrants are told the session is off.</summary>
public sealed class SessionCancelledTopic(DeliveryLedger ledger, SessionRepository sessions, IOptions<CommunityOptions> community) : ITopic
{
    public string Kind => "cancelled";

    public static string Topic(long sessionId) => $"cancelled:{sessionId}";

    public async Task<bool> PrepareAsync(string topic, CancellationToken cancellationToken)
    {
        if (await FindAsync(topic, cancellationToken) is not { IsCancelled: true } session)
        {
            return false;
        }

        await ledger.AddRecipientsAsync(topic, SessionAudience.Sql, new { sessionId = session.Id }, cancellationToken);
        return true;
    }

    public async Task<Reply> RenderAsync(string topic, short variant, Language language, CancellationToken cancellationToken) =>
        new Texts(language, community.Value.Zone).SessionCancelled(
            await FindAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"{topic} no longer applies."));

    public Task CompletedAsync(string topic, DeliveryStats stats, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<Session?> FindAsync(string topic, CancellationToken cancellationToken) =>
        SessionAudience.SessionId(topic) is { } id ? await sessions.FindAsync(id, cancellationToken) : null;
}
