using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Members;
using Baoming.Messaging;
using Baoming.Metrics;
using Baoming.Platform;
using Baoming.Storage;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Baoming.Telegram;

/// <summary>Sends replies through the Bot API, turning its errors into outcomes.</summary>
public sealed partial class TelegramMessenger(
    ITelegramBotClient client,
    MemberRepository members,
    RateLimiter limiter,
    ChatThrottles throttles,
    DeferredReplies deferred,
    BaomingMetrics metrics,
    ILogger<TelegramMessenger> logger) : IMessenger
{
    /// <summary>429s waited out per message before giving up (as failed): Telegram asks for seconds, rarely more.</summary>
    private const int MaxThrottledWaits = 20;

    /// <summary>Telegram shows at most 200 characters on a button notice.</summary>
    private const int MaxNoticeLength = 200;

    private static readonly LinkPreviewOptions NoPreview = new() { IsDisabled = true };

    public async Task<SendOutcome> SendAsync(Outgoing message, CancellationToken cancellationToken) =>
        Counted((await SendWithRetriesAsync(message, waitWhenThrottled: true, cancellationToken)).Outcome);

    public async Task<SendOutcome> ReplyAsync(Outgoing message, CancellationToken cancellationToken)
    {
        var chatId = message.ChatId;
        var wait = throttles.RemainingFor(chatId);
        if (wait > TimeSpan.Zero || (throttles.WasThrottled(chatId) && await Retry.UntilDoneAsync(ct => deferred.HasWaitingAsync(chatId, ct), logger, cancellationToken)))
        {
            // Behind the replies already waiting for this chat, never ahead of them.
            return await DeferAsync(message, wait, cancellationToken);
        }

        throttles.Forget(chatId);
        var (outcome, throttledFor) = await SendWithRetriesAsync(message, waitWhenThrottled: false, cancellationToken);
        return throttledFor is { } retryAfter ? await DeferAsync(message, retryAfter, cancellationToken) : Counted(outcome);
    }

    /// <summary>
    /// Sends a reply that waited (<see cref="DeferredReplySender"/>): null when it is done, whatever the
    /// outcome; the wait Telegram asks for when the chat is still throttled.
    /// </summary>
    public async Task<TimeSpan?> TrySendDeferredAsync(Outgoing message, CancellationToken cancellationToken)
    {
        var (outcome, throttledFor) = await SendWithRetriesAsync(message, waitWhenThrottled: false, cancellationToken);
        if (throttledFor is null)
        {
            Counted(outcome);
        }

        return throttledFor;
    }

    private async Task<SendOutcome> DeferAsync(Outgoing message, TimeSpan wait, CancellationToken cancellationToken)
    {
        await Retry.UntilDoneAsync(ct => deferred.DeferAsync(message, wait, ct), logger, cancellationToken);
        LogDeferred(message.ChatId, wait.TotalSeconds);
        return new SendOutcome(SendStatus.Deferred);
    }

    public async Task<SendOutcome> SendDocumentAsync(long chatId, string fileName, Stream content, string? caption, CancellationToken cancellationToken) =>
        Counted(await SendDocumentOnceAsync(chatId, fileName, content, caption, cancellationToken));

    private SendOutcome Counted(SendOutcome outcome)
    {
        metrics.MessageSent(outcome.Status);
        return outcome;
    }

    /// <summary>
    /// Sends with retries for refused connections (a 5xx is an unknown outcome, never resent). A 429
    /// throttles the chat (or, when it looks global, every sender: <see cref="ChatThrottles"/>); with
    /// <paramref name="waitWhenThrottled"/> the send waits and tries again, otherwise it returns at once
    /// with the wait Telegram asked for.
    /// </summary>
    private async Task<(SendOutcome Outcome, TimeSpan? ThrottledFor)> SendWithRetriesAsync(Outgoing message, bool waitWhenThrottled, CancellationToken cancellationToken)
    {
        for (int attempt = 1, throttled = 0; ; attempt++)
        {
            try
            {
                var sent = await client.SendMessage(
                    chatId: message.ChatId,
                    text: message.Reply.Text,
                    parseMode: message.Reply.IsHtml ? ParseMode.Html : ParseMode.None,
                    replyMarkup: ToMarkup(message.Reply),
                    linkPreviewOptions: NoPreview,
                    cancellationToken: cancellationToken);
                return (SendOutcome.Sent(sent.MessageId), null);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 403)
            {
                // Blocked or deactivated: remember it, so nothing is sent to them again until they write.
                await Retry.UntilDoneAsync(ct => members.MarkUnreachableAsync(message.ChatId, ct), logger, cancellationToken);
                LogBlocked(message.ChatId);
                return (new SendOutcome(SendStatus.Blocked), null);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 429 && ++throttled <= MaxThrottledWaits)
            {
                // Nothing was sent, so waiting and resending cannot duplicate.
                metrics.MessageThrottled();
                var retryAfter = TimeSpan.FromSeconds(Math.Max(1, e.Parameters?.RetryAfter ?? 1));
                var isGlobal = throttles.Record(message.ChatId, retryAfter);
                LogThrottled(message.ChatId, retryAfter.TotalSeconds, isGlobal);
                if (isGlobal)
                {
                    await limiter.PauseAsync(retryAfter, cancellationToken);
                }

                if (!waitWhenThrottled)
                {
                    return (new SendOutcome(SendStatus.Deferred), retryAfter);
                }

                await Task.Delay(retryAfter, cancellationToken);
                attempt--;
            }
            catch (Exception e) when (IsWorthRetrying(e) && attempt < 4)
            {
                LogRetrying(e, message.ChatId, attempt);
                var wait = e is ApiRequestException { Parameters.RetryAfter: int retryAfter } ? retryAfter : Math.Pow(2, attempt - 1);
                await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode < 500)
            {
                LogFailed(e, message.ChatId, e.ErrorCode);
                return (new SendOutcome(SendStatus.Failed), null);
            }
            catch (RequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                // The request may have left, and a 5xx from Telegram's edge may come after the message was
                // delivered: a resend could duplicate the message.
                LogUnknown(e, message.ChatId);
                return (new SendOutcome(SendStatus.Unknown), null);
            }
        }
    }

    private async Task<SendOutcome> SendDocumentOnceAsync(long chatId, string fileName, Stream content, string? caption, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await client.SendDocument(
                chatId: chatId,
                document: InputFile.FromStream(content, fileName),
                caption: caption,
                cancellationToken: cancellationToken);
            return SendOutcome.Sent(sent.MessageId);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 403)
        {
            // Sent after the turn's handler, outside its retries: a database outage here must not lose the outcome.
            await Retry.UntilDoneAsync(ct => members.MarkUnreachableAsync(chatId, ct), logger, cancellationToken);
            LogBlocked(chatId);
            return new SendOutcome(SendStatus.Blocked);
        }
        catch (ApiRequestException e)
        {
            LogFailed(e, chatId, e.ErrorCode);
            return new SendOutcome(SendStatus.Failed);
        }
        catch (RequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // An upload cannot be rewound and resent safely: report it as unknown.
            LogUnknown(e, chatId);
            return new SendOutcome(SendStatus.Unknown);
        }
    }

    public async Task<bool> EditAsync(long chatId, long messageId, Reply reply, CancellationToken cancellationToken)
    {
        try
        {
            await client.EditMessageText(
                chatId: chatId,
                messageId: checked((int)messageId),
                text: reply.Text,
                parseMode: reply.IsHtml ? ParseMode.Html : ParseMode.None,
                replyMarkup: ToMarkup(reply),
                linkPreviewOptions: NoPreview,
                cancellationToken: cancellationToken);
            return true;
        }
        catch (RequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // "message is not modified", a deleted message, a 429: a status line can wait for the next edit.
            LogEditFailed(e, chatId);
            return false;
        }
    }

    public async Task AnswerButtonAsync(string buttonPressId, string? notice, CancellationToken cancellationToken)
    {
        try
        {
            await client.AnswerCallbackQuery(
                callbackQueryId: buttonPressId,
                text: notice is { Length: > MaxNoticeLength } ? notice[..(MaxNoticeLength - 1)] + "…" : notice,
                cancellationToken: cancellationToken);
        }
        catch (RequestException e)
        {
            // A late answer (the query is older than ~15 s) is refused; the reply message still goes out.
            LogAnswerFailed(e);
        }
    }

    public async Task<Download> DownloadAsync(string fileId, long maxBytes, CancellationToken cancellationToken)
    {
        // The file's URL carries the bot token: it is never logged, and the client logs no requests.
        await using var content = new CappedStream(maxBytes);
        try
        {
            var file = await client.GetFile(fileId, cancellationToken);
            if (file.FileSize > maxBytes || file.FilePath is null)
            {
                return new Download(DownloadStatus.TooBig);
            }

            await client.DownloadFile(file.FilePath, content, cancellationToken);
            return new Download(DownloadStatus.Done, content.ToArray());
        }
        catch (Exception) when (content.IsOverflowed)
        {
            // Telegram's file_size was missing or wrong: the copy stopped at the limit.
            return new Download(DownloadStatus.TooBig);
        }
        catch (ApiRequestException e) when (e.Message.Contains("too big", StringComparison.OrdinalIgnoreCase))
        {
            // getFile refuses files over 20 MB.
            return new Download(DownloadStatus.TooBig);
        }
        catch (RequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogDownloadFailed(e);
            return new Download(DownloadStatus.Failed);
        }
    }

    /// <summary>A memory stream that refuses to grow past its cap, so a lying file size cannot fill the memory.</summary>
    private sealed class CappedStream(long cap) : MemoryStream
    {
        public bool IsOverflowed { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Check(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Check(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        private void Check(int count)
        {
            if (Length + count > cap)
            {
                IsOverflowed = true;
                throw new IOException("The file is larger than allowed.");
            }
        }
    }

    public static InlineKeyboardMarkup? ToMarkup(Reply reply) =>
        reply.Keyboard.Count == 0
            ? null
            : new InlineKeyboardMarkup(reply.Keyboard.Select(row => row.Select(ToButton)));

    private static InlineKeyboardButton ToButton(Button button) =>
        button.Url is { } url ? InlineKeyboardButton.WithUrl(button.Text, url) : InlineKeyboardButton.WithCallbackData(button.Text, button.Data!);

    /// <summary>
    /// Only errors that prove nothing was accepted are worth another try: a 429, and a connection refused
    /// or a name not resolved (the request never left). Not a 5xx: a 502/504 from Telegram's edge can
    /// come after the message was delivered.
    /// </summary>
    private static bool IsWorthRetrying(Exception e) => e switch
    {
        ApiRequestException api => api.ErrorCode == 429,
        RequestException { InnerException: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } => true,
        _ => false,
    };

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Chat {ChatId} has blocked the bot; marked unreachable")]
    private partial void LogBlocked(long chatId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Send to chat {ChatId} failed (attempt {Attempt}); retrying")]
    private partial void LogRetrying(Exception exception, long chatId, int attempt);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Telegram refused a message to chat {ChatId} (error {ErrorCode})")]
    private partial void LogFailed(Exception exception, long chatId, int errorCode);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Send to chat {ChatId} ended with an unknown outcome; not resent")]
    private partial void LogUnknown(Exception exception, long chatId);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "Telegram asked to slow down (chat {ChatId}, {Seconds} s; every chat: {IsGlobal})")]
    private partial void LogThrottled(long chatId, double seconds, bool isGlobal);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Reply to chat {ChatId} queued for {Seconds} s: Telegram asked that chat to slow down")]
    private partial void LogDeferred(long chatId, double seconds);

    [LoggerMessage(EventId = 205, Level = LogLevel.Debug, Message = "Editing a message in chat {ChatId} failed")]
    private partial void LogEditFailed(Exception exception, long chatId);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Downloading a file a member sent failed")]
    private partial void LogDownloadFailed(Exception exception);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "Answering a button press failed")]
    private partial void LogAnswerFailed(Exception exception);
}
