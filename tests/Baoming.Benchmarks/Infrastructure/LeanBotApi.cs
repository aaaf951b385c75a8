using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>A message the bot sent, as the benchmark sees it.</summary>
/// <param name="At">Stopwatch timestamp of its arrival.</param>
/// <param name="CallbackData">The callback_data of its inline buttons, in order (empty without a keyboard).</param>
internal sealed record BotMessage(long ChatId, string Text, IReadOnlyList<string> CallbackData, long At);

/// <summary>
/// A lean fake Bot API over real HTTP (Kestrel on 127.0.0.1, a free port), built to cost the
/// benchmark as little CPU as possible: the machine's two cores belong to the bot and PostgreSQL.
/// The tests' <c>FakeBotApi</c> checks far more (entities, message state, limits) and is the place
/// for correctness; this one serves getMe, setMyCommands, getUpdates (long poll, confirm by offset),
/// setWebhook, deleteWebhook, getWebhookInfo, sendMessage, editMessageText and answerCallbackQuery in
/// Telegram's JSON shapes, and records arrival times. Updates are handed out as offered, byte for byte (so a
/// scenario can offer JSON the bot's library does not know); a chat can be made to answer every send with 429
/// (<see cref="Throttle"/>).
/// </summary>
internal sealed class LeanBotApi : IUpdateFeed, IAsyncDisposable
{
    public const string Token = "123456:BENCH-token";
    public const long BotId = 777000;
    public const string BotUsername = "BaomingBenchBot";

    private static readonly byte[] True = """{"ok":true,"result":true}"""u8.ToArray();

    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly Queue<(long Id, byte[] Json)> updates = new();
    private readonly List<long> getUpdatesAt = [];
    private readonly List<long> editsAt = [];
    private readonly Dictionary<long, long> deliveredAt = [];
    private readonly ConcurrentDictionary<long, byte[]> throttled = new();
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long nextUpdateId = 1;
    private int nextMessageId;
    private int answers;
    private int setWebhooks;
    private int throttledSends;
    private long confirmedBelow;

    private LeanBotApi()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.AddServerHeader = false;
        });
        app = builder.Build();
        app.Run(HandleAsync);
    }

    /// <summary>"http://127.0.0.1:PORT", for Telegram:ApiBaseUrl.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Called for every sendMessage, on a Kestrel thread; keep it quick and thread-safe.</summary>
    public Action<BotMessage>? OnMessage { get; set; }

    /// <summary>Stopwatch timestamps of every getUpdates request's arrival.</summary>
    public IReadOnlyList<long> GetUpdatesCalls
    {
        get { lock (gate) return [.. getUpdatesAt]; }
    }

    public int CallbackAnswers => Volatile.Read(ref answers);

    /// <summary>setWebhook calls so far (webhook mode: each instance may register the webhook at start-up).</summary>
    public int SetWebhookCalls => Volatile.Read(ref setWebhooks);

    /// <summary>Stopwatch timestamps of every editMessageText (status messages edited in place).</summary>
    public IReadOnlyList<long> EditsAt
    {
        get
        {
            lock (gate)
            {
                return [.. editsAt];
            }
        }
    }

    /// <summary>When getUpdates first handed out the update (a Stopwatch timestamp), or null.</summary>
    public long? DeliveredAt(long updateId)
    {
        lock (gate) return deliveredAt.TryGetValue(updateId, out var at) ? at : null;
    }

    /// <summary>The highest getUpdates offset so far: every update with a lower id has been confirmed by the bot.</summary>
    public long ConfirmedBelow
    {
        get { lock (gate) return confirmedBelow; }
    }

    /// <summary>sendMessage and editMessageText calls answered 429 by a <see cref="Throttle"/> rule.</summary>
    public int ThrottledSends => Volatile.Read(ref throttledSends);

    /// <summary>
    /// From now on every sendMessage and editMessageText to <paramref name="chatId"/> is answered as Telegram answers a flood:
    /// 429 with <c>parameters.retry_after</c>. Other chats are unaffected.
    /// </summary>
    public void Throttle(long chatId, int retryAfterSeconds) =>
        throttled[chatId] = Encoding.UTF8.GetBytes(
            $$$"""{"ok":false,"error_code":429,"description":"Too Many Requests: retry after {{{retryAfterSeconds}}}","parameters":{"retry_after":{{{retryAfterSeconds}}}}}""");

    public int PendingUpdates
    {
        get { lock (gate) return updates.Count; }
    }

    public static async Task<LeanBotApi> StartAsync()
    {
        var api = new LeanBotApi();
        await api.app.StartAsync();
        api.BaseUrl = api.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return api;
    }

    /// <summary>Offers an update (JSON without update_id: it is added here) to the next getUpdates.</summary>
    public long Offer(string updateBody)
    {
        TaskCompletionSource arrived;
        long id;
        lock (gate)
        {
            id = nextUpdateId++;
            updates.Enqueue((id, Encoding.UTF8.GetBytes($$"""{"update_id":{{id}},{{updateBody}}""")));
            arrived = this.arrived;
            this.arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var method = path[(path.LastIndexOf('/') + 1)..];
        using var body = context.Request.ContentLength is 0 ? null : await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var args = body?.RootElement ?? default;
        context.Response.ContentType = "application/json";
        switch (method.ToUpperInvariant())
        {
            case "GETUPDATES":
                await GetUpdatesAsync(context, args);
                break;
            case "SENDMESSAGE":
                await SendMessageAsync(context, args, isEdit: false);
                break;
            case "EDITMESSAGETEXT":
                await SendMessageAsync(context, args, isEdit: true);
                break;
            case "ANSWERCALLBACKQUERY":
                Interlocked.Increment(ref answers);
                await context.Response.Body.WriteAsync(True, context.RequestAborted);
                break;
            case "SETWEBHOOK":
                Interlocked.Increment(ref setWebhooks);
                await context.Response.Body.WriteAsync(True, context.RequestAborted);
                break;
            case "SETMYCOMMANDS" or "DELETEWEBHOOK":
                await context.Response.Body.WriteAsync(True, context.RequestAborted);
                break;
            case "GETWEBHOOKINFO":
                // Nothing registered and nothing pending: the bot registers its webhook itself.
                await context.Response.WriteAsync("""{"ok":true,"result":{"url":"","has_custom_certificate":false,"pending_update_count":0}}""", context.RequestAborted);
                break;
            case "GETME":
                await context.Response.WriteAsync(
                    $$$"""{"ok":true,"result":{"id":{{{BotId}}},"is_bot":true,"first_name":"报名助手","username":"{{{BotUsername}}}","can_join_groups":true,"can_read_all_group_messages":false,"supports_inline_queries":false}}""",
                    context.RequestAborted);
                break;
            default:
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("""{"ok":false,"error_code":404,"description":"Not Found: method not found"}""", context.RequestAborted);
                break;
        }
    }

    private async Task GetUpdatesAsync(HttpContext context, JsonElement args)
    {
        var offset = Long(args, "offset") ?? 0;
        var limit = (int)Math.Clamp(Long(args, "limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Clamp(Long(args, "timeout") ?? 0, 0, 50));
        lock (gate)
        {
            getUpdatesAt.Add(Stopwatch.GetTimestamp());
            confirmedBelow = Math.Max(confirmedBelow, offset);
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            List<byte[]> batch = [];
            Task arrived;
            lock (gate)
            {
                // An offset confirms every update below it, as on Telegram.
                while (updates.TryPeek(out var head) && head.Id < offset)
                {
                    updates.Dequeue();
                }

                var now = Stopwatch.GetTimestamp();
                foreach (var (id, json) in updates)
                {
                    if (batch.Count == limit)
                    {
                        break;
                    }

                    batch.Add(json);
                    deliveredAt.TryAdd(id, now);
                }

                arrived = this.arrived.Task;
            }

            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (batch.Count > 0 || left <= TimeSpan.Zero)
            {
                await WriteUpdatesAsync(context, batch);
                return;
            }

            try
            {
                await arrived.WaitAsync(left, context.RequestAborted);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task WriteUpdatesAsync(HttpContext context, List<byte[]> batch)
    {
        var output = context.Response.BodyWriter;
        output.Write("""{"ok":true,"result":["""u8);
        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0)
            {
                output.Write(","u8);
            }

            output.Write(batch[i]);
        }

        output.Write("]}"u8);
        await output.FlushAsync(context.RequestAborted);
    }

    private async Task SendMessageAsync(HttpContext context, JsonElement args, bool isEdit)
    {
        var at = Stopwatch.GetTimestamp();
        if (isEdit)
        {
            lock (gate)
            {
                editsAt.Add(at);
            }
        }

        var chatId = Long(args, "chat_id") ?? 0;
        if (!throttled.IsEmpty && throttled.TryGetValue(chatId, out var tooMany))
        {
            Interlocked.Increment(ref throttledSends);
            context.Response.StatusCode = 429;
            await context.Response.Body.WriteAsync(tooMany, context.RequestAborted);
            return;
        }

        var text = args.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
        List<string> data = [];
        if (args.TryGetProperty("reply_markup", out var markup) && markup.TryGetProperty("inline_keyboard", out var rows))
        {
            foreach (var row in rows.EnumerateArray())
            {
                foreach (var button in row.EnumerateArray())
                {
                    if (button.TryGetProperty("callback_data", out var d) && d.GetString() is { } value)
                    {
                        data.Add(value);
                    }
                }
            }
        }

        var messageId = isEdit ? (int)(Long(args, "message_id") ?? 0) : Interlocked.Increment(ref nextMessageId);
        if (!isEdit)
        {
            OnMessage?.Invoke(new BotMessage(chatId, text, data, at));
        }

        using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteBoolean("ok", true);
        json.WriteStartObject("result");
        json.WriteNumber("message_id", messageId);
        json.WriteStartObject("from");
        json.WriteNumber("id", BotId);
        json.WriteBoolean("is_bot", true);
        json.WriteString("first_name", "报名助手");
        json.WriteString("username", BotUsername);
        json.WriteEndObject();
        json.WriteStartObject("chat");
        json.WriteNumber("id", chatId);
        json.WriteString("type", "private");
        json.WriteEndObject();
        json.WriteNumber("date", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        json.WriteString("text", text);
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static long? Long(JsonElement args, string name) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number => value.GetInt64(),
                JsonValueKind.String when long.TryParse(value.GetString(), out var parsed) => parsed,
                _ => null,
            }
            : null;
}
