using System.Text.Json;
using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Replies;
using Baoming.Sessions;

namespace Baoming.Broadcasts;

/// <summary>
/// The broadcast's text, as the organizer's next message: checked (empty, over 4096 characters,
/// broken HTML) before anything is stored, then shown back exactly as recipients will see it, and kept
/// as a draft once Telegram has shown it.
/// </summary>
public sealed class BroadcastTextDialogue(
    BroadcastRepository broadcasts,
    SessionRepository sessions,
    DialogueStore dialogues,
    AuditLog audit,
    TimeProvider time) : IDialogueHandler
{
    public string Kind => BroadcastDialogues.Text;

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string text, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        var input = BroadcastDialogues.Read<BroadcastDialogues.TextState>(state);
        if (input is null)
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
            return context.Reply(texts.DialogueAbandoned());
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return context.Reply(texts.BroadcastEmptyText());
        }

        var check = TelegramHtml.Check(text, texts.Language);
        if (!check.IsValid)
        {
            return context.Reply(texts.BroadcastBadHtml(check.Problem!));
        }

        if (check.VisibleLength > TelegramHtml.MaxLength)
        {
            return context.Reply(texts.BroadcastTooLong(check.VisibleLength));
        }

        if (check.VisibleLength == 0 || TelegramHtml.ToPlain(text).Trim().Length == 0)
        {
            return context.Reply(texts.BroadcastEmptyText());
        }

        var audience = AudienceNames.Parse(input.Audience);
        var title = input.SessionId is { } sessionId ? (await sessions.FindAsync(sessionId, cancellationToken))?.Title : null;
        var name = texts.AudienceName(audience, title);
        var count = await broadcasts.CountAudienceAsync(audience, input.SessionId, time.GetUtcNow(), cancellationToken);
        await dialogues.CloseAsync(context.MemberId, cancellationToken);
        if (count == 0)
        {
            return context.Reply(texts.BroadcastEmptyAudience(name));
        }

        // Telegram's own parser is the judge of the HTML, not the check above: the draft is kept only once
        // Telegram has shown its preview, so a text it refuses can never be sent. The organizer is told at
        // once instead of getting the confirmation; SendButton refuses an id that never became a draft.
        var id = await broadcasts.ReserveIdAsync(cancellationToken);
        var preview = new Outgoing(context.ChatId, new Reply(text, []) { IsHtml = true })
        {
            AfterSent = async (messageId, ct) =>
            {
                if (messageId is null)
                {
                    await audit.WriteAsync(context.MemberId, "broadcast.preview_refused", new { broadcast_id = id, length = check.VisibleLength }, ct);
                    return;
                }

                await broadcasts.CreateAsync(id, context.MemberId, audience, input.SessionId, text, ct);
                await audit.WriteAsync(context.MemberId, "broadcast.create", new { broadcast_id = id, audience = input.Audience, session_id = input.SessionId, recipients = count, length = check.VisibleLength }, ct);
            },
            IfNotSent = texts.BroadcastPreviewRefused(id),
        };
        return new Response([preview, new Outgoing(context.ChatId, texts.BroadcastConfirm(id, name, count))]);
    }
}
