using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Understanding;

namespace Baoming.Broadcasts;

/// <summary>
/// "bs:7:now" sends, "bs:7:at" asks for a time, "bs:7:x" drops the draft. Only a draft can be sent, so a second
/// press does nothing; a draft that was never kept (Telegram refused its preview) cannot be sent at all.
/// </summary>
public sealed class SendButton(
    BroadcastRepository broadcasts,
    DialogueStore dialogues,
    AuditLog audit,
    TimeProvider time,
    FollowUps.FollowUps followUps) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.Send;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Broadcasts.TryParseSend(payload, out var id, out var how))
        {
            return null;
        }

        var texts = context.Texts;
        if (await broadcasts.FindAsync(id, cancellationToken) is not { } broadcast)
        {
            // A confirmation whose draft was never kept: Telegram refused its preview (BroadcastTextDialogue).
            return context.Reply(texts.BroadcastPreviewRefused(id));
        }

        if (broadcast.State != BroadcastState.Draft)
        {
            return new Response([], texts.BroadcastNoLongerDraft());
        }

        switch (how)
        {
            case CallbackData.Broadcasts.Discard:
                if (!(await broadcasts.CancelAsync(id, cancellationToken)).IsCancelled)
                {
                    return new Response([], texts.BroadcastNoLongerDraft());
                }

                await audit.WriteAsync(context.MemberId, "broadcast.discard", new { broadcast_id = id }, cancellationToken);
                return context.Reply(texts.BroadcastDiscarded());

            case CallbackData.Broadcasts.SendLater:
                await dialogues.OpenAsync(context.MemberId, BroadcastDialogues.Time, BroadcastDialogues.Write(new BroadcastDialogues.TimeState(id)), cancellationToken);
                return context.Reply(texts.BroadcastAskTime());

            default:
                if (!await broadcasts.TransitionAsync(id, [BroadcastState.Draft], BroadcastState.Sending, null, cancellationToken))
                {
                    return new Response([], texts.BroadcastNoLongerDraft());
                }

                var count = await broadcasts.CountAudienceAsync(broadcast.Kind, broadcast.SessionId, time.GetUtcNow(), cancellationToken);
                await audit.WriteAsync(context.MemberId, "broadcast.send", new { broadcast_id = id, recipients = count }, cancellationToken);
                return new Response([BroadcastStart.StatusAndJob(broadcasts, followUps, id, context.ChatId, texts.BroadcastSending(id, count))]);
        }
    }
}
