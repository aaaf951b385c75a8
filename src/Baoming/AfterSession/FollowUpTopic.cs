using Baoming.Broadcasts;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Feedback;
using Baoming.Sessions;
using Dapper;
using Npgsql;

namespace Baoming.AfterSession;

/// <summary>
/// "followup:&lt;session&gt;:&lt;due unix&gt;": a set time after a session's end, its follow-up to those who came
/// (variant 0) and to confirmed no-shows (variant 1), each as the organizers wrote it; a variant without a
/// text goes to nobody. The run also asks attendees for feedback (<see cref="FeedbackTopic"/>), once, at the
/// same moment. The due time is part of the key, so a session moved after its run is followed up afresh.
/// </summary>
public sealed class FollowUpTopic(
    NpgsqlDataSource dataSource,
    AfterSessionStore store,
    DeliveryLedger ledger,
    SessionRepository sessions,
    OrganizerReports reports,
    FollowUps.FollowUps followUps,
    TimeProvider time) : ITopic
{
    public const string TopicKind = "followup";

    private const short Attended = 0;

    /// <summary>A job may fire a little early (scheduler poll); one firing much earlier belongs to a run that moved.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    /// <summary>Each registration's variant: those who came first, then confirmed no-shows, each only if the session has a text for them.</summary>
    private const string RecipientsSql = $"""
        select r.member_id, case when {SessionAttendance.AttendedSql} then 0 else 1 end::smallint as variant
          from registrations r
         where r.session_id = @sessionId
           and ((@toAttended and {SessionAttendance.AttendedSql}) or (@toNoShows and {SessionAttendance.NoShowSql}))
        """;

    public string Kind => TopicKind;

    public static TopicKey Key(long sessionId, DateTimeOffset dueAt) => TopicKey.Of(TopicKind, sessionId, dueAt.ToUnixTimeSeconds());

    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        if (await FindAsync(topic, cancellationToken) is not ({ } session, { } plan) || plan.DueAt > time.GetUtcNow() + Tolerance)
        {
            return false;
        }

        if (plan.State == AfterSessionState.Scheduled)
        {
            await FireAsync(session.Id, plan.DueAt!.Value, cancellationToken);
            // The feedback request recorded with the firing goes out now (or from the follow-up runner).
            await followUps.RunNowAsync(cancellationToken);
            plan = await store.FindAsync(session.Id, cancellationToken) ?? plan;
        }

        await ledger.AddRecipientsAsync(topic, RecipientsSql, new
        {
            sessionId = session.Id,
            toAttended = plan.SentAttendedHtml is not null,
            toNoShows = plan.SentNoShowHtml is not null,
        }, cancellationToken);
        return true;
    }

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var (_, plan) = await FindAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"{topic} no longer applies.");
        // The organizers wrote one text per audience, the same in every language.
        var html = (variant == Attended ? plan.SentAttendedHtml : plan.SentNoShowHtml)
            ?? throw new InvalidOperationException($"{topic} has no text for variant {variant}.");
        return new Reply(html, []) { IsHtml = true };
    }

    public async Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken)
    {
        const string VariantsSql = """
            select count(*) filter (where variant = 0)::int as Attended, count(*) filter (where variant = 1)::int as NoShows
              from deliveries where topic = @topic
            """;
        // A session with no follow-up text sent only its feedback request: nothing to report here.
        if (await FindAsync(topic, cancellationToken) is not ({ } session, { } plan) || (plan.SentAttendedHtml is null && plan.SentNoShowHtml is null))
        {
            return;
        }

        (int Attended, int NoShows) split;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            split = await connection.QuerySingleAsync<(int, int)>(new CommandDefinition(VariantsSql, new { topic = topic.ToString() }, cancellationToken: cancellationToken));
        }

        await reports.SendAsync(
            topic,
            texts => texts.FollowUpReport(session, split.Attended, split.NoShows, stats.Sent, stats.Blocked, stats.Failed, stats.Unknown),
            cancellationToken);
    }

    /// <summary>
    /// Freezes the texts and records the feedback request, in one statement: a second firing (a retried job,
    /// another instance) finds the run fired already and does neither again.
    /// </summary>
    private async Task FireAsync(long sessionId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        const string Sql = """
            with fired as (
                update after_session
                   set state = 'fired', fired_at = now(), sent_attended_html = attended_html, sent_no_show_html = no_show_html
                 where session_id = @sessionId and state = 'scheduled' and due_at = @dueAt
                returning session_id
            )
            insert into follow_ups (kind, argument) select @kind, @feedback from fired
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new
        {
            sessionId,
            dueAt = dueAt.UtcDateTime,
            kind = FanOutFollowUps.Kind,
            feedback = FeedbackTopic.Key(sessionId).ToString(),
        }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The session and its run, while the key still describes them: planned (or fired) for this due time, for
    /// the session's present end, and the session not cancelled. Otherwise the run moved or was dropped, and
    /// the job of its new time (if any) does the work.
    /// </summary>
    private async Task<(Session Session, AfterSessionPlan Plan)?> FindAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        if (!topic.Is(TopicKind, 2)
            || await store.FindAsync(topic[0], cancellationToken) is not { State: AfterSessionState.Scheduled or AfterSessionState.Fired, DueAt: { } dueAt, EndsAt: { } endsAt } plan
            || dueAt.ToUnixTimeSeconds() != topic[1]
            || await sessions.FindAsync(plan.SessionId, cancellationToken) is not { IsCancelled: false } session
            || session.StartsAt.AddMinutes(session.DurationMinutes) != endsAt)
        {
            return null;
        }

        return (session, plan);
    }
}
