using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Sessions;

namespace Baoming.Signup;

/// <summary>
/// "promoted:&lt;session&gt;:&lt;transaction&gt;": the members one cancellation or capacity change moved up
/// from the waitlist are told, through the ledger (once, retried, in the fan-out's report like any
/// notice). Their ledger rows are written with the promotion itself (<c>RegistrationStore</c>).
/// </summary>
public sealed class PromotionTopic(SessionRepository sessions, IOptions<CommunityOptions> community) : ITopic
{
    /// <summary>Why the seat came: the ledger row's variant, so each member gets the right words.</summary>
    public enum Reason : short
    {
        SeatFreed = 0,
        MoreSeats = 1,
    }

    public const string TopicKind = "promoted";

    /// <summary>
    /// The topic key as SQL, inside the promoting transaction (parameter @sessionId): one topic per promotion.
    /// The one key not built by <see cref="TopicKey"/>, and the same text as <see cref="Key"/> (a test holds them together).
    /// </summary>
    public const string TopicSql = $"'{TopicKind}:' || @sessionId || ':' || txid_current()";

    public string Kind => TopicKind;

    /// <summary>The key <see cref="TopicSql"/> writes for <paramref name="sessionId"/> in transaction <paramref name="transactionId"/>.</summary>
    public static TopicKey Key(long sessionId, long transactionId) => TopicKey.Of(TopicKind, sessionId, transactionId);

    /// <summary>The recipients are in the ledger already: written with the promotion.</summary>
    public Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken) => Task.FromResult(true);

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var session = topic.Is(TopicKind, 2) ? await sessions.FindAsync(topic[0], cancellationToken) : null;
        var texts = new Texts(language, community.Value.Zone);
        return session is null
            ? throw new InvalidOperationException($"{topic}: no such session.")
            : (Reason)variant == Reason.MoreSeats ? texts.PromotedByMoreSeats(session) : texts.Promoted(session);
    }

    public Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken) => Task.CompletedTask;
}
