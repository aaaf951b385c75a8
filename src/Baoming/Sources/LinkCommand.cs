using Baoming.Audit;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Understanding;
using Baoming.Sessions;

namespace Baoming.Sources;

/// <summary>
/// <c>/link KEY [SOURCE]</c> (organizers): the deep link that opens the session's card and records the
/// source with each sign-up through it, as text to copy and as a QR code PNG to print or post.
/// </summary>
public sealed class LinkCommand(SessionRepository sessions, BotIdentity bot, AuditLog audit, TimeProvider time) : IChatCommand
{
    public string Name => "link";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var words = (arguments ?? "").Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return context.Reply(context.Texts.LinkUsage(await sessions.GetOpenAsync(cancellationToken)));
        }

        var key = words[0];
        var source = words.Length > 1 ? words[1] : null;
        if (await sessions.FindByKeyAsync(key, cancellationToken) is not { Session: var session })
        {
            return context.Reply(context.Texts.LinkUnknownKey(key, await sessions.GetOpenAsync(cancellationToken)));
        }

        switch (DeepLinks.Payload(session.Key, source))
        {
            case LinkPayload.KeyUnfit:
                return context.Reply(context.Texts.LinkKeyUnfit(session.Key));
            case LinkPayload.BadSource bad:
                return context.Reply(context.Texts.LinkBadSource(session.Key, bad.MaxLength));
            case LinkPayload.Made made:
                if (source is not null && await TakenByAsync(session.Key, source, cancellationToken) is { } other)
                {
                    return context.Reply(context.Texts.LinkSourceTaken(session.Key, source, other));
                }

                return await LinkAsync(context, session, source, made.Payload, cancellationToken);
            default:
                throw new InvalidOperationException("Unknown link payload outcome.");
        }
    }

    /// <summary>
    /// The key of an existing session the payload would be read as first (the readers' <c>/start</c> tries
    /// the longest key first), or null when the link opens this session. Any session counts, even a past or
    /// cancelled one: a printed link should not depend on which sessions are open when it is scanned.
    /// </summary>
    private async Task<string?> TakenByAsync(string key, string source, CancellationToken cancellationToken)
    {
        var first = DeepLinks.KeysReadFirst(key, source);
        if (first.Count == 0)
        {
            return null;
        }

        var existing = await sessions.IdsByKeyAsync(first, cancellationToken);
        return first.FirstOrDefault(existing.ContainsKey);
    }

    private async Task<Response> LinkAsync(ChatContext context, Session session, string? source, string payload, CancellationToken cancellationToken)
    {
        var link = bot.DeepLink(payload);
        var png = LinkQrCode.Png(link);
        await audit.WriteAsync(context.MemberId, "link.create", new { session_id = session.Id, session_key = session.Key, source }, cancellationToken);
        return context.Reply(context.Texts.LinkMade(session, link, source, time.GetUtcNow())) with
        {
            Documents = [new OutgoingDocument(context.ChatId, $"link-{payload}.png", new MemoryStream(png, writable: false), context.Texts.LinkCaption(session, link))],
        };
    }
}
