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

/// <summary>How a download of a file a member sent ended: <see cref="Done"/> with the bytes, or why not.</summary>
public enum DownloadStatus
{
    Done,

    /// <summary>Larger than the caller's limit (or the channel's own): nothing was kept.</summary>
    TooBig,
    Failed,

    /// <summary>The channel cannot receive files (the shell).</summary>
    NotSupported,
}

/// <summary>A downloaded file: <see cref="Content"/> is set only when <see cref="Status"/> is <see cref="DownloadStatus.Done"/>.</summary>
public sealed record Download(DownloadStatus Status, byte[]? Content = null);

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

    /// <summary>Sends a file (an export) as a document named <paramref name="fileName"/>; the caller closes <paramref name="content"/>.</summary>
    Task<SendOutcome> SendDocumentAsync(long chatId, string fileName, Stream content, string? caption, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the text and buttons of a message sent earlier (a broadcast's status message).
    /// "Not modified" and a message that is gone are not errors: the next edit tries again.
    /// </summary>
    Task<bool> EditAsync(long chatId, long messageId, Reply reply, CancellationToken cancellationToken);

    /// <summary>Ends a button press's spinner, with a short notice (Telegram: answerCallbackQuery).</summary>
    Task AnswerButtonAsync(string buttonPressId, string? notice, CancellationToken cancellationToken);

    /// <summary>
    /// The content of a file a member sent (<see cref="Core.Incoming.Document"/>'s file id), at most
    /// <paramref name="maxBytes"/> bytes: a larger one is <see cref="DownloadStatus.TooBig"/>, never read whole.
    /// </summary>
    Task<Download> DownloadAsync(string fileId, long maxBytes, CancellationToken cancellationToken);
}

/// <summary>How a channel sends what a handler returned.</summary>
public static class MessengerExtensions
{
    /// <summary>
    /// Sends a response: a button press is answered first so its spinner stops, then the messages in
    /// order, then the documents. Handlers return what they send and never hold the channel, so this is
    /// the only place a turn's answer goes out.
    /// </summary>
    public static async Task DeliverAsync(this IMessenger messenger, Response response, string? buttonPressId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messenger);
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            if (buttonPressId is not null)
            {
                await messenger.AnswerButtonAsync(buttonPressId, response.ButtonNotice, cancellationToken);
            }

            foreach (var message in response.Messages)
            {
                if (!await SendMessageAsync(messenger, message, cancellationToken))
                {
                    return;
                }
            }

            foreach (var document in response.Documents)
            {
                await SendDocumentAsync(messenger, document, cancellationToken);
            }
        }
        finally
        {
            // Each document's stream is the channel's to close, sent or not (an export's temporary file
            // is deleted when it closes); disposing twice is harmless.
            foreach (var document in response.Documents)
            {
                await document.Content.DisposeAsync();
            }
        }
    }

    /// <summary>False when the message was not sent and said <see cref="Outgoing.IfNotSent"/> instead: the response ends there.</summary>
    private static async Task<bool> SendMessageAsync(IMessenger messenger, Outgoing message, CancellationToken cancellationToken)
    {
        if (message.AfterSent is null)
        {
            await messenger.ReplyAsync(message, cancellationToken);
            return true;
        }

        // The handler wants the message's id (to edit it later): a reply that is only queued has none
        // yet, so this one waits for the channel to allow it, as a send outside a turn would.
        var outcome = await messenger.SendAsync(message, cancellationToken);
        var sent = outcome.Status == SendStatus.Sent;
        await message.AfterSent(sent ? outcome.MessageId : null, cancellationToken);
        if (sent || message.IfNotSent is not { } instead)
        {
            return true;
        }

        await messenger.ReplyAsync(new Outgoing(message.ChatId, instead), cancellationToken);
        return false;
    }

    private static async Task SendDocumentAsync(IMessenger messenger, OutgoingDocument document, CancellationToken cancellationToken)
    {
        await using var content = document.Content;
        var outcome = await messenger.SendDocumentAsync(document.ChatId, document.FileName, content, document.Caption, cancellationToken);
        if (outcome.Status != SendStatus.Sent && document.IfNotSent is { } notSent)
        {
            await messenger.ReplyAsync(new Outgoing(document.ChatId, notSent), cancellationToken);
        }
    }
}
