using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Replies;
using Baoming.Sessions;

namespace Baoming.AfterSession;

/// <summary>
/// <c>/editsession KEY followup_attended &lt;html&gt;</c> and <c>… followup_noshow &lt;html&gt;</c> (<c>-</c> removes it): a
/// session's follow-up for those who came or for confirmed no-shows. The value is the rest of the message,
/// line breaks included. It is checked as a broadcast is, shown back exactly as recipients will see it, and
/// kept only once Telegram has shown that preview, so a text Telegram refuses can never fail for everyone.
/// </summary>
public sealed class FollowUpEditField(bool isForAttended, AfterSessionStore store, AuditLog audit) : ISessionEditField
{
    public const string AttendedField = "followup_attended";
    public const string NoShowField = "followup_noshow";

    public string Name => isForAttended ? AttendedField : NoShowField;

    public async Task<Response> EditAsync(ChatContext context, SessionCounts found, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(found);
        var texts = context.Texts;
        var session = found.Session;
        var parsed = FollowUpText.Parse(AsTyped(context, session.Key, value), texts.Language);
        if (!parsed.IsOk)
        {
            return context.Reply(texts.EditSessionUsage(texts.FollowUpProblem(parsed.Error!.Value, parsed.Detail)));
        }

        var plan = await store.FindAsync(session.Id, cancellationToken);
        var confirmation = texts.FollowUpEdited(
            session,
            isForAttended,
            isCleared: parsed.Value is null,
            sendsAt: plan is { State: AfterSessionState.Scheduled } ? plan.DueAt : null,
            sentAt: plan is { State: AfterSessionState.Fired } ? plan.FiredAt : null,
            found.IsFromConfiguration);
        if (parsed.Value is not { } html)
        {
            await SaveAsync(context.MemberId, session, null, cancellationToken);
            return context.Reply(confirmation);
        }

        var preview = new Outgoing(context.ChatId, new Reply(html, []) { IsHtml = true })
        {
            AfterSent = async (messageId, ct) =>
            {
                if (messageId is not null)
                {
                    await SaveAsync(context.MemberId, session, html, ct);
                }
            },
            IfNotSent = texts.FollowUpPreviewRefused(),
        };
        return new Response([preview, new Outgoing(context.ChatId, confirmation)]);
    }

    /// <summary>
    /// The value as the organizer typed it: the command's parsed arguments are normalised for matching (line
    /// breaks and runs of spaces become one space, full-width punctuation ASCII), which a follow-up must not be.
    /// The message's own text after the key and the field keeps them; the parsed value is the fallback.
    /// </summary>
    private string AsTyped(ChatContext context, string key, string value) =>
        context.Incoming is Incoming.Text { Content: var content }
        && OrganizerInput.Split(content, 4) is [_, var typedKey, var typedField, var rest]
        && typedKey == key
        && string.Equals(typedField, Name, StringComparison.OrdinalIgnoreCase)
            ? rest
            : value;

    private async Task SaveAsync(long memberId, Session session, string? html, CancellationToken cancellationToken)
    {
        var before = await store.SetTextAsync(session.Id, isForAttended, html, cancellationToken);
        await audit.WriteAsync(memberId, "session.edit", new { session_id = session.Id, key = session.Key, field = Name, before, after = html }, cancellationToken);
    }
}
