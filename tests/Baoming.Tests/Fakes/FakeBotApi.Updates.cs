using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Baoming.Tests.Fakes;

public sealed partial class FakeBotApi
{
    private const string WebhookConflict = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
    private const string PollConflict = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";

    private static readonly HttpClient WebhookClient = new() { Timeout = TimeSpan.FromSeconds(30) };

    // Guarded by gate.
    private readonly List<QueuedUpdate> updates = []; // sorted by id
    private static readonly ConcurrentDictionary<long, (string FirstName, string? Username)> Names = new();
    private static readonly ConcurrentDictionary<long, int> LastIncomingText = new();
    private static int incomingMessageId = 500_000; // users' messages: one process-wide sequence, clear of the bot's per-chat ids

    private readonly HashSet<string> callbackIds = [];
    private int nextUpdateId = Random.Shared.Next(100_000_000, 900_000_000); // random base: tests sharing a database do not collide
    private int maxOffset;

    private PollSlot? poller;
    private TaskCompletionSource? updatesChanged;

    /// <summary>Updates queued and not yet confirmed (delivered ones count until an offset confirms them).</summary>
    public int PendingUpdates
    {
        get { lock (gate) return updates.Count; }
    }

    /// <summary>True while a getUpdates request is waiting (long polling) in the fake.</summary>
    public bool IsPolling => Volatile.Read(ref poller) is not null;

    /// <summary>
    /// Queues an update for getUpdates. Without "update_id" the next id is assigned (ids start at a random base
    /// and increase); with one, it is kept — so a test can replay an id. Returns the update id.
    /// </summary>
    /// <remarks>
    /// Offsets confirm (remove) updates below them that have been delivered at least once. Unlike Telegram, an
    /// update that was never delivered is delivered even if its id is below the poller's offset, so a replayed
    /// (old) id does reach the bot.
    /// </remarks>
    public int EnqueueUpdate(string updateJson)
    {
        var (id, json) = PrepareUpdate(updateJson);
        lock (gate)
        {
            var index = updates.FindLastIndex(u => u.Id <= id) + 1;
            updates.Insert(index, new QueuedUpdate(id, json));
        }

        Interlocked.Exchange(ref updatesChanged, null)?.TrySetResult();
        NotifyChanged();
        return id;
    }

    /// <summary>
    /// Sends an update straight to the webhook set with setWebhook (as Telegram would), with the
    /// X-Telegram-Bot-Api-Secret-Token header when a secret was set. Returns the HTTP status the bot answered.
    /// </summary>
    public async Task<HttpStatusCode> DeliverToWebhookAsync(string updateJson, CancellationToken cancellationToken = default)
    {
        var webhook = Webhook ?? throw new InvalidOperationException("No webhook is set (setWebhook was not called).");
        var (_, json) = PrepareUpdate(updateJson);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (webhook.SecretToken is not null)
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", webhook.SecretToken);
        using var response = await WebhookClient.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    private (int Id, string Json) PrepareUpdate(string updateJson)
    {
        var update = JsonNode.Parse(updateJson) as JsonObject ?? throw new ArgumentException("An update must be a JSON object.", nameof(updateJson));
        int id;
        lock (gate)
        {
            if (update["update_id"] is JsonValue given)
            {
                id = given.GetValue<int>();
                nextUpdateId = Math.Max(nextUpdateId, id + 1);
            }
            else
            {
                id = nextUpdateId++;
                var rest = update.ToList();
                update.Clear();
                update["update_id"] = id; // first, as Telegram writes it
                foreach (var (key, value) in rest)
                    update[key] = value;
            }

            CompleteUpdate(update, id);
        }

        return (id, update.ToJsonString());
    }

    private async Task<Reply> GetUpdatesAsync(Req r, CancellationToken aborted)
    {
        Interlocked.Increment(ref getUpdatesCalls);
        NotifyChanged();
        if (Webhook is not null)
            return Reply.Error(409, WebhookConflict);

        var offset = Args.Long(r.Args, "offset") ?? 0;
        var limit = (int)Math.Clamp(Args.Long(r.Args, "limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Max(0, Args.Long(r.Args, "timeout") ?? 0));

        var slot = new PollSlot();
        Interlocked.Exchange(ref poller, slot)?.Terminate(); // like Telegram: the newer request wins
        var delay = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping.Token);
        try
        {
            lock (gate)
            {
                if (offset > 0)
                {
                    maxOffset = (int)Math.Max(maxOffset, Math.Min(offset, int.MaxValue));
                    updates.RemoveAll(u => u.Id < offset && u.Delivered);
                }
                else if (offset < 0 && updates.Count > -offset)
                {
                    updates.RemoveRange(0, updates.Count - (int)-offset);
                }
            }

            NotifyChanged();
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                var arrived = UpdatesSignal();
                if (slot.Terminated.IsCompleted)
                    return Reply.Error(409, PollConflict);
                if (TakeBatch(limit) is { } batch)
                    return Reply.OkRaw(batch);
                var remaining = timeout - Stopwatch.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero || delay.IsCancellationRequested)
                    return Reply.OkRaw("[]");
                await Task.WhenAny(arrived, slot.Terminated, Task.Delay(remaining, delay.Token));
            }
        }
        finally
        {
            Interlocked.CompareExchange(ref poller, null, slot);
            await delay.CancelAsync(); // releases the pending Task.Delay timer
            delay.Dispose();
            NotifyChanged();
        }
    }

    private string? TakeBatch(int limit)
    {
        lock (gate)
        {
            if (updates.Count == 0)
                return null;
            var sb = new StringBuilder("[");
            var count = Math.Min(limit, updates.Count);
            for (var i = 0; i < count; i++)
            {
                var update = updates[i];
                update.Delivered = true;
                if (i > 0)
                    sb.Append(',');
                sb.Append(update.Json);
            }

            return sb.Append(']').ToString();
        }
    }

    private Task UpdatesSignal()
    {
        var current = Volatile.Read(ref updatesChanged);
        if (current is not null)
            return current.Task;
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Interlocked.CompareExchange(ref updatesChanged, fresh, null) ?? fresh).Task;
    }

    // ---------------------------------------------------------------- update builders (Telegram's JSON shapes)

    /// <summary>The callback query id <see cref="EnqueueUpdate"/> gives a <see cref="CallbackUpdate"/> that became update <paramref name="updateId"/>.</summary>
    public static string CallbackQueryIdFor(int updateId) => $"cbq-{updateId}";

    /// <summary>
    /// A text message from a user, without update_id (<see cref="EnqueueUpdate"/> assigns one). Private chat by
    /// default; for a group pass chatType "group"/"supergroup" (chatId defaults to a negative id). Text starting
    /// with "/" gets a bot_command entity, as from Telegram. Message ids come from a process-wide counter.
    /// </summary>
    public static string TextUpdate(long userId, string text, string languageCode = "zh-hans", string chatType = "private", long? chatId = null, string firstName = "读者", string? username = null)
    {
        var chat = chatId ?? (chatType == "private" ? userId : chatType == "supergroup" ? -1_000_000_000_000 - userId : -userId);
        Names[userId] = (firstName, username);
        var messageId = Interlocked.Increment(ref incomingMessageId);
        if (chat == userId)
            LastIncomingText[userId] = messageId;
        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = UserJson(userId, firstName, username, languageCode),
            ["chat"] = ChatJson(chat, chatType),
            ["date"] = UnixNow(),
            ["text"] = text,
        };
        if (text.StartsWith('/'))
        {
            var end = text.IndexOfAny([' ', '\n', '\t']);
            message["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = end < 0 ? text.Length : end, ["type"] = "bot_command" });
        }

        return new JsonObject { ["message"] = message }.ToJsonString();
    }

    /// <summary>
    /// A press of an inline button carrying <paramref name="data"/> in the user's private chat. The callback query
    /// id is filled in by <see cref="EnqueueUpdate"/> as <see cref="CallbackQueryIdFor"/>(update id). Without
    /// <paramref name="messageId"/>, <see cref="EnqueueUpdate"/> picks the latest message the bot sent to that
    /// chat with a button carrying <paramref name="data"/> (else its latest message with a keyboard, else 1); the
    /// message's current text and keyboard are filled in from what the bot sent, as Telegram does.
    /// </summary>
    public static string CallbackUpdate(long userId, string data, int? messageId = null, string languageCode = "zh-hans")
    {
        var (firstName, username) = Names.TryGetValue(userId, out var known) ? known : ("读者", null);
        var message = new JsonObject();
        if (messageId is not null)
            message["message_id"] = messageId;
        message["from"] = BotUserJson();
        message["chat"] = ChatJson(userId, "private");
        message["date"] = UnixNow();
        message["text"] = "…";
        var query = new JsonObject
        {
            ["from"] = UserJson(userId, firstName, username, languageCode),
            ["message"] = message,
            ["chat_instance"] = (-Math.Abs(userId * 7919 % 9_000_000_000_000_000)).ToString(CultureInfo.InvariantCulture),
            ["data"] = data,
        };
        return new JsonObject { ["callback_query"] = query }.ToJsonString();
    }

    /// <summary>A sticker message from a user in their private chat.</summary>
    public static string StickerUpdate(long userId)
    {
        var message = UserMessage(userId, Interlocked.Increment(ref incomingMessageId));
        message["sticker"] = new JsonObject
        {
            ["width"] = 512,
            ["height"] = 512,
            ["emoji"] = "👍",
            ["is_animated"] = false,
            ["is_video"] = false,
            ["type"] = "regular",
            ["file_id"] = "CAACAgIAAxkBAAEBfakeStickerFileId",
            ["file_unique_id"] = "AgADfakeSticker",
            ["file_size"] = 23_456,
        };
        return new JsonObject { ["message"] = message }.ToJsonString();
    }

    /// <summary>An edited_message update: the user's latest text message (from <see cref="TextUpdate"/>) in their private chat, now reading <paramref name="text"/>.</summary>
    public static string EditedMessageUpdate(long userId, string text)
    {
        var messageId = LastIncomingText.TryGetValue(userId, out var last) ? last : Interlocked.Increment(ref incomingMessageId);
        var message = UserMessage(userId, messageId);
        message["edit_date"] = UnixNow();
        message["text"] = text;
        return new JsonObject { ["edited_message"] = message }.ToJsonString();
    }

    /// <summary>
    /// A message without "from". By default a channel_post (as Telegram sends posts in a channel: chat type
    /// "channel", sender_chat, no from). With <paramref name="channelPost"/> false, a plain "message" in a
    /// supergroup with sender_chat and no from — not something Telegram sends today, but a good robustness probe.
    /// </summary>
    public static string NoFromUpdate(long chatId, string text, bool channelPost = true)
    {
        var chat = ChatJson(chatId, channelPost ? "channel" : "supergroup");
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref incomingMessageId),
            ["sender_chat"] = chat.DeepClone(),
            ["chat"] = chat,
            ["date"] = UnixNow(),
            ["text"] = text,
        };
        return new JsonObject { [channelPost ? "channel_post" : "message"] = message }.ToJsonString();
    }

    /// <summary>
    /// A my_chat_member update from the user's private chat: the bot's status there going from
    /// <paramref name="oldStatus"/> to <paramref name="newStatus"/> ("kicked" when they block the bot, "member" when they unblock it).
    /// </summary>
    public static string MyChatMemberUpdate(long userId, string oldStatus, string newStatus)
    {
        var (firstName, username) = Names.TryGetValue(userId, out var known) ? known : ("读者", null);
        static JsonObject Status(string status)
        {
            var member = new JsonObject { ["user"] = BotUserJson(), ["status"] = status };
            if (status == "kicked")
                member["until_date"] = 0;
            return member;
        }

        var change = new JsonObject
        {
            ["chat"] = ChatJson(userId, "private"),
            ["from"] = UserJson(userId, firstName, username, "zh-hans"),
            ["date"] = UnixNow(),
            ["old_chat_member"] = Status(oldStatus),
            ["new_chat_member"] = Status(newStatus),
        };
        return new JsonObject { ["my_chat_member"] = change }.ToJsonString();
    }

    private static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static JsonObject UserMessage(long userId, int messageId)
    {
        var (firstName, username) = Names.TryGetValue(userId, out var known) ? known : ("读者", null);
        return new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = UserJson(userId, firstName, username, "zh-hans"),
            ["chat"] = ChatJson(userId, "private"),
            ["date"] = UnixNow(),
        };
    }

    private static JsonObject UserJson(long userId, string firstName, string? username, string? languageCode)
    {
        var user = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = firstName };
        if (username is not null)
            user["username"] = username;
        if (!string.IsNullOrEmpty(languageCode))
            user["language_code"] = languageCode;
        return user;
    }

    /// <summary>Fills in what only the running fake knows: callback query ids, the message a button press came from, dates from <see cref="Clock"/>.</summary>
    private void CompleteUpdate(JsonObject update, int updateId)
    {
        var restamp = !ReferenceEquals(Clock, TimeProvider.System);
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var kind in (string[])["message", "edited_message", "channel_post", "edited_channel_post"])
        {
            if (update[kind] is JsonObject posted && restamp)
            {
                posted["date"] = now;
                if (posted.ContainsKey("edit_date"))
                    posted["edit_date"] = now;
            }
        }

        if (update["callback_query"] is not JsonObject query)
            return;
        if (query["id"] is null)
            query["id"] = CallbackQueryIdFor(updateId);
        callbackIds.Add(query["id"]!.ToString());
        if (query["message"] is not JsonObject message || message["chat"]?["id"] is not JsonValue chatNode || !chatNode.TryGetValue<long>(out var chatId))
            return;
        if (restamp)
            message["date"] = now;
        chats.TryGetValue(chatId, out var chat);
        if (message["message_id"] is null)
        {
            var data = Args.Str(query, "data");
            var bot = chat?.Live.Where(m => m.Value.FromBot && m.Value.Rows is not null).OrderByDescending(m => m.Key).ToList() ?? [];
            var id = bot.Find(m => m.Value.Rows!.Any(row => row.Any(b => b.CallbackData == data))).Key;
            message["message_id"] = id != 0 ? id : bot.Count > 0 ? bot[0].Key : 1;
        }

        if (chat is not null && chat.Live.TryGetValue(message["message_id"]!.GetValue<int>(), out var live) && live.FromBot)
        {
            if (live.IsText)
                message["text"] = live.Text;
            else
            {
                message.Remove("text");
                if (live.Text is not null)
                    message["caption"] = live.Text;
            }

            message.Remove("reply_markup");
            if (live.MarkupJson is not null)
                message["reply_markup"] = JsonNode.Parse(live.MarkupJson);
        }
    }

    private sealed class QueuedUpdate(int id, string json)
    {
        public int Id { get; } = id;

        public string Json { get; } = json;

        public bool Delivered { get; set; }
    }

    private sealed class PollSlot
    {
        private readonly TaskCompletionSource terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Terminated => terminated.Task;

        public void Terminate() => terminated.TrySetResult();
    }
}
