using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Baoming.Tests.Fakes;

public sealed partial class FakeBotApi
{
    private const string NotModified =
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message";

    private static readonly string[] InlineButtonActions =
    [
        "callback_data", "url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay", "web_app",
    ];

    private static JsonObject BotUserJson() => new()
    {
        ["id"] = BotId,
        ["is_bot"] = true,
        ["first_name"] = "Baoming",
        ["username"] = BotUsername,
    };

    private static JsonObject ChatJson(long chatId, string? type = null)
    {
        type ??= chatId > 0 ? "private" : chatId <= -1_000_000_000_000 ? "supergroup" : "group";
        var chat = new JsonObject { ["id"] = chatId, ["type"] = type };
        if (type == "private")
        {
            var (firstName, username) = Names.TryGetValue(chatId, out var known) ? known : ("读者", null);
            chat["first_name"] = firstName;
            if (username is not null)
                chat["username"] = username;
        }
        else
        {
            chat["title"] = type == "channel" ? "测试频道" : "测试群";
        }

        return chat;
    }

    private static JsonObject BotMessageJson(long chatId, int messageId, long date) => new()
    {
        ["message_id"] = messageId,
        ["from"] = BotUserJson(),
        ["chat"] = ChatJson(chatId),
        ["date"] = date,
    };

    private ChatState Chat(long chatId)
    {
        if (!chats.TryGetValue(chatId, out var chat))
            chats[chatId] = chat = new ChatState();
        return chat;
    }

    // ---------------------------------------------------------------- validation helpers

    private static Reply? ResolveChat(Req r, out long chatId)
    {
        chatId = 0;
        if (r.ChatId is { } id)
        {
            chatId = id;
            return null;
        }

        return r.Args["chat_id"] is null ? Reply.Error(400, "Bad Request: chat_id is empty") : Reply.Error(400, "Bad Request: chat not found");
    }

    private static Reply? CheckText(string? text, string? parseMode, int max, bool caption, out string plain)
    {
        plain = "";
        if (string.IsNullOrEmpty(text))
            return caption ? null : Reply.Error(400, "Bad Request: message text is empty");
        if (!TelegramText.TryParse(text, parseMode, out plain, out var error))
            return Reply.Error(400, error!);
        if (!caption && string.IsNullOrWhiteSpace(plain))
            return Reply.Error(400, "Bad Request: message text is empty");
        if (plain.Length > max) // UTF-16 code units, as Telegram counts
            return Reply.Error(400, caption ? "Bad Request: message caption is too long" : "Bad Request: message is too long");
        return null;
    }

    /// <summary>Parses and validates reply_markup. <paramref name="inline"/> is the inline keyboard node when there is one.</summary>
    private static Reply? ParseMarkup(JsonObject args, out string? markupJson, out IReadOnlyList<IReadOnlyList<FakeButton>>? rows, out JsonObject? inline)
    {
        markupJson = null;
        rows = null;
        inline = null;
        var node = Args.Json(args, "reply_markup");
        if (node is null)
            return null;
        if (node is not JsonObject markup)
            return Reply.Error(400, "Bad Request: can't parse reply keyboard markup JSON object");
        markupJson = markup.ToJsonString();

        if (markup["inline_keyboard"] is { } keyboard)
        {
            if (keyboard is not JsonArray inlineRows)
                return Reply.Error(400, "Bad Request: can't parse inline keyboard: field \"inline_keyboard\" must be an Array");
            var parsed = new List<IReadOnlyList<FakeButton>>(inlineRows.Count);
            var total = 0;
            foreach (var rowNode in inlineRows)
            {
                if (rowNode is not JsonArray row)
                    return Reply.Error(400, "Bad Request: can't parse inline keyboard: field \"inline_keyboard\" must be an Array of Arrays");
                var buttons = new List<FakeButton>(row.Count);
                foreach (var buttonNode in row)
                {
                    if (buttonNode is not JsonObject button)
                        return Reply.Error(400, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object");
                    var text = Args.Str(button, "text");
                    if (string.IsNullOrEmpty(text))
                        return Reply.Error(400, "Bad Request: can't parse inline keyboard button: Field \"text\" must be of type String");
                    if (!Array.Exists(InlineButtonActions, button.ContainsKey))
                        return Reply.Error(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
                    var data = Args.Str(button, "callback_data");
                    if (data is not null && Encoding.UTF8.GetByteCount(data) is < 1 or > MaxCallbackDataBytes)
                        return Reply.Error(400, "Bad Request: BUTTON_DATA_INVALID");
                    var url = Args.Str(button, "url");
                    if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "tg")))
                        return Reply.Error(400, $"Bad Request: inline keyboard button URL '{url}' is invalid: Wrong HTTP URL");
                    buttons.Add(new FakeButton(text, data, url));
                    total++;
                }

                parsed.Add(buttons);
            }

            if (total > 100)
                return Reply.Error(400, "Bad Request: reply markup is too long");
            rows = parsed;
            inline = markup;
            return null;
        }

        if (markup["keyboard"] is JsonArray replyRows)
        {
            rows = replyRows.Select(row => (IReadOnlyList<FakeButton>)(row as JsonArray ?? []).Select(b =>
                new FakeButton(b is JsonObject o ? Args.Str(o, "text") ?? "" : b?.GetValue<string>() ?? "", null, null)).ToList()).ToList();
        }

        return null;
    }

    /// <summary>Blocked chats and the optional overall rate limit, for methods that send.</summary>
    private Reply? CheckSend(long chatId)
    {
        lock (gate)
        {
            if (blocked.Contains(chatId))
                return Reply.Error(403, chatId > 0 ? "Forbidden: bot was blocked by the user" : "Forbidden: bot was kicked from the group chat");
            if (MaxSendsPerSecond is { } max)
            {
                var second = Environment.TickCount64 / 1000;
                if (second != rateWindowSecond)
                {
                    rateWindowSecond = second;
                    rateWindowCount = 0;
                }

                if (++rateWindowCount > max)
                {
                    rateLimitRejections++;
                    return Reply.Error(429, "Too Many Requests: retry after 1", 1);
                }
            }
        }

        return null;
    }

    // ---------------------------------------------------------------- methods

    private Reply GetMe(Req r)
    {
        var me = BotUserJson();
        me["can_join_groups"] = true;
        me["can_read_all_group_messages"] = false;
        me["supports_inline_queries"] = false;
        me["can_connect_to_business"] = false;
        me["has_main_web_app"] = false;
        return Reply.Ok(me);
    }

    private Reply SendChatAction(Req r) => ResolveChat(r, out _) ?? Reply.Ok(true);

    private Reply SendMessage(Req r)
    {
        if (ResolveChat(r, out var chatId) is { } chatError)
            return chatError;
        var text = Args.Str(r.Args, "text");
        var parseMode = Args.Str(r.Args, "parse_mode");
        if (CheckText(text, parseMode, MaxTextLength, caption: false, out var plain) is { } textError)
            return textError;
        if (ParseMarkup(r.Args, out var markupJson, out var rows, out var inline) is { } markupError)
            return markupError;
        if (CheckSend(chatId) is { } sendError)
            return sendError;

        var now = Clock.GetUtcNow();
        int messageId;
        lock (gate)
        {
            var chat = Chat(chatId);
            messageId = ++chat.LastMessageId;
            var sent = new SentMessage(chatId, messageId, text!, parseMode, rows, markupJson, now);
            this.sent.Add(sent);
            chat.Messages.Add(sent);
            chat.Live[messageId] = new LiveMessage(FromBot: true, IsText: true, plain, inline?.ToJsonString()) { Rows = inline is null ? null : rows };
            sentCount++;
        }

        NotifyChanged();
        var message = BotMessageJson(chatId, messageId, now.ToUnixTimeSeconds());
        message["text"] = plain;
        if (inline is not null)
            message["reply_markup"] = inline.DeepClone();
        return Reply.Ok(message);
    }

    private Reply EditMessageText(Req r) => Edit(r, withText: true);

    private Reply EditMessageReplyMarkup(Req r) => Edit(r, withText: false);

    private Reply Edit(Req r, bool withText)
    {
        var method = withText ? "editMessageText" : "editMessageReplyMarkup";
        var inlineMessageId = Args.Str(r.Args, "inline_message_id");
        long chatId = 0;
        if (inlineMessageId is null && ResolveChat(r, out chatId) is { } chatError)
            return chatError;
        var messageId = (int?)Args.Long(r.Args, "message_id");
        if (inlineMessageId is null && messageId is null)
            return Reply.Error(400, "Bad Request: message identifier is not specified");
        string? text = null, parseMode = null, plain = null;
        if (withText)
        {
            text = Args.Str(r.Args, "text");
            parseMode = Args.Str(r.Args, "parse_mode");
            if (CheckText(text, parseMode, MaxTextLength, caption: false, out plain) is { } textError)
                return textError;
        }

        if (ParseMarkup(r.Args, out _, out var rows, out var inline) is { } markupError)
            return markupError;
        if (Args.Json(r.Args, "reply_markup") is not null && inline is null)
            return Reply.Error(400, "Bad Request: only inline keyboard markup is allowed");

        var now = Clock.GetUtcNow();
        var newMarkup = inline?.ToJsonString();
        lock (gate)
        {
            if (inlineMessageId is null)
            {
                var chat = Chat(chatId);
                var exists = chat.Live.TryGetValue(messageId!.Value, out var live);
                if (Strict)
                {
                    if (!exists)
                        return Reply.Error(400, "Bad Request: message to edit not found");
                    if (!live!.FromBot)
                        return Reply.Error(400, "Bad Request: message can't be edited");
                    if (withText && !live.IsText)
                        return Reply.Error(400, "Bad Request: there is no text in the message to edit");
                    if ((!withText || live.Text == plain) && live.MarkupJson == newMarkup)
                        return Reply.Error(400, NotModified);
                }

                chat.Live[messageId.Value] = live is null
                    ? new LiveMessage(FromBot: true, IsText: withText, plain, newMarkup) { Rows = rows }
                    : live with { Text = withText ? plain : live.Text, MarkupJson = newMarkup, Rows = inline is null ? null : rows };
                plain = chat.Live[messageId.Value].Text;
            }

            edits.Add(new MessageEdit(method, chatId, messageId ?? 0, text, parseMode, rows, now));
        }

        NotifyChanged();
        if (inlineMessageId is not null)
            return Reply.Ok(true);
        var message = BotMessageJson(chatId, messageId!.Value, now.ToUnixTimeSeconds());
        message["edit_date"] = now.ToUnixTimeSeconds();
        if (plain is not null)
            message["text"] = plain;
        if (inline is not null)
            message["reply_markup"] = inline.DeepClone();
        return Reply.Ok(message);
    }

    private Reply AnswerCallbackQuery(Req r)
    {
        var id = Args.Str(r.Args, "callback_query_id");
        var text = Args.Str(r.Args, "text");
        if (string.IsNullOrEmpty(id))
            return Reply.Error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
        if (text is not null && text.Length > 200)
            return Reply.Error(400, "Bad Request: MESSAGE_TOO_LONG");
        var answer = new CallbackAnswer(id, text, Args.Bool(r.Args, "show_alert"), Args.Str(r.Args, "url"), (int?)Args.Long(r.Args, "cache_time"), Clock.GetUtcNow());
        lock (gate)
        {
            if (Strict && !callbackIds.Contains(id))
                return Reply.Error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
            answers.Add(answer);
        }

        NotifyChanged();
        return Reply.Ok(true);
    }

    private Reply SendDocument(Req r)
    {
        if (ResolveChat(r, out var chatId) is { } chatError)
            return chatError;
        var caption = Args.Str(r.Args, "caption");
        var parseMode = Args.Str(r.Args, "parse_mode");
        if (CheckText(caption, parseMode, MaxCaptionLength, caption: true, out var plainCaption) is { } captionError)
            return captionError;
        if (ParseMarkup(r.Args, out _, out var rows, out var inline) is { } markupError)
            return markupError;

        // Telegram.Bot 22 uploads the file as a part named "0" and sends document=attach://0.
        var reference = Args.Str(r.Args, "document");
        var field = reference is not null && reference.StartsWith("attach://", StringComparison.Ordinal) ? reference["attach://".Length..] : "document";
        var file = r.Files?.Find(f => f.Field == field);
        string fileName;
        byte[] content;
        string? contentType;
        if (file is not null)
        {
            if (file.Content.LongLength > MaxDocumentBytes)
                return Reply.Error(413, "Request Entity Too Large");
            if (file.Content.Length == 0)
                return Reply.Error(400, "Bad Request: file must be non-empty");
            (fileName, content, contentType) = (file.FileName, file.Content, file.ContentType);
        }
        else if (reference is { Length: > 0 } && field == "document" && r.Args["document"] is JsonValue)
        {
            (fileName, content, contentType) = (reference, [], null); // a file_id or URL
        }
        else
        {
            return Reply.Error(400, "Bad Request: there is no document in the request");
        }

        if (CheckSend(chatId) is { } sendError)
            return sendError;
        var now = Clock.GetUtcNow();
        int messageId;
        lock (gate)
        {
            var chat = Chat(chatId);
            messageId = ++chat.LastMessageId;
            documents.Add(new SentDocument(chatId, messageId, fileName, caption, content, contentType, now));
            chat.Live[messageId] = new LiveMessage(FromBot: true, IsText: false, plainCaption, inline?.ToJsonString()) { Rows = inline is null ? null : rows };
        }

        NotifyChanged();
        var message = BotMessageJson(chatId, messageId, now.ToUnixTimeSeconds());
        message["document"] = new JsonObject
        {
            ["file_name"] = fileName,
            ["mime_type"] = contentType ?? "application/octet-stream",
            ["file_id"] = $"BQACAgIAAxkDAAI{chatId:x}{messageId:x}",
            ["file_unique_id"] = $"AgAD{messageId:x}",
            ["file_size"] = content.Length,
        };
        if (!string.IsNullOrEmpty(caption))
            message["caption"] = plainCaption;
        if (inline is not null)
            message["reply_markup"] = inline.DeepClone();
        return Reply.Ok(message);
    }

    private Reply DeleteMessage(Req r)
    {
        if (ResolveChat(r, out var chatId) is { } chatError)
            return chatError;
        if (Args.Long(r.Args, "message_id") is not { } messageId)
            return Reply.Error(400, "Bad Request: message identifier is not specified");
        lock (gate)
        {
            if (!Chat(chatId).Live.Remove((int)messageId) && Strict)
                return Reply.Error(400, "Bad Request: message to delete not found");
            deletions.Add(new DeletedMessage(chatId, (int)messageId, Clock.GetUtcNow()));
        }

        NotifyChanged();
        return Reply.Ok(true);
    }

    private Reply SetMyCommands(Req r)
    {
        if (Args.Json(r.Args, "commands") is not JsonArray array)
            return Reply.Error(400, "Bad Request: parameter \"commands\" is required");
        if (array.Count > 100)
            return Reply.Error(400, "Bad Request: too many commands specified");
        var commands = new List<FakeBotCommand>(array.Count);
        foreach (var item in array)
        {
            var command = item is JsonObject o ? Args.Str(o, "command") : null;
            var description = item is JsonObject d ? Args.Str(d, "description") : null;
            if (command is null || !CommandName().IsMatch(command))
                return Reply.Error(400, "Bad Request: BOT_COMMAND_INVALID");
            if (string.IsNullOrWhiteSpace(description) || description.Length > 256)
                return Reply.Error(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
            commands.Add(new FakeBotCommand(command, description));
        }

        var language = Args.Str(r.Args, "language_code");
        var scope = ScopeOf(r);
        lock (gate) this.commands[(scope, language ?? "")] = new BotCommandSet(string.IsNullOrEmpty(language) ? null : language, scope, commands);
        NotifyChanged();
        return Reply.Ok(true);
    }

    /// <summary>The scope's type ("default", "all_private_chats", "chat:123", …).</summary>
    private static string ScopeOf(Req r)
    {
        if (Args.Json(r.Args, "scope") is not JsonObject scope)
            return "default";
        var type = Args.Str(scope, "type") ?? "default";
        return Args.Str(scope, "chat_id") is { } chat ? $"{type}:{chat}" : type;
    }

    private Reply DeleteMyCommands(Req r)
    {
        lock (gate) commands.Remove((ScopeOf(r), Args.Str(r.Args, "language_code") ?? ""));
        NotifyChanged();
        return Reply.Ok(true);
    }

    private Reply GetMyCommands(Req r)
    {
        var commands = CommandsFor(Args.Str(r.Args, "language_code"), ScopeOf(r));
        return Reply.Ok(new JsonArray(commands.Select(c => (JsonNode)new JsonObject { ["command"] = c.Command, ["description"] = c.Description }).ToArray()));
    }

    private Reply SetWebhook(Req r)
    {
        var url = Args.Str(r.Args, "url") ?? "";
        if (url.Length == 0)
            return DeleteWebhook(r);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return Reply.Error(400, "Bad Request: bad webhook: invalid webhook URL specified");
        var secret = Args.Str(r.Args, "secret_token");
        if (secret is not null && !SecretToken().IsMatch(secret))
            return Reply.Error(400, "Bad Request: secret token contains unallowed characters");
        var allowed = Args.Json(r.Args, "allowed_updates") is JsonArray list ? list.Select(x => x?.GetValue<string>() ?? "").ToList() : null;
        var drop = Args.Bool(r.Args, "drop_pending_updates");
        lock (gate)
        {
            webhook = new FakeWebhook(url, secret, allowed, (int?)Args.Long(r.Args, "max_connections"), drop);
            if (drop)
                updates.Clear();
        }

        NotifyChanged();
        return Reply.Ok(true, "Webhook was set");
    }

    private Reply DeleteWebhook(Req r)
    {
        bool had;
        lock (gate)
        {
            had = webhook is not null;
            webhook = null;
            if (Args.Bool(r.Args, "drop_pending_updates"))
                updates.Clear();
        }

        NotifyChanged();
        return Reply.Ok(true, had ? "Webhook was deleted" : "Webhook is already deleted");
    }

    private Reply GetWebhookInfo(Req r)
    {
        lock (gate)
        {
            var info = new JsonObject
            {
                ["url"] = webhook?.Url ?? "",
                ["has_custom_certificate"] = false,
                ["pending_update_count"] = updates.Count,
            };
            if (webhook?.MaxConnections is { } max)
                info["max_connections"] = max;
            if (webhook?.AllowedUpdates is { } allowed)
                info["allowed_updates"] = new JsonArray(allowed.Select(a => (JsonNode)a).ToArray());
            return Reply.Ok(info);
        }
    }

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretToken();

    private sealed class ChatState
    {
        public int LastMessageId { get; set; }

        public List<SentMessage> Messages { get; } = [];

        public Dictionary<int, LiveMessage> Live { get; } = [];
    }

    /// <summary>A message as it currently exists in a chat (for edits, deletes and callback updates).</summary>
    private sealed record LiveMessage(bool FromBot, bool IsText, string? Text, string? MarkupJson)
    {
        /// <summary>The inline keyboard, for finding the message a button press came from.</summary>
        public IReadOnlyList<IReadOnlyList<FakeButton>>? Rows { get; init; }
    }

    /// <summary>Reads Telegram parameters that may come as JSON values or as strings (forms).</summary>
    private static class Args
    {
        public static string? Str(JsonObject args, string name) => args[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            var other => other.ToJsonString(),
        };

        public static long? Long(JsonObject args, string name) => args[name] switch
        {
            JsonValue v when v.TryGetValue<long>(out var l) => l,
            JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, out var parsed) => parsed,
            _ => null,
        };

        public static bool Bool(JsonObject args, string name) => args[name] switch
        {
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            JsonValue v when v.TryGetValue<string>(out var s) => s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1",
            _ => false,
        };

        /// <summary>A JSON parameter; forms carry it as a JSON string.</summary>
        public static JsonNode? Json(JsonObject args, string name) => args[name] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0 && s[0] is '{' or '[' ? JsonNode.Parse(s) : null,
            var other => other,
        };
    }
}
