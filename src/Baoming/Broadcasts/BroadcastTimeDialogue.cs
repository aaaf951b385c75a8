using System.Text.Json;
using Baoming.Audit;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Replies;

namespace Baoming.Broadcasts;

/// <summary>The time of a scheduled broadcast, as the organizer's next message (Beijing time; the past is refused).</summary>
public sealed class BroadcastTimeDialogue(
    BroadcastRepository broadcasts,
    DialogueStore dialogues,
    AuditLog audit,
    IOptions<CommunityOptions> community,
    TimeProvider time,
    FollowUps.FollowUps followUps) : IDialogueHandler
{
    public string Kind => BroadcastDialogues.Time;

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string text, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        if (BroadcastDialogues.Read<BroadcastDialogues.TimeState>(state) is not { } input
            || await broadcasts.FindAsync(input.BroadcastId, cancellationToken) is not { State: BroadcastState.Draft } broadcast)
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
            return context.Reply(Reply.Plain(texts.BroadcastNoLongerDraft()));
        }

        var now = time.GetUtcNow();
        var when = OrganizerInput.ParseTime(text, community.Value.Zone, now);
        if (!when.IsOk)
        {
            return context.Reply(texts.BroadcastBadTime(texts.InputProblem(when.Error!.Value, when.Detail)));
        }

        await dialogues.CloseAsync(context.MemberId, cancellationToken);
        if (!await broadcasts.TransitionAsync(broadcast.Id, [BroadcastState.Draft], BroadcastState.Scheduled, when.Value, cancellationToken))
        {
            return context.Reply(Reply.Plain(texts.BroadcastNoLongerDraft()));
        }

        var count = await broadcasts.CountAudienceAsync(broadcast.Kind, broadcast.SessionId, now, cancellationToken);
        await audit.WriteAsync(context.MemberId, "broadcast.schedule", new { broadcast_id = broadcast.Id, scheduled_at = when.Value, recipients = count }, cancellationToken);
        return new Response([BroadcastStart.StatusAndJob(broadcasts, followUps, broadcast.Id, context.ChatId, texts.BroadcastScheduled(broadcast.Id, when.Value, count))]);
    }
}
