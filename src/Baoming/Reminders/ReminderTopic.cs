using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Sessions;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Reminders;

/// <summary>
/// "reminder:&lt;slot&gt;:&lt;due unix&gt;": everyone signed up for the slot's session by its due time,
/// confirmed members with the join link (variant 0), waitlisted ones without (variant 1).
/// </summary>
public sealed class ReminderTopic(
    NpgsqlDataSource dataSource,
    DeliveryLedger ledger,
    SessionRepository sessions,
    OrganizerReports reports,
    IOptions<CommunityOptions> community,
    TimeProvider time) : ITopic
{
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
        const string RecipientsSql = """
            select r.member_id, case when r.status = 'confirmed' then 0 else 1 end::smallint as variant
              from registrations r
             where r.session_id = @sessionId and r.status in ('confirmed', 'waitlisted') and r.registered_at <= @dueAt
            """;
        var slot = await FindSlotAsync(topic, cancellationToken);
        if (slot is null || slot.State == "cancelled" || slot.Session.IsCancelled || slot.DueAt > time.GetUtcNow() + Tolerance)
        {
            return false;
        }

        await ledger.AddRecipientsAsync(topic, RecipientsSql, new { sessionId = slot.Session.Id, dueAt = slot.DueAt.UtcDateTime }, cancellationToken);
        return true;
    }

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var slot = await FindSlotAsync(topic, cancellationToken) ?? throw new InvalidOperationException($"Slot of {topic} vanished.");
        return new Texts(language, community.Value.Zone).Reminder(slot.Session, slot.Offset, isConfirmed: variant == Confirmed);
    }

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

    private sealed record SlotRow(long SessionId, TimeSpan Offset, DateTime DueAt, string State);

    private sealed record Slot(long Id, Session Session, TimeSpan Offset, DateTimeOffset DueAt, string State);
}
