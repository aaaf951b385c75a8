using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Chat;

/// <summary>
/// Where an understood private text goes when no dialogue holds it: the first feature whose message kind
/// it is (<see cref="IIntentHandler"/>, its role checked), else the readers' conversation. The engine uses
/// it, and so does a dialogue that lets a clear request through (报名…, 我的报名, 留言…) instead of taking it as an answer.
/// </summary>
public sealed class IntentRouter(IEnumerable<IIntentHandler> intents, IReaderConversation reader, RoleService roles)
{
    private readonly IIntentHandler[] intents = [.. intents];

    /// <param name="role">The sender's role when already known; otherwise it is read only if a feature claims the intent.</param>
    public async Task<Response> RouteAsync(Incoming incoming, Intent intent, Texts texts, Role? role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(texts);
        if (Array.Find(intents, h => h.Claims(intent)) is { } handler)
        {
            var known = role ?? await roles.GetRoleAsync(incoming.From.UserId, cancellationToken);
            return known >= handler.Requires
                ? await handler.HandleAsync(new ChatContext(incoming, texts, known), intent, cancellationToken)
                : Response.To(incoming.ChatId, texts.NotAllowed());
        }

        return await reader.HandleAsync(incoming, intent, texts, cancellationToken);
    }

    /// <summary>The same from inside a dialogue, whose context already has the role.</summary>
    public Task<Response> RouteAsync(ChatContext context, Intent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RouteAsync(context.Incoming, intent, context.Texts, context.Role, cancellationToken);
    }
}
