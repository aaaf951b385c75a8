using System.Text.Json.Nodes;

namespace Baoming.Tests.Fakes;

/// <summary>One button of a keyboard the bot sent (inline keyboards: callback_data or url; reply keyboards: text only).</summary>
public sealed record FakeButton(string Text, string? CallbackData, string? Url);

/// <summary>A text message the bot sent with sendMessage, as the fake accepted it.</summary>
/// <param name="Text">The text exactly as the bot sent it (markup included).</param>
/// <param name="ReplyMarkup">Rows of buttons (inline_keyboard, or keyboard for reply keyboards); null without a keyboard.</param>
/// <param name="ReplyMarkupJson">The reply_markup JSON as sent, or null.</param>
public sealed record SentMessage(
    long ChatId,
    int MessageId,
    string Text,
    string? ParseMode,
    IReadOnlyList<IReadOnlyList<FakeButton>>? ReplyMarkup,
    string? ReplyMarkupJson,
    DateTimeOffset SentAt)
{
    /// <summary>All buttons, row by row (empty without a keyboard).</summary>
    public IReadOnlyList<FakeButton> Buttons() => ReplyMarkup is null ? [] : [.. ReplyMarkup.SelectMany(row => row)];

    public override string ToString()
    {
        var text = Text.Length > 120 ? string.Concat(Text.AsSpan(0, 120), "…") : Text;
        var buttons = ReplyMarkup is null
            ? ""
            : " [" + string.Join(" | ", ReplyMarkup.Select(row => string.Join(", ", row.Select(b => b.CallbackData is null ? b.Text : $"{b.Text}→{b.CallbackData}")))) + "]";
        return $"#{MessageId} \"{text.ReplaceLineEndings("⏎")}\"{buttons}";
    }
}

/// <summary>An answerCallbackQuery call.</summary>
public sealed record CallbackAnswer(string CallbackQueryId, string? Text, bool ShowAlert, string? Url, int? CacheTime, DateTimeOffset At);

/// <summary>An editMessageText or editMessageReplyMarkup call that succeeded.</summary>
/// <param name="Method">"editMessageText" or "editMessageReplyMarkup".</param>
/// <param name="Text">The new text (editMessageText only).</param>
/// <param name="ReplyMarkup">The new inline keyboard, or null when it was removed / not given.</param>
public sealed record MessageEdit(
    string Method,
    long ChatId,
    int MessageId,
    string? Text,
    string? ParseMode,
    IReadOnlyList<IReadOnlyList<FakeButton>>? ReplyMarkup,
    DateTimeOffset At);

/// <summary>A document the bot sent with sendDocument (uploaded bytes; empty when sent by file_id/URL).</summary>
public sealed record SentDocument(
    long ChatId,
    int MessageId,
    string FileName,
    string? Caption,
#pragma warning disable CA1819 // Tests want the bytes as they came.
    byte[] Content,
#pragma warning restore CA1819
    string? ContentType,
    DateTimeOffset At);

/// <summary>A deleteMessage call that succeeded.</summary>
public sealed record DeletedMessage(long ChatId, int MessageId, DateTimeOffset At);

/// <summary>One bot command from setMyCommands.</summary>
public sealed record FakeBotCommand(string Command, string Description);

/// <summary>A command menu set with setMyCommands.</summary>
/// <param name="LanguageCode">The language_code, or null when none was given (the default menu).</param>
/// <param name="Scope">The scope type ("default", "all_private_chats", "chat:123", …).</param>
public sealed record BotCommandSet(string? LanguageCode, string Scope, IReadOnlyList<FakeBotCommand> Commands);

/// <summary>The state set by setWebhook.</summary>
public sealed record FakeWebhook(string Url, string? SecretToken, IReadOnlyList<string>? AllowedUpdates, int? MaxConnections, bool DropPendingUpdates);

/// <summary>One request the fake answered (any method, any outcome).</summary>
/// <param name="Method">The method's canonical name (e.g. "sendMessage"); unknown methods as in the URL.</param>
/// <param name="Body">The request parameters as JSON (the raw body for JSON requests; form fields for forms, files as {"file_name","length"}).</param>
/// <param name="StatusCode">The HTTP status the fake answered with (0 when the connection was aborted).</param>
public sealed record ApiCall(string Method, DateTimeOffset At, long? ChatId, string Body, int StatusCode);

/// <summary>What the <see cref="FakeBotApi.Fault"/> hook sees for each request.</summary>
/// <param name="Method">The method's canonical name (e.g. "sendMessage", whatever case the URL used); unknown methods as in the URL.</param>
/// <param name="ChatId">The numeric chat_id parameter, if any.</param>
/// <param name="Body">The request parameters (do not mutate).</param>
public sealed record FakeCall(string Method, long? ChatId, JsonObject Body);

/// <summary>
/// An injected failure: Telegram's error shape (<c>{"ok":false,"error_code":…,"description":…,"parameters":{…}}</c>)
/// with HTTP status = error code, or something worse (non-JSON 502, dropped connection).
/// </summary>
public sealed record FakeFailure(int ErrorCode, string Description, int? RetryAfter = null)
{
    internal FailureKind Kind { get; init; } = FailureKind.TelegramError;

    /// <summary>
    /// The request IS processed first (e.g. the message is recorded as sent), then answered with this failure:
    /// a 502 from Telegram's edge after the message was delivered. Example:
    /// <c>FakeFailure.BadGateway() with { AfterProcessing = true }</c>.
    /// </summary>
    public bool AfterProcessing { get; init; }

    /// <summary>429 "Too Many Requests: retry after N" with parameters.retry_after = N.</summary>
    public static FakeFailure TooManyRequests(int retryAfter) => new(429, $"Too Many Requests: retry after {retryAfter}", retryAfter);

    /// <summary>403 "Forbidden: bot was blocked by the user".</summary>
    public static FakeFailure Blocked() => new(403, "Forbidden: bot was blocked by the user");

    /// <summary>403 "Forbidden: user is deactivated".</summary>
    public static FakeFailure Deactivated() => new(403, "Forbidden: user is deactivated");

    /// <summary>400 "Bad Request: chat not found".</summary>
    public static FakeFailure ChatNotFound() => new(400, "Bad Request: chat not found");

    /// <summary>400 "Bad Request: can't parse entities: …": Telegram refused the text's HTML or MarkdownV2.</summary>
    public static FakeFailure CantParseEntities() => new(400, "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0");

    /// <summary>An nginx-style 502 with an HTML body (the client sees a non-JSON error).</summary>
    public static FakeFailure BadGateway() => new(502, "Bad Gateway") { Kind = FailureKind.BadGatewayHtml };

    /// <summary>The connection is dropped before the request is processed (nothing is recorded as sent).</summary>
    public static FakeFailure DropConnection() => new(0, "connection dropped") { Kind = FailureKind.AbortBefore };

    /// <summary>
    /// The request IS processed (e.g. the message is recorded as sent) and then the connection is dropped, so
    /// the client cannot know the outcome — the "unknown" case.
    /// </summary>
    public static FakeFailure DropConnectionAfterProcessing() => new(0, "connection dropped after processing") { Kind = FailureKind.AbortAfter };
}

internal enum FailureKind
{
    TelegramError,
    BadGatewayHtml,
    AbortBefore,
    AbortAfter,
}
