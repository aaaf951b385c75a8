using System.Runtime.CompilerServices;
using Baoming.Attendance;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Signup;
using Baoming.Delivery;
using Baoming.Sessions;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Reminders;

/// <summary>
/// "reminder:&lt;slot&gt;:&lt;due unix&gt;": everyone signed up for the slot's session by its due time,
/// confirmed members with the join link (variant 0), waitlisted ones without (variant 1). The slot at
/// offset 0 is the "starting now" message, with the link and 我已入会, to confirmed members only. With
/// <c>Http:PublicUrl</c> set, each confirmed member's link is their own (<see cref="JoinLinks"/>): the
/// message is rendered once with a placeholder and the link put in per recipient.
/// </summary>
public sealed class ReminderTopic(
    NpgsqlDataSource dataSource,
    DeliveryLedger ledger,
    SessionRepository sessions,
    OrganizerReports reports,
    JoinLinks links,
    IOptions<CommunityOptions> community,
    IOptionsMonitor<RemindersOptions> options,
    TimeProvider time) : IPreparedTopic
{
    /// <summary>
    /// Everyone signed up for the slot's session by its due time; the starting-now slot goes to confirmed
    /// members only: a waitlisted one has no seat to join.
    /// </summary>
    private const string RecipientsSql = """
        select r.member_id, case when r.status = 'confirmed' then 0 else 1 end::smallint as variant
          from registrations r
         where r.session_id = @sessionId and r.registered_at <= @dueAt
           and (r.status = 'confirmed' or (r.status = 'waitlisted' and not @isStartingNow))
        """;

    /// <summary>
    /// Written ahead: everyone signed up now, waitlisted members too (in their wording, variant 1) even for the
    /// starting-now slot, so that one promoted before the due time is found among the rows at the top-up.
    /// </summary>
    private const string PreparedSql = """
        select r.member_id, case when r.status = 'confirmed' then 0 else 1 end::smallint as variant
          from registrations r
         where r.session_id = @sessionId and r.status in ('confirmed', 'waitlisted')
        """;

    /// <summary>
    /// The top-up at the due time of a prepared slot, in one statement, reading only what can have changed
    /// since the preparation rather than comparing the whole list (which took 1.5 s for 100,000 on a busy
    /// machine). Only rows never claimed nor started are touched.
    /// <list type="bullet">
    /// <item>dropped: members whose registration was cancelled since (<c>cancelled_at</c> after <c>@since</c>);</item>
    /// <item>waiting: rows in the waitlisted wording; their member confirmed now gets the confirmed wording (a
    /// promotion keeps no time); one still waitlisted is no recipient of the starting-now slot (unseated);</item>
    /// <item>added: recipients who signed up (or signed up again) since (<c>registered_at</c> after <c>@since</c>),
    /// their wording brought up to date if they are already there.</item>
    /// </list>
    /// </summary>
    private const string TopUpSql = """
        with dropped as (
            delete from deliveries d
             using registrations r
             where d.topic = @topic and d.state = 'pending' and d.claimed_by is null
               and r.session_id = @sessionId and r.member_id = d.member_id
               and r.status = 'cancelled' and r.cancelled_at > @since
        ),
        waiting as (
            select d.id, r.status
              from deliveries d join registrations r on r.session_id = @sessionId and r.member_id = d.member_id
             where d.topic = @topic and d.variant = 1 and d.state = 'pending' and d.claimed_by is null
        ),
        promoted as (
            update deliveries d set variant = 0, updated_at = now()
              from waiting w where d.id = w.id and w.status = 'confirmed'
        ),
        unseated as (
            delete from deliveries d using waiting w
             where d.id = w.id and w.status = 'waitlisted' and @isStartingNow
        )
        insert into deliveries (topic, member_id, variant, state, not_before)
        select @topic, r.member_id, case when r.status = 'confirmed' then 0 else 1 end::smallint,
               case when m.unreachable_at is null then 'pending' else 'blocked' end, @dueAt
          from registrations r join members m on m.id = r.member_id
         where r.session_id = @sessionId and r.registered_at > @since and r.registered_at <= @dueAt
           and (r.status = 'confirmed' or (r.status = 'waitlisted' and not @isStartingNow))
        on conflict (topic, member_id) do update set variant = excluded.variant, updated_at = now()
         where deliveries.state = 'pending' and deliveries.claimed_by is null and deliveries.variant <> excluded.variant
        """;

    /// <summary>
    /// How far back before the due time the top-up looks for changes: the longest <see cref="RemindersOptions.PrepareAhead"/>
    /// (10 min), <see cref="AheadSlack"/>, and a minute for a sign-up whose transaction began before the
    /// preparation's snapshot and committed after it (its <c>registered_at</c> is its start). The preparation is
    /// never earlier, so nothing it did not see is older than this.
    /// </summary>
    private static readonly TimeSpan LookBack = TimeSpan.FromMinutes(12);

    /// <summary>
    /// A job that starts more than this before its slot's due time (beyond <see cref="RemindersOptions.PrepareAhead"/>)
    /// is not one the scheduler planted for it (run by hand, or a stale one): it does nothing.
    /// </summary>
    private static readonly TimeSpan AheadSlack = TimeSpan.FromMinutes(1);

    /// <summary>Stands for the member's personal link in a rendering; no session title or link can contain it.</summary>
    private const string LinkPlaceholder = "\u0001join-link\u0001";

    /// <summary>A rendering with a personal link: its text around the placeholder, by the rendered reply (cached by the fan-out).</summary>
    private readonly ConditionalWeakTable<Reply, PersonalTemplate> templates = [];

    private const short Confirmed = 0;
    private const short Waitlisted = 1;

    /// <summary>A job may fire a little early (scheduler poll); one firing much earlier belongs to a slot that moved.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    public const string TopicKind = "reminder";

    public string Kind => TopicKind;

    /// <summary>The topic of a slot's fan-out; the due time is part of it, so a moved session is reminded afresh.</summary>
    public static TopicKey Key(long slotId, DateTimeOffset dueAt) => TopicKey.Of(TopicKind, slotId, dueAt.ToUnixTimeSeconds());

    /// <summary>
    /// Shortly before the due time (the job is planted <see cref="RemindersOptions.PrepareAhead"/> early): the
    /// registrants known now, not sendable before the due time.
    /// </summary>
    public async Task<DateTimeOffset?> PrepareAheadAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        var slot = await FindSlotAsync(topic, cancellationToken);
        var now = time.GetUtcNow();
        if (slot is null || slot.State == "cancelled" || slot.Session.IsCancelled)
        {
            return null;
        }

        if (slot.DueAt > now + options.CurrentValue.PrepareAhead + AheadSlack)
        {
            return null;
        }

        if (slot.DueAt > now)
        {
            await ledger.PrepareRecipientsAsync(topic, PreparedSql, Parameters(slot), slot.DueAt, cancellationToken);
        }

        return slot.DueAt;
    }

    /// <summary>
    /// At the due time: the prepared rows topped up with who signed up since and without who cancelled, so
    /// exactly the registrants at the due time are reminded (<see cref="TopUpSql"/>). Without a preparation (a job
    /// planted by an earlier version at the due time, or run late) every recipient is added, as before.
    /// </summary>
    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        var slot = await FindSlotAsync(topic, cancellationToken);
        if (slot is null || slot.State == "cancelled" || slot.Session.IsCancelled)
        {
            // Moved or cancelled after the preparation: its rows will never be sent.
            await ledger.DropPreparedAsync(topic, cancellationToken);
            return false;
        }

        if (slot.DueAt > time.GetUtcNow() + Tolerance)
        {
            return false;
        }

        if (!await ledger.HasRowsAsync(topic, cancellationToken))
        {
            await ledger.AddRecipientsAsync(topic, RecipientsSql, Parameters(slot), cancellationToken);
            return true;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(TopUpSql, new
        {
            topic = topic.ToString(),
            sessionId = slot.Session.Id,
            dueAt = slot.DueAt.UtcDateTime,
            since = (slot.DueAt - LookBack).UtcDateTime,
            isStartingNow = ReminderRules.IsStartingNow(slot.Offset),
        }, cancellationToken: cancellationToken, commandTimeout: 600));
        return true;
    }

    private static object Parameters(Slot slot) =>
        new { sessionId = slot.Session.Id, dueAt = slot.DueAt.UtcDateTime, isStartingNow = ReminderRules.IsStartingNow(slot.Offset) };

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var slot = await FindSlotAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"Slot of {topic} vanished.");
        var texts = new Texts(language, community.Value.Zone);
        var isPersonal = variant == Confirmed && links.IsEnabled && !string.IsNullOrEmpty(slot.Session.JoinUrl);
        if (isPersonal)
        {
            // ForRecipient makes the links synchronously: the key must be in hand before the sends.
            await links.LoadAsync(cancellationToken);
        }

        var joinUrl = isPersonal ? LinkPlaceholder : null;
        var reply = ReminderRules.IsStartingNow(slot.Offset)
            ? texts.StartingNow(slot.Session, joinUrl)
            : texts.Reminder(slot.Session, slot.Offset, isConfirmed: variant == Confirmed, joinUrl);
        if (isPersonal)
        {
            templates.AddOrUpdate(reply, new PersonalTemplate(slot.Session.Id, reply.Text.Split(LinkPlaceholder)));
        }

        return reply;
    }

    /// <summary>The member's own link in place of the placeholder; other renderings (waitlisted, no public URL) as they are.</summary>
    public Reply ForRecipient(TopicKey topic, Reply rendered, long memberId) =>
        templates.TryGetValue(rendered, out var template)
            ? rendered with { Text = string.Join(links.PersonalUrl(template.SessionId, memberId), template.Parts) }
            : rendered;

    public async Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken)
    {
        const string DoneSql = "update reminder_slots set state = 'done' where id = @id and state = 'scheduled'";
        var slot = await FindSlotAsync(topic, cancellationToken);
        if (slot is null)
        {
            return;
        }

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(DoneSql, new { id = slot.Id }, cancellationToken: cancellationToken));
        }

        await reports.SendAsync(topic, texts => texts.DeliveryReport(texts.ReminderReportTitle(slot.Session, slot.Offset), stats.Sent, stats.Blocked, stats.Failed, stats.Unknown), cancellationToken);
    }

    private async Task<Slot?> FindSlotAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        const string Sql = """select session_id as SessionId, "offset", due_at as DueAt, state from reminder_slots where id = @id""";
        if (!topic.Is(TopicKind, 2))
        {
            return null;
        }

        var (id, dueUnix) = (topic[0], topic[1]);

        SlotRow? row;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            row = await connection.QuerySingleOrDefaultAsync<SlotRow>(new CommandDefinition(Sql, new { id }, cancellationToken: cancellationToken));
        }

        // The slot moved since this job was planted: the job for the new time does the work.
        var dueAt = row is null ? default : PostgresTime.Utc(row.DueAt);
        if (row is null || dueAt.ToUnixTimeSeconds() != dueUnix)
        {
            return null;
        }

        var session = await sessions.FindAsync(row.SessionId, cancellationToken);
        return session is null ? null : new Slot(id, session, row.Offset, dueAt, row.State);
    }

    private sealed record PersonalTemplate(long SessionId, string[] Parts);

    private sealed record SlotRow(long SessionId, TimeSpan Offset, DateTime DueAt, string State);

    private sealed record Slot(long Id, Session Session, TimeSpan Offset, DateTimeOffset DueAt, string State);
}
