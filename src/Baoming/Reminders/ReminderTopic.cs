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
    TimeProvider time) : ITopic
{
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

    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        // The starting-now slot goes to confirmed members only: a waitlisted one has no seat to join.
        const string RecipientsSql = """
            select r.member_id, case when r.status = 'confirmed' then 0 else 1 end::smallint as variant
              from registrations r
             where r.session_id = @sessionId and r.registered_at <= @dueAt
               and (r.status = 'confirmed' or (r.status = 'waitlisted' and not @isStartingNow))
            """;
        var slot = await FindSlotAsync(topic, cancellationToken);
        if (slot is null || slot.State == "cancelled" || slot.Session.IsCancelled || slot.DueAt > time.GetUtcNow() + Tolerance)
        {
            return false;
        }

        await ledger.AddRecipientsAsync(topic, RecipientsSql, new { sessionId = slot.Session.Id, dueAt = slot.DueAt.UtcDateTime, isStartingNow = ReminderRules.IsStartingNow(slot.Offset) }, cancellationToken);
        return true;
    }

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
