using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Chat;

/// <summary>
/// The conversation engine: it asks the pure core what a message means, checks the sender's role, and
/// hands the message to whoever owns it: an open dialogue, an organizer command, a feature's button or
/// message kind (<see cref="IIntentHandler"/>), or the readers' conversation (<see cref="IReaderConversation"/>). Telegram and the terminal shell both call it.
/// </summary>
public sealed class Conversation(
    RoleService roles,
    IReaderConversation reader,
    IEnumerable<IChatCommand> commands,
    IEnumerable<IButtonHandler> buttons,
    IEnumerable<IDialogueHandler> dialogues,
    IntentRouter router,
    DialogueStore dialogueStore,
    BotIdentity bot,
    IOptions<CommunityOptions> community)
{
    private readonly Dictionary<string, IChatCommand> commands = commands.ToDictionary(c => c.Name, StringComparer.Ordinal);
    private readonly Dictionary<string, IButtonHandler> buttons = buttons.ToDictionary(b => b.Prefix, StringComparer.Ordinal);
    private readonly Dictionary<string, IDialogueHandler> dialogues = dialogues.ToDictionary(d => d.Kind, StringComparer.Ordinal);

    private readonly TimeZoneInfo zone = community.Value.Zone;

    public Task<Response> HandleAsync(Incoming incoming, CancellationToken cancellationToken)
    {
        var texts = new Texts(incoming.From.Language, zone);
        if (incoming is Incoming.Text { Content: var content } && MessageParser.CommandAddressee(content) is { } addressee
            && !string.Equals(addressee, bot.Username, StringComparison.OrdinalIgnoreCase))
        {
            // "/signup@OtherBot": another bot's command, in a group where several bots listen.
            return Task.FromResult(Response.None);
        }

        if (!incoming.IsPrivate)
        {
            return reader.HandleGroupAsync(incoming, texts, cancellationToken);
        }

        return incoming switch
        {
            Incoming.Text text => HandleTextOrDialogueAsync(incoming, text.Content, texts, cancellationToken),
            Incoming.ButtonPress press => HandleButtonAsync(incoming, press.Data, texts, cancellationToken),
            _ => HandleOtherAsync(incoming, texts, cancellationToken),
        };
    }

    /// <summary>A document, sticker or photo: an open dialogue may want it (an attendance list); else the text-only hint.</summary>
    private async Task<Response> HandleOtherAsync(Incoming incoming, Texts texts, CancellationToken cancellationToken)
    {
        if (dialogues.Count > 0
            && await dialogueStore.FindAsync(incoming.From.UserId, cancellationToken) is { } open
            && dialogues.TryGetValue(open.Kind, out var handler))
        {
            var role = await roles.GetRoleAsync(incoming.From.UserId, cancellationToken);
            if (role >= handler.Requires && await handler.HandleOtherAsync(new ChatContext(incoming, texts, role), open.State, cancellationToken) is { } answer)
            {
                return answer;
            }
        }

        return Response.To(incoming.ChatId, texts.TextOnly());
    }

    /// <summary>
    /// A member with an open dialogue (e.g. writing a broadcast) is answering it: the text goes to the
    /// dialogue's handler, not to the parser. /cancel drops the dialogue; another command drops it and runs.
    /// </summary>
    private async Task<Response> HandleTextOrDialogueAsync(Incoming incoming, string content, Texts texts, CancellationToken cancellationToken)
    {
        if (dialogues.Count > 0 && await dialogueStore.FindAsync(incoming.From.UserId, cancellationToken) is { } open)
        {
            var role = await roles.GetRoleAsync(incoming.From.UserId, cancellationToken);
            var isCommand = content.TrimStart().StartsWith('/');
            if (!dialogues.TryGetValue(open.Kind, out var handler) || role < handler.Requires || isCommand)
            {
                await dialogueStore.CloseAsync(incoming.From.UserId, cancellationToken);
                if (isCommand && MessageParser.Parse(content) is Intent.Cancel)
                {
                    return Response.To(incoming.ChatId, texts.DialogueAbandoned());
                }
            }
            else
            {
                return await handler.HandleAsync(new ChatContext(incoming, texts, role), content, open.State, cancellationToken);
            }
        }

        return await HandleTextAsync(incoming, MessageParser.Parse(content), texts, cancellationToken);
    }

    private async Task<Response> HandleTextAsync(Incoming incoming, Intent intent, Texts texts, CancellationToken cancellationToken)
    {
        if (intent is Intent.Command { Name: var name, Arguments: var arguments } && commands.TryGetValue(name, out var command))
        {
            var role = await roles.GetRoleAsync(incoming.From.UserId, cancellationToken);
            return role >= command.Requires
                ? await command.HandleAsync(new ChatContext(incoming, texts, role), arguments, cancellationToken)
                : Response.To(incoming.ChatId, texts.NotAllowed());
        }

        return await router.RouteAsync(incoming, intent, texts, role: null, cancellationToken);
    }

    private async Task<Response> HandleButtonAsync(Incoming incoming, string? data, Texts texts, CancellationToken cancellationToken)
    {
        Response? response;
        if (data?.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && buttons.TryGetValue(data[..colon], out var handler))
        {
            // The role is checked on every press: a forwarded or replayed organizer button does nothing for anyone else.
            var role = await roles.GetRoleAsync(incoming.From.UserId, cancellationToken);
            response = role >= handler.Requires
                ? await handler.HandleAsync(new ChatContext(incoming, texts, role), data[(colon + 1)..], cancellationToken)
                : new Response([], texts.NotAllowed().Text);
        }
        else
        {
            response = await reader.HandleButtonAsync(incoming, data, texts, cancellationToken);
        }

        // Forged, stale or not-yet-supported data: say so on the button, store nothing.
        return response ?? new Response([], texts.StaleButton());
    }
}
