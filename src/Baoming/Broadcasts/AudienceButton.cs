using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Understanding;
using Baoming.Sessions;

namespace Baoming.Broadcasts;

/// <summary>
/// "ba:u", "ba:e", "ba:c:42", "ba:w:42" (and "ba:c"/"ba:w", which ask for the session): an audience
/// was chosen; unless it is empty, the organizer's next message is the broadcast's text.
/// </summary>
public sealed class AudienceButton(BroadcastRepository broadcasts, SessionRepository sessions, DialogueStore dialogues, TimeProvider time) : IButtonHandler
{
    private const int MaxSessions = 10;

    public string Prefix => CallbackData.Prefixes.Audience;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Broadcasts.TryParseAudience(payload, out var audience, out var sessionId))
        {
            return null;
        }

        var now = time.GetUtcNow();
        string? title = null;
        if (audience is Audience.Confirmed or Audience.Waitlisted)
        {
            if (sessionId is null)
            {
                var choices = (await sessions.ListWithSourceAsync(cancellationToken))
                    .Where(s => s.Session.IsOpenAt(now)).OrderBy(s => s.Session.StartsAt).Take(MaxSessions).ToList();
                return context.Reply(context.Texts.BroadcastChooseSession(audience, choices));
            }

            if (await sessions.FindAsync(sessionId.Value, cancellationToken) is not { } session)
            {
                return null;
            }

            title = session.Title;
        }

        var name = context.Texts.AudienceName(audience, title);
        var count = await broadcasts.CountAudienceAsync(audience, sessionId, now, cancellationToken);
        if (count == 0)
        {
            return context.Reply(context.Texts.BroadcastEmptyAudience(name));
        }

        await dialogues.OpenAsync(context.MemberId, BroadcastDialogues.Text,
            BroadcastDialogues.Write(new BroadcastDialogues.TextState(AudienceNames.Of(audience), sessionId)), cancellationToken);
        return context.Reply(context.Texts.BroadcastAskText(name, count));
    }
}
