using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Sessions;
using Hangfire;

namespace Baoming.Feedback;

/// <summary>
/// "feedback:&lt;session&gt;": the one feedback request to each member who attended the session, once the
/// session is over (AfterSession enqueues it at the end plus its delay). Members whose attendance is recorded
/// after a run get theirs when the topic runs again; nobody gets it twice. When it is done the organizers get
/// the delivery report, and the results report is planted for <see cref="ResultsAfter"/> after the request.
/// </summary>
public sealed class FeedbackTopic(
    DeliveryLedger ledger,
    FeedbackRepository feedback,
    SessionRepository sessions,
    OrganizerReports reports,
    IBackgroundJobClient jobs,
    IOptionsMonitor<CommunityOptions> community,
    TimeProvider time) : ITopic
{
    public const string TopicKind = "feedback";

    /// <summary>How long after the request the organizers get the results: most answers come within a day.</summary>
    public static readonly TimeSpan ResultsAfter = TimeSpan.FromHours(24);

    /// <summary>A job may fire a little early (scheduler poll); one firing much earlier belongs to a session that moved.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    private const string AttendeesSql = """
        select member_id, 0::smallint as variant from registrations
         where session_id = @sessionId and attended_at is not null
        """;

    public string Kind => TopicKind;

    public static TopicKey Key(long sessionId) => TopicKey.Of(TopicKind, sessionId);

    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        // Not before the end: a session moved later since the job was planted is asked about after its new end.
        var now = time.GetUtcNow();
        if (await FindAsync(topic, cancellationToken) is not { IsCancelled: false } session
            || session.StartsAt.AddMinutes(session.DurationMinutes) > now + Tolerance)
        {
            return false;
        }

        await feedback.MarkRequestedAsync(session.Id, now, cancellationToken);
        await ledger.AddRecipientsAsync(topic, AttendeesSql, new { sessionId = session.Id }, cancellationToken);
        return true;
    }

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var session = await FindAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"{topic} no longer applies.");
        return new Texts(language, community.CurrentValue.Zone).FeedbackRequest(session);
    }

    public async Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken)
    {
        if (await FindAsync(topic, cancellationToken) is not { } session)
        {
            return;
        }

        // Planted before it is marked: a crash in between plants it twice, and the report's own ledger row
        // keeps the second run from saying it again.
        if (await feedback.ReportToPlantAsync(session.Id, cancellationToken) is { } requestedAt)
        {
            FeedbackResultsJob.Schedule(jobs, session.Id, requestedAt + ResultsAfter);
            await feedback.MarkReportPlantedAsync(session.Id, cancellationToken);
        }

        await reports.SendAsync(
            topic,
            texts => texts.DeliveryReport(texts.FeedbackReportTitle(session), stats.Sent, stats.Blocked, stats.Failed, stats.Unknown),
            cancellationToken);
    }

    private async Task<Session?> FindAsync(TopicKey topic, CancellationToken cancellationToken) =>
        topic.Is(TopicKind, 1) ? await sessions.FindAsync(topic[0], cancellationToken) : null;
}
