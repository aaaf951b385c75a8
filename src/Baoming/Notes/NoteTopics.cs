using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Delivery;

namespace Baoming.Notes;

/// <summary>
/// "note:&lt;id&gt;": a reader's note to every organizer and admin (configured in <c>Community:Organizers</c> /
/// <c>Admins</c>, or granted in chat), each once, with its 回复 button. Only those who have written to the
/// bot are members, and only they can be sent to at all.
/// </summary>
public sealed class NoteTopic(DeliveryLedger ledger, NoteRepository notes, IOptionsMonitor<CommunityOptions> community) : ITopic
{
    public const string TopicKind = "note";

    private const string StaffSql = $"select x.id as member_id, 0::smallint as variant from ({CommunityOptions.StaffSql}) x";

    public string Kind => TopicKind;

    public static TopicKey Key(long noteId) => TopicKey.Of(TopicKind, noteId);

    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        if (!topic.Is(TopicKind, 1) || await notes.FindAsync(topic[0], cancellationToken) is null)
        {
            return false;
        }

        var options = community.CurrentValue;
        await ledger.AddRecipientsAsync(topic, StaffSql, new { staff = options.ConfiguredStaff() }, cancellationToken);
        return true;
    }

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var note = await notes.FindAsync(topic[0], cancellationToken) ?? throw new InvalidOperationException($"{topic} no longer applies.");
        return new Texts(language, community.CurrentValue.Zone).NoteForOrganizers(note.Card);
    }

    public Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>"noteanswer:&lt;id&gt;": the organizers' answer to the reader who wrote note id, once.</summary>
public sealed class NoteAnswerTopic(DeliveryLedger ledger, NoteRepository notes, IOptionsMonitor<CommunityOptions> community) : ITopic
{
    public const string TopicKind = "noteanswer";

    private const string AuthorSql = "select member_id, 0::smallint as variant from notes where id = @id and answered_at is not null";

    public string Kind => TopicKind;

    public static TopicKey Key(long noteId) => TopicKey.Of(TopicKind, noteId);

    public async Task<bool> PrepareAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        if (!topic.Is(TopicKind, 1))
        {
            return false;
        }

        // Planted only by the answer itself, so the note is answered; a repeat adds nobody.
        await ledger.AddRecipientsAsync(topic, AuthorSql, new { id = topic[0] }, cancellationToken);
        return true;
    }

    public async Task<Reply> RenderAsync(TopicKey topic, short variant, Language language, CancellationToken cancellationToken)
    {
        var note = await notes.FindAsync(topic[0], cancellationToken);
        return note is { Answer: { } answer }
            ? new Texts(language, community.CurrentValue.Zone).NoteAnswer(note.Card.Text, answer)
            : throw new InvalidOperationException($"{topic} no longer applies.");
    }

    public Task CompletedAsync(TopicKey topic, DeliveryStats stats, CancellationToken cancellationToken) => Task.CompletedTask;
}
