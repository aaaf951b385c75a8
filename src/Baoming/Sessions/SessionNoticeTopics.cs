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

    /// <summary>A session notice's key starts with the session's id.</summary>
    public static long? SessionId(TopicKey topic) => topic.Count > 0 ? topic[0] : null;
}

/// <summary>
/// "moved:&lt;session&gt;:&lt;old unix&gt;:&lt;new unix&gt;": registrants are told once of a time change.
/// If the session moved again before this ran, only the newer notice is sent.
/// </summary>
public sealed class SessionMovedTopic(DeliveryLedger ledger, SessionRepository sessions, IOptions<CommunityOptions> community) : ITopic
{
    public const string TopicKind = "moved";

    public string Kind => TopicKind;

    public static TopicKey Key(long sessionId, DateTimeOffset previousStart, DateTimeOffset newStart) =>
        TopicKey.Of(TopicKind, sessionId, previousStart.ToUnixTimeSeconds(), newStart.ToUnixTimeSeconds());

    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        var (session, _) = await ParseAsync(topic, cancellationToken);
        if (session is null)
        {
            return false;
        }

        await ledger.AddRecipientsAsync(topic, SessionAudience.BeforeMoveSql, new { sessionId = session.Id }, cancellationToken);
        return true;
    }

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var (session, previous) = await ParseAsync(topic, cancellationToken);
        return new Texts(language, community.Value.Zone).Moved(session ?? throw new InvalidOperationException($"{topic} no longer applies."), previous);
    }

    public Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<(Session? Session, DateTimeOffset Previous)> ParseAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        if (!topic.Is(TopicKind, 3) || SessionAudience.SessionId(topic) is not { } id)
        {
            return (null, default);
        }

        var (previous, current) = (topic[1], topic[2]);

        var session = await sessions.FindAsync(id, cancellationToken);
        return session is { IsCancelled: false } && session.StartsAt.ToUnixTimeSeconds() == current
            ? (session, DateTimeOffset.FromUnixTimeSeconds(previous))
            : (null, default);
    }
}

/// <summary>"cancelled:&lt;session&gt;": registrants are told the session is off.</summary>
public sealed class SessionCancelledTopic(DeliveryLedger ledger, SessionRepository sessions, IOptions<CommunityOptions> community) : ITopic
{
    public const string TopicKind = "cancelled";

    public string Kind => TopicKind;

    public static TopicKey Key(long sessionId) => TopicKey.Of(TopicKind, sessionId);

    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        if (await FindAsync(topic, cancellationToken) is not { IsCancelled: true } session)
        {
            return false;
        }

        await ledger.AddRecipientsAsync(topic, SessionAudience.Sql, new { sessionId = session.Id }, cancellationToken);
        return true;
    }

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken) =>
        new Texts(language, community.Value.Zone).SessionCancelled(
            await FindAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"{topic} no longer applies."));

    public Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<Session?> FindAsync(TopicKey topic, CancellationToken cancellationToken) =>
        topic.Is(TopicKind, 1) && SessionAudience.SessionId(topic) is { } id ? await sessions.FindAsync(id, cancellationToken) : null;
}
