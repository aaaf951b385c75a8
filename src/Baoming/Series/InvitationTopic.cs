using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Series;
using Baoming.Core.Understanding;
using Baoming.Delivery;
using Baoming.Sessions;

namespace Baoming.Series;

/// <summary>
/// "invite:&lt;session&gt;": a new session of a series is open for sign-up, and each follower of the series hears
/// of it once, with a one-tap sign-up button (its source "series-KEY") and 退订. Not to followers signed up for
/// it already; members known to be unreachable are counted, not sent to. The key has no time in it: a session
/// is invited once in its life, however often its opening time or series changes.
/// </summary>
public sealed class InvitationTopic(
    InvitationStore store,
    SeriesRepository series,
    DeliveryLedger ledger,
    SessionRepository sessions,
    OrganizerReports reports,
    IOptions<CommunityOptions> community,
    TimeProvider time) : ITopic
{
    public const string TopicKind = "invite";

    /// <summary>A job may fire a little early (scheduler poll); one firing much earlier belongs to a plan that moved.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    /// <summary>Followers of the series who hold no seat or waitlist place in the session.</summary>
    private const string RecipientsSql = """
        select f.member_id, 0::smallint as variant
          from series_follows f
         where f.series_id = @seriesId
           and not exists (select 1 from registrations r
                            where r.session_id = @sessionId and r.member_id = f.member_id and r.status in ('confirmed', 'waitlisted'))
        """;

    public string Kind => TopicKind;

    public static TopicKey Key(long sessionId) => TopicKey.Of(TopicKind, sessionId);

    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        if (await FindAsync(topic, cancellationToken) is not ({ } session, { } plan, { } info))
        {
            return false;
        }

        if (plan.State == InvitationState.Scheduled)
        {
            var now = time.GetUtcNow();
            // Early (the plan moved later), or no longer open for sign-up then: the plan's own job, if any, does it.
            if (plan.DueAt > now + Tolerance || session.OpensAt > now + Tolerance || !SeriesRules.IsInvitable(session, info.Id, now))
            {
                return false;
            }

            // The audience is taken as the plan fires and never again: a run resumed after a restart sends to
            // those still pending, not to whoever followed since. Adding first and marking after is safe to repeat.
            await ledger.AddRecipientsAsync(topic, RecipientsSql, new { seriesId = info.Id, sessionId = session.Id }, cancellationToken);
            await store.MarkFiredAsync(session.Id, plan.DueAt!.Value, cancellationToken);
        }

        return true;
    }

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var (session, _, info) = await FindAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"{topic} no longer applies.");
        var texts = new Texts(language, community.Value.Zone);
        return texts.SeriesInvitation(info, session, CallbackData.SignUp(session.Id, SeriesRules.InvitationSource(info.Key, session.Id)));
    }

    /// <summary>A session cancelled while its invitation goes out: the rest is not sent.</summary>
    public async Task<bool> ShouldContinueAsync(TopicKey topic, CancellationToken cancellationToken) =>
        await FindAsync(topic, cancellationToken) is ({ IsCancelled: false }, _, _);

    public async Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken)
    {
        // A series nobody follows yet: nothing was sent, and nothing is worth a report.
        if (stats.Total == 0 || await FindAsync(topic, cancellationToken) is not ({ } session, _, { } info))
        {
            return;
        }

        await reports.SendAsync(
            topic,
            texts => texts.DeliveryReport(texts.InvitationReportTitle(info, session), stats.Sent, stats.Blocked, stats.Failed, stats.Unknown),
            cancellationToken);
    }

    /// <summary>The session, its plan and the series the plan is for, while the plan is planned or fired.</summary>
    private async Task<(Session Session, InvitationPlan Plan, SeriesInfo Series)?> FindAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        if (!topic.Is(TopicKind, 1)
            || await store.FindAsync(topic[0], cancellationToken) is not { State: InvitationState.Scheduled or InvitationState.Fired, SeriesId: { } seriesId } plan
            || await sessions.FindAsync(plan.SessionId, cancellationToken) is not { } session
            || await series.FindAsync(seriesId, cancellationToken) is not { } info)
        {
            return null;
        }

        return (session, plan, info);
    }
}
