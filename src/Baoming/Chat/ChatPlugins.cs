using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Chat;

/// <summary>Who is asking, in which chat, in which language, with which role (checked for this very message).</summary>
public sealed record ChatContext(Incoming Incoming, Texts Texts, Role Role)
{
    public long MemberId => Incoming.From.UserId;

    public long ChatId => Incoming.ChatId;

    public Response Reply(Reply reply) => Response.To(ChatId, reply);
}

/// <summary>
/// A slash command beyond the readers' own (e.g. <c>/export</c>, <c>/grant</c>): features add
/// themselves by registering one. The conversation checks <see cref="Requires"/> before every call.
/// </summary>
public interface IChatCommand
{
    /// <summary>Lower-case command name without the slash.</summary>
    string Name { get; }

    Role Requires { get; }

    Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken);
}

/// <summary>
/// Inline buttons of a feature, recognised by the <see cref="Prefix"/> of their callback data
/// ("<c>prefix:payload</c>"). The role is checked on every press, so a forwarded or replayed
/// button from an organizer's message does nothing for anyone else.
/// </summary>
public interface IButtonHandler
{
    string Prefix { get; }

    Role Requires { get; }

    /// <summary>Null when the payload is malformed or stale: the member is told the button has expired.</summary>
    Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken);
}

/// <summary>
/// A kind of message the parser recognises that a feature answers, not the readers' sign-up
/// conversation (e.g. a 留言 to the organizers). The conversation checks <see cref="Requires"/> first.
/// </summary>
public interface IIntentHandler
{
    Role Requires { get; }

    /// <summary>Whether this feature answers <paramref name="intent"/>; the first that does gets it.</summary>
    bool Claims(Intent intent);

    Task<Response> HandleAsync(ChatContext context, Intent intent, CancellationToken cancellationToken);
}

/// <summary>
/// The readers' own conversation (sign up, cancel, my sign-ups, help, the session buttons, 报名 in a
/// group): everything no organizer command, feature button or open dialogue claims. Signup provides it.
/// </summary>
public interface IReaderConversation
{
    /// <summary>A private text, already understood; organizer commands never reach it.</summary>
    Task<Response> HandleAsync(Incoming incoming, Intent intent, Texts texts, CancellationToken cancellationToken);

    /// <summary>A button no feature claims. Null when the data is forged or stale: the member is told the button has expired.</summary>
    Task<Response?> HandleButtonAsync(Incoming incoming, string? data, Texts texts, CancellationToken cancellationToken);

    /// <summary>A message in a group: at most a button into the private chat, nothing personal.</summary>
    Task<Response> HandleGroupAsync(Incoming incoming, Texts texts, CancellationToken cancellationToken);
}
