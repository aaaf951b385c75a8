using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Understanding;
using Baoming.Sessions;

namespace Baoming.Broadcasts;

/// <summary>
/// "ba:u", "ba:e", "ba:c:42", "ba:w:42", "ba:a:42", "ba:n:42" (and "ba:c"/"ba:w"/"ba:a"/"ba:n", which ask for
/// the session): an audience was chosen; unless it is empty, the organizer's next message is the broadcast's text.
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
        if (audience.IsPerSession())
        {
            if (sessionId is null)
            {
                return context.Reply(context.Texts.BroadcastChooseSession(audience, await ChoicesAsync(audience, now, cancellationToken)));
            }

            // Who came is known only once a session has started: a forged button for a later one is stale.
            if (await sessions.FindAsync(sessionId.Value, cancellationToken) is not { } session
                || (audience.IsByAttendance() && (session.IsCancelled || session.StartsAt > now)))
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

    /// <summary>
    /// Upcoming sessions, soonest first, for their confirmed members or waitlist; sessions that have started,
    /// latest first, for those who came or did not.
    /// </summary>
    private async Task<IReadOnlyList<(Session Session, int Count)>> ChoicesAsync(Audience audience, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var all = await sessions.ListWithSourceAsync(cancellationToken);
        if (!audience.IsByAttendance())
        {
            return [.. all.Where(s => s.Session.IsOpenAt(now)).OrderBy(s => s.Session.StartsAt).Take(MaxSessions)
                .Select(s => (s.Session, audience == Audience.Waitlisted ? s.Waitlisted : s.Confirmed))];
        }

        var started = all.Where(s => !s.Session.IsCancelled && s.Session.StartsAt <= now).OrderByDescending(s => s.Session.StartsAt).Take(MaxSessions);
        var choices = new List<(Session, int)>();
        foreach (var s in started)
        {
            choices.Add((s.Session, await broadcasts.CountAudienceAsync(audience, s.Session.Id, now, cancellationToken)));
        }

        return choices;
    }
}
