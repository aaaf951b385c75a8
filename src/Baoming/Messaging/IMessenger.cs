using Baoming.Core;
using Baoming.Core.Replies;

namespace Baoming.Messaging;

/// <summary>How a send ended. <see cref="Unknown"/>: the request may have reached Telegram; never resend blindly.</summary>
public enum SendStatus
{
    Sent,
    Blocked,
    Failed,
    Unknown,

    /// <summary>Queued to go out later (a reply to a chat Telegram asked to slow down); only from <see cref="IMessenger.ReplyAsync"/>.</summary>
    Deferred,
}

public readonly record struct SendOutcome(SendStatus Status, long? MessageId = null)
{
    public static SendOutcome Sent(long messageId) => new(SendStatus.Sent, messageId);
}

/// <summary>
/// The channel a reply goes out through: Telegram for the bot, the terminal for the shell.
/// The engine never sees which.
/// </summary>
public interface IMessenger
{
    Task<SendOutcome> SendAsync(Outgoing message, CancellationToken cancellationToken);

    /// <summary>
    /// A reply to someone who just wrote. Unlike <see cref="SendAsync"/> it never waits for the channel
    /// to allow it (a chat Telegram asks to slow down): it is queued and sent later, in order, and the
    /// outcome says <see cref="SendStatus.Deferred"/>, so the handler goes on with the next chat.
    /// </summary>
    Task<SendOutcome> ReplyAsync(Outgoing message, CancellationToken cancellationToken) => SendAsync(message, cancellationToken);

    /// <summary>Sends a file (an export) as a document named <paramref name="fileName"/>.</summary>
    Task<SendOutcome> SendDocumentAsync(long chatId, string fileName, Stream content, string? caption, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the text and buttons of a message sent earlier (a broadcast's status message).
    /// "Not modified" and a message that is gone are not errors: the next edit tries again.
    /// </summary>
    Task<bool> EditAsync(long chatId, long messageId, Reply reply, CancellationToken cancellationToken);

    /// <summary>Ends a button press's spinner, with a short notice (Telegram: answerCallbackQuery).</summary>
    Task AnswerButtonAsync(string buttonPressId, string? notice, CancellationToken cancellationToken);
}

public static class MessengerExtensions
{
    /// <summary>Sends a response's messages in order; a button press is answered first so its spinner stops.</summary>
    public static async Task DeliverAsync(this IMessenger messenger, Response response, string? buttonPressId, CancellationToken cancellationToken)
    {
        if (buttonPressId is not null)
        {
            await messenger.AnswerButtonAsync(buttonPressId, response.ButtonNotice, cancellationToken);
        }

        foreach (var message in response.Messages)
        {
            await messenger.ReplyAsync(message, cancellationToken);
        }

        foreach (var document in response.Documents)
        {
            using var content = new MemoryStream(document.Content, writable: false);
            await messenger.SendDocumentAsync(document.ChatId, document.FileName, content, document.Caption, cancellationToken);
        }
    }
}
