using Baoming.Core;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Baoming.Telegram;

/// <summary>Translates Telegram's updates into the engine's own <see cref="Incoming"/> terms.</summary>
public static class UpdateMapper
{
    /// <summary>
    /// The engine's view of an update, or null for updates it does not act on: edits (the original
    /// was already handled), channel posts and messages with no sender, bots.
    /// </summary>
    public static Incoming? ToIncoming(Update update)
    {
        switch (update)
        {
            case { Message: { From: { IsBot: false } from } message }:
                var sender = ToSender(from);
                var isPrivate = message.Chat.Type == ChatType.Private;
                if (message.Chat.Type == ChatType.Channel)
                {
                    return null;
                }

                return message switch
                {
                    { Text: { } text } => new Incoming.Text(text) { From = sender, ChatId = message.Chat.Id, IsPrivate = isPrivate },
                    { Document: { } document } => new Incoming.Document(document.FileId, document.FileName, document.FileSize) { From = sender, ChatId = message.Chat.Id, IsPrivate = isPrivate },
                    _ => new Incoming.Other { From = sender, ChatId = message.Chat.Id, IsPrivate = isPrivate },
                };

            case { CallbackQuery: { From: { IsBot: false } from } query }:
                return new Incoming.ButtonPress(query.Data)
                {
                    From = ToSender(from),
                    ChatId = query.Message?.Chat.Id ?? from.Id,
                    IsPrivate = query.Message?.Chat.Type is null or ChatType.Private,
                };

            default:
                return null;
        }
    }

    /// <summary>
    /// The engine's view of an update the library could not read (a shape from a newer Bot API):
    /// a message in a private chat gets the usual short hint; anything else is left alone.
    /// </summary>
    public static Incoming? FallbackFor(string json) =>
        ReceivedUpdate.Read(json) is { Kind: "message", ChatType: "private", Sender: { } sender } update
            ? new Incoming.Other { From = new Sender(sender.Id, sender.DisplayName, sender.Username, sender.LanguageCode), ChatId = update.ChatId, IsPrivate = true }
            : null;

    private static Sender ToSender(User user) => new(user.Id, DisplayName(user), user.Username, user.LanguageCode);

    private static string DisplayName(User user) =>
        string.IsNullOrWhiteSpace(user.LastName) ? user.FirstName : $"{user.FirstName} {user.LastName}";
}
