using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baoming.Tests.Fakes;

/// <summary>
/// An in-process fake of the Telegram Bot API, served over real HTTP (Kestrel on 127.0.0.1, random port), so the
/// real <c>TelegramBotClient</c> can talk to it: <c>new TelegramBotClient(new TelegramBotClientOptions(FakeBotApi.Token, fake.BaseUrl), http)</c>.
/// </summary>
/// <remarks>
/// <para>Serves <c>POST /bot{token}/{method}</c> at the root (method names case-insensitive; JSON, multipart and
/// form-urlencoded bodies, plus query-string parameters). Answers in Telegram's shapes:
/// <c>{"ok":true,"result":…}</c> or <c>{"ok":false,"error_code":N,"description":…,"parameters":{…}}</c> with HTTP
/// status N.</para>
/// <para>Enforces Telegram's limits so violations fail loudly: text 1–4096 UTF-16 units after entity parsing (and
/// HTML/MarkdownV2 that Telegram cannot parse), callback_data 1–64 UTF-8 bytes, caption ≤ 1024, documents ≤ 50 MB,
/// one getUpdates at a time, no getUpdates while a webhook is set. With <see cref="Strict"/> (the default) it also
/// keeps message state like Telegram: editing an unknown message, an edit that changes nothing, or answering an
/// unknown callback query fail as they do on Telegram.</para>
/// <para>Everything is recorded thread-safely; <c>WaitFor…</c> helpers wait on a change signal (no polling).</para>
/// </remarks>
public sealed partial class FakeBotApi : IAsyncDisposable
{
    /// <summary>The token tests should give the client. Any token is accepted; others are listed in <see cref="ForeignTokens"/>.</summary>
    public const string Token = "123456:TEST-token";

    /// <summary>The fake bot's user id (getMe).</summary>
    public const long BotId = 777000;

    /// <summary>The fake bot's username (getMe).</summary>
    public const string BotUsername = "BaomingTestBot";

    /// <summary>Telegram's limit on message text, in UTF-16 code units after entity parsing.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>Telegram's limit on a caption.</summary>
    public const int MaxCaptionLength = 1024;

    /// <summary>Telegram's limit on callback_data, in UTF-8 bytes.</summary>
    public const int MaxCallbackDataBytes = 64;

    /// <summary>Telegram's limit on an uploaded document (50 MB).</summary>
    public const long MaxDocumentBytes = 50L * 1024 * 1024;

    private static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly Dictionary<string, (string Name, Func<Req, Reply>? Sync)> methods;

    // Everything below is guarded by gate.
    private readonly List<SentMessage> sent = [];
    private readonly Dictionary<long, ChatState> chats = [];
    private readonly List<CallbackAnswer> answers = [];
    private readonly List<MessageEdit> edits = [];
    private readonly List<SentDocument> documents = [];
    private readonly List<DeletedMessage> deletions = [];
    private readonly Dictionary<(string Scope, string Language), BotCommandSet> commands = [];
    private readonly List<ApiCall> calls = [];
    private readonly Queue<string> recentErrors = new();
    private readonly List<PendingFailure> failNext = [];
    private readonly HashSet<string> foreignTokens = [];
    private readonly HashSet<long> blocked = [];
    private FakeWebhook? webhook;
    private long rateWindowSecond;
    private int rateWindowCount;

    private int disposed;
    private int failNextCount;
    private long delayTicks;
    private int getUpdatesCalls;
    private int sentCount;
    private int rateLimitRejections;
    private TaskCompletionSource? changed;

    private FakeBotApi()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = MaxDocumentBytes + (16 * 1024 * 1024); // so > 50 MB gets Telegram's answer, not Kestrel's
        });
        app = builder.Build();
        app.Run(HandleAsync);

        methods = new Dictionary<string, (string, Func<Req, Reply>?)>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, Func<Req, Reply>? handler) => methods[name] = (name, handler);
        Add("getMe", GetMe);
        Add("getUpdates", null); // async, see HandleGetUpdatesAsync
        Add("sendMessage", SendMessage);
        Add("editMessageText", EditMessageText);
        Add("editMessageReplyMarkup", EditMessageReplyMarkup);
        Add("answerCallbackQuery", AnswerCallbackQuery);
        Add("sendDocument", SendDocument);
        Add("deleteMessage", DeleteMessage);
        Add("setMyCommands", SetMyCommands);
        Add("deleteMyCommands", DeleteMyCommands);
        Add("getMyCommands", GetMyCommands);
        Add("setWebhook", SetWebhook);
        Add("deleteWebhook", DeleteWebhook);
        Add("getWebhookInfo", GetWebhookInfo);
        Add("sendChatAction", SendChatAction);
        Add("getFile", GetFile);
    }

    /// <summary>"http://127.0.0.1:PORT" — give it to the client as the base URL.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>
    /// Per-request fault hook, evaluated before the method runs (after <see cref="SetDelay"/>); return null to let
    /// the request through. Example: <c>fake.Fault = c => c.ChatId % 10 == 0 ? FakeFailure.Blocked() : null;</c>
    /// Runs concurrently on Kestrel threads: keep it thread-safe.
    /// </summary>
    public Func<FakeCall, FakeFailure?>? Fault { get; set; }

    /// <summary>
    /// Telegram-like state checks (default on): editing a message the chat does not have → 400 "message to edit not
    /// found"; an edit that changes nothing → 400 "message is not modified"; answering a callback query id that
    /// was never sent in an update → 400 "query is too old…".
    /// </summary>
    public bool Strict { get; set; } = true;

    /// <summary>Keep the <see cref="Calls"/> log (default on). A benchmark may turn it off to save memory.</summary>
    public bool RecordCalls { get; set; } = true;

    /// <summary>
    /// Optional overall send limit (sendMessage + sendDocument per wall-clock second). Above it: 429 with
    /// retry_after 1, counted in <see cref="RateLimitRejections"/>. Null (default) = unlimited.
    /// </summary>
    public int? MaxSendsPerSecond { get; set; }

    /// <summary>The clock used for message and update dates.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Text messages sent with sendMessage, in order (a snapshot).</summary>
    public IReadOnlyList<SentMessage> SentMessages
    {
        get { lock (gate) return [.. sent]; }
    }

    /// <summary>Number of messages sent with sendMessage (cheap; no copy).</summary>
    public int SentMessageCount => Volatile.Read(ref sentCount);

    /// <summary>answerCallbackQuery calls (a snapshot).</summary>
    public IReadOnlyList<CallbackAnswer> CallbackAnswers
    {
        get { lock (gate) return [.. answers]; }
    }

    /// <summary>Successful editMessageText / editMessageReplyMarkup calls (a snapshot).</summary>
    public IReadOnlyList<MessageEdit> Edits
    {
        get { lock (gate) return [.. edits]; }
    }

    /// <summary>Documents sent with sendDocument (a snapshot).</summary>
    public IReadOnlyList<SentDocument> Documents
    {
        get { lock (gate) return [.. documents]; }
    }

    /// <summary>Successful deleteMessage calls (a snapshot).</summary>
    public IReadOnlyList<DeletedMessage> Deletions
    {
        get { lock (gate) return [.. deletions]; }
    }

    /// <summary>The command menus currently set with setMyCommands: one entry per (scope, language_code) (a snapshot).</summary>
    public IReadOnlyList<BotCommandSet> Commands
    {
        get { lock (gate) return [.. commands.Values]; }
    }

    /// <summary>The commands set for <paramref name="languageCode"/> (null = none given) and <paramref name="scope"/> (null = default); empty when none.</summary>
    public IReadOnlyList<FakeBotCommand> CommandsFor(string? languageCode = null, string? scope = null)
    {
        lock (gate)
            return commands.TryGetValue((scope ?? "default", languageCode ?? ""), out var set) ? set.Commands : [];
    }

    /// <summary>Every request answered, in order of completion (a snapshot; see <see cref="RecordCalls"/>).</summary>
    public IReadOnlyList<ApiCall> Calls
    {
        get { lock (gate) return [.. calls]; }
    }

    /// <summary>Tokens other than <see cref="Token"/> seen in request URLs.</summary>
    public IReadOnlyCollection<string> ForeignTokens
    {
        get { lock (gate) return [.. foreignTokens]; }
    }

    /// <summary>The webhook set with setWebhook, or null.</summary>
    public FakeWebhook? Webhook
    {
        get { lock (gate) return webhook; }
    }

    /// <summary>How many getUpdates requests have arrived (including rejected ones).</summary>
    public int GetUpdatesCalls => Volatile.Read(ref getUpdatesCalls);

    /// <summary>How many sends <see cref="MaxSendsPerSecond"/> rejected.</summary>
    public int RateLimitRejections => Volatile.Read(ref rateLimitRejections);

    /// <summary>Starts the fake on 127.0.0.1 with a free port.</summary>
    public static async Task<FakeBotApi> StartAsync()
    {
        var fake = new FakeBotApi();
        await fake.app.StartAsync();
        var addresses = fake.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        fake.BaseUrl = addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Stops the server; pending long polls return at once. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        await stopping.CancelAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
        stopping.Dispose();
    }

    // ---------------------------------------------------------------- fault injection

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="method"/> ("*" = any method) fail with this
    /// Telegram error. Queued failures are used in the order they were added.
    /// </summary>
    public void FailNext(string method, int errorCode, string description, int? retryAfter = null, int times = 1) =>
        FailNext(method, new FakeFailure(errorCode, description, retryAfter), times);

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> ("*" = any) fail with <paramref name="failure"/>.</summary>
    public void FailNext(string method, FakeFailure failure, int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (gate)
        {
            failNext.Add(new PendingFailure(method, failure) { Remaining = times });
            failNextCount = failNext.Count;
        }
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> get an nginx-style 502 with an HTML body.</summary>
    public void FailNextWithBadGateway(string method = "*", int times = 1) => FailNext(method, FakeFailure.BadGateway(), times);

    /// <summary>Every request first waits this long (TimeSpan.Zero to stop).</summary>
    public void SetDelay(TimeSpan delay) => Volatile.Write(ref delayTicks, delay.Ticks);

    /// <summary>From now on every send to <paramref name="chatId"/> fails with 403 "Forbidden: bot was blocked by the user".</summary>
    public void BlockChat(long chatId)
    {
        lock (gate) blocked.Add(chatId);
    }

    /// <summary>Undoes <see cref="BlockChat"/>.</summary>
    public void UnblockChat(long chatId)
    {
        lock (gate) blocked.Remove(chatId);
    }

    private FakeFailure? TakeFailNext(string method)
    {
        lock (gate)
        {
            for (var i = 0; i < failNext.Count; i++)
            {
                var pending = failNext[i];
                if (pending.Method != "*" && !pending.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
                    continue;
                if (--pending.Remaining == 0)
                {
                    failNext.RemoveAt(i);
                    failNextCount = failNext.Count;
                }

                return pending.Failure;
            }
        }

        return null;
    }

    // ---------------------------------------------------------------- queries and waits

    /// <summary>Messages sent to one chat so far, in order (a snapshot; uses the per-chat index).</summary>
    public IReadOnlyList<SentMessage> MessagesTo(long chatId)
    {
        lock (gate) return chats.TryGetValue(chatId, out var chat) ? [.. chat.Messages] : [];
    }

    /// <summary>
    /// The earliest message sent to <paramref name="chatId"/> (already sent or still to come) that matches
    /// <paramref name="predicate"/>; waits up to <paramref name="timeout"/> (default 10 s), then throws a
    /// <see cref="TimeoutException"/> listing what the chat did get and recent API errors.
    /// </summary>
    public async Task<SentMessage> WaitForMessageAsync(long chatId, Func<SentMessage, bool>? predicate = null, TimeSpan? timeout = null)
    {
        var scanned = 0;
        SentMessage? found = null;
        await WaitUntilAsync(
            () =>
            {
                SentMessage[] fresh;
                lock (gate)
                {
                    if (!chats.TryGetValue(chatId, out var chat) || chat.Messages.Count == scanned)
                        return false;
                    fresh = chat.Messages.GetRange(scanned, chat.Messages.Count - scanned).ToArray();
                }

                scanned += fresh.Length;
                found = predicate is null ? fresh[0] : Array.Find(fresh, m => predicate(m));
                return found is not null;
            },
            timeout,
            () => $"No message to chat {chatId}{(predicate is null ? "" : " matching the predicate")} within {Seconds(timeout)}. {DescribeChat(chatId)}");
        return found!;
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages have been sent to <paramref name="chatId"/> and returns
    /// all messages sent to it at that moment (so the caller can also check that there are no extra ones).
    /// </summary>
    public async Task<IReadOnlyList<SentMessage>> WaitForMessagesAsync(long chatId, int count, TimeSpan? timeout = null)
    {
        IReadOnlyList<SentMessage> result = [];
        await WaitUntilAsync(
            () =>
            {
                lock (gate)
                {
                    if (!chats.TryGetValue(chatId, out var chat) || chat.Messages.Count < count)
                        return false;
                    result = [.. chat.Messages];
                    return true;
                }
            },
            timeout,
            () => $"Expected {count} message(s) to chat {chatId} within {Seconds(timeout)}. {DescribeChat(chatId)}");
        return result;
    }

    /// <summary>Waits until answerCallbackQuery has been called for <paramref name="callbackQueryId"/>; returns that answer.</summary>
    public async Task<CallbackAnswer> WaitForCallbackAnswerAsync(string callbackQueryId, TimeSpan? timeout = null)
    {
        CallbackAnswer? found = null;
        await WaitUntilAsync(
            () =>
            {
                lock (gate) found = answers.Find(a => a.CallbackQueryId == callbackQueryId);
                return found is not null;
            },
            timeout,
            () => $"No answerCallbackQuery for \"{callbackQueryId}\" within {Seconds(timeout)}. Answered so far: [{string.Join(", ", CallbackAnswers.Select(a => a.CallbackQueryId))}]. {RecentErrors()}");
        return found!;
    }

    /// <summary>Waits until a document has been sent to <paramref name="chatId"/>; returns the first one.</summary>
    public async Task<SentDocument> WaitForDocumentAsync(long chatId, TimeSpan? timeout = null)
    {
        SentDocument? found = null;
        await WaitUntilAsync(
            () =>
            {
                lock (gate) found = documents.Find(d => d.ChatId == chatId);
                return found is not null;
            },
            timeout,
            () => $"No document to chat {chatId} within {Seconds(timeout)}. {RecentErrors()}");
        return found!;
    }

    /// <summary>
    /// Waits until update <paramref name="updateId"/> is confirmed: it is no longer queued and getUpdates has been
    /// called with an offset greater than it.
    /// </summary>
    public Task WaitUntilConfirmedAsync(int updateId, TimeSpan? timeout = null) =>
        WaitUntilAsync(
            () =>
            {
                lock (gate) return maxOffset > updateId && !updates.Exists(u => u.Id == updateId);
            },
            timeout,
            () =>
            {
                lock (gate)
                    return $"Update {updateId} was not confirmed within {Seconds(timeout)}: highest getUpdates offset so far {maxOffset}, "
                        + $"{(updates.Exists(u => u.Id == updateId) ? "still queued" : "not queued")}, {getUpdatesCalls} getUpdates call(s). {RecentErrorsLocked()}";
            });

    /// <summary>Waits until getUpdates has been called at least <paramref name="atLeast"/> times in all.</summary>
    public Task WaitForGetUpdatesCallAsync(int atLeast = 1, TimeSpan? timeout = null) =>
        WaitUntilAsync(
            () => GetUpdatesCalls >= atLeast,
            timeout,
            () => $"Expected at least {atLeast} getUpdates call(s) within {Seconds(timeout)}, got {GetUpdatesCalls}. {RecentErrors()}");

    /// <summary>Waits until the total number of sendMessage messages reaches <paramref name="count"/> (cheap; for benchmarks).</summary>
    public Task WaitForSentCountAsync(int count, TimeSpan? timeout = null) =>
        WaitUntilAsync(
            () => SentMessageCount >= count,
            timeout,
            () => $"Expected {count} sent message(s) within {Seconds(timeout)}, got {SentMessageCount}. {RecentErrors()}");

    /// <summary>Waits (on the change signal) until <paramref name="condition"/> holds, then returns; throws TimeoutException with <paramref name="describe"/>().</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout, Func<string> describe)
    {
        var limit = timeout ?? DefaultWaitTimeout;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var changed = ChangedSignal();
            if (condition())
                return;
            var remaining = limit - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
                throw new TimeoutException(describe());
            await Task.WhenAny(changed, Task.Delay(remaining, stopping.Token));
            ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
        }
    }

    private static string Seconds(TimeSpan? timeout) => $"{(timeout ?? DefaultWaitTimeout).TotalSeconds:0.###} s";

    private string DescribeChat(long chatId)
    {
        lock (gate)
        {
            var sb = new StringBuilder();
            if (chats.TryGetValue(chatId, out var chat) && chat.Messages.Count > 0)
            {
                sb.Append("Sent to chat ").Append(chatId).Append(" so far (").Append(chat.Messages.Count).Append("):");
                foreach (var m in chat.Messages.TakeLast(20))
                    sb.Append("\n  ").Append(m);
            }
            else
            {
                sb.Append("Nothing was sent to chat ").Append(chatId).Append('.');
            }

            var others = chats.Where(c => c.Key != chatId && c.Value.Messages.Count > 0).Select(c => c.Key).Take(10).ToList();
            if (others.Count > 0)
                sb.Append("\nOther chats that got messages: ").AppendJoin(", ", others).Append('.');
            sb.Append(' ').Append(RecentErrorsLocked());
            return sb.ToString();
        }
    }

    private string RecentErrors()
    {
        lock (gate) return RecentErrorsLocked();
    }

    private string RecentErrorsLocked() =>
        recentErrors.Count == 0 ? "No API errors." : "Recent API errors:\n  " + string.Join("\n  ", recentErrors);

    /// <summary>A task that completes at the next recorded change. Get it BEFORE checking, so no change is missed.</summary>
    private Task ChangedSignal()
    {
        var current = Volatile.Read(ref changed);
        if (current is not null)
            return current.Task;
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Interlocked.CompareExchange(ref changed, fresh, null) ?? fresh).Task;
    }

    private void NotifyChanged() => Interlocked.Exchange(ref changed, null)?.TrySetResult();

    // ---------------------------------------------------------------- HTTP plumbing

    private async Task HandleAsync(HttpContext context)
    {
        if (await TryServeFileAsync(context))
        {
            return;
        }

        var path = context.Request.Path.Value ?? "";
        var slash = path.StartsWith("/bot", StringComparison.Ordinal) ? path.IndexOf('/', 4) : -1;
        if (slash < 0 || slash == path.Length - 1)
        {
            await WriteAsync(context, Reply.Error(404, "Not Found"));
            return;
        }

        var token = path[4..slash];
        var methodInUrl = path[(slash + 1)..].TrimEnd('/');
        if (token != Token)
        {
            lock (gate) foreignTokens.Add(token);
        }

        var known = methods.TryGetValue(methodInUrl, out var entry);
        var method = known ? entry.Name : methodInUrl;

        Req request;
        try
        {
            request = await ReadRequestAsync(context, method);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or BadHttpRequestException)
        {
            var reply = e is BadHttpRequestException { StatusCode: 413 }
                ? Reply.Error(413, "Request Entity Too Large")
                : Reply.Error(400, $"Bad Request: can't parse request: {e.Message}");
            Record(method, null, reply.Status, reply.Description);
            await WriteAsync(context, reply);
            return;
        }

        var delay = Volatile.Read(ref delayTicks);
        if (delay > 0)
        {
            try
            {
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
                await Task.Delay(TimeSpan.FromTicks(delay), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var failure = Fault?.Invoke(new FakeCall(method, request.ChatId, request.Args));
        if (failure is null && Volatile.Read(ref failNextCount) > 0)
            failure = TakeFailNext(method);

        if (failure is not null && failure.Kind != FailureKind.AbortAfter && !failure.AfterProcessing)
        {
            await WriteFailureAsync(context, method, request, failure, "");
            return;
        }

        Reply result;
        try
        {
            result = !known ? Reply.Error(404, "Not Found: method not found")
                : entry.Sync is null ? await GetUpdatesAsync(request, context.RequestAborted)
                : entry.Sync(request);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or ArgumentException or OverflowException)
        {
            result = Reply.Error(400, $"Bad Request: {e.Message}");
        }

        if (failure is not null)
        {
            await WriteFailureAsync(context, method, request, failure, $"processed with {result.Status}, then ");
            return;
        }

        Record(method, request, result.Status, result.Description);
        await WriteAsync(context, result);
    }

    private static async Task<Req> ReadRequestAsync(HttpContext context, string method)
    {
        var http = context.Request;
        JsonObject args;
        List<UploadedFile>? files = null;
        string raw;
        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync(context.RequestAborted);
            args = [];
            foreach (var (key, value) in form)
                args[key] = (string?)value;
            foreach (var file in form.Files)
            {
                var bytes = new byte[file.Length];
                await using (var stream = file.OpenReadStream())
                    await stream.ReadExactlyAsync(bytes, context.RequestAborted);
                (files ??= []).Add(new UploadedFile(file.Name, file.FileName, file.ContentType, bytes));
                args[file.Name] = new JsonObject { ["file_name"] = file.FileName, ["length"] = bytes.Length };
            }

            raw = "";
        }
        else
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            while (true)
            {
                var read = await http.Body.ReadAsync(buffer.GetMemory(4096), context.RequestAborted);
                if (read == 0)
                    break;
                buffer.Advance(read);
            }

            args = buffer.WrittenCount == 0
                ? []
                : JsonNode.Parse(buffer.WrittenSpan) as JsonObject ?? throw new JsonException("the body is not a JSON object");
            raw = buffer.WrittenCount == 0 ? "{}" : Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        if (http.QueryString.HasValue)
        {
            foreach (var (key, value) in http.Query)
                args.TryAdd(key, (string?)value);
            raw = "";
        }

        return new Req(method, args, files, raw) { ChatId = Args.Long(args, "chat_id") };
    }

    private void Record(string method, Req? request, int status, string? description)
    {
        var failed = status != 200;
        if (!RecordCalls && !failed)
            return;
        var at = Clock.GetUtcNow();
        var chatId = request?.ChatId;
        var raw = RecordCalls ? request?.RawBody ?? "" : "";
        lock (gate)
        {
            if (RecordCalls)
                calls.Add(new ApiCall(method, at, chatId, raw, status));
            if (failed)
            {
                recentErrors.Enqueue($"{method}{(chatId is null ? "" : $" chat {chatId}")} → {status} {description}");
                if (recentErrors.Count > 20)
                    recentErrors.Dequeue();
            }
        }

        NotifyChanged();
    }

    private static Task WriteAsync(HttpContext context, Reply reply)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ok", reply.Status == 200);
            if (reply.Status == 200)
            {
                writer.WritePropertyName("result");
                if (reply.RawResult is not null)
                    writer.WriteRawValue(reply.RawResult, skipInputValidation: true);
                else if (reply.Result is not null)
                    reply.Result.WriteTo(writer);
                else
                    writer.WriteBooleanValue(true);
                if (reply.Description is not null)
                    writer.WriteString("description", reply.Description);
            }
            else
            {
                writer.WriteNumber("error_code", reply.Status);
                writer.WriteString("description", reply.Description);
                if (reply.RetryAfter is { } retryAfter)
                {
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("retry_after", retryAfter);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = reply.Status;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    /// <summary>Answers with an injected failure; <paramref name="processed"/> says whether the method ran first (for the log).</summary>
    private async Task WriteFailureAsync(HttpContext context, string method, Req request, FakeFailure failure, string processed)
    {
        switch (failure.Kind)
        {
            case FailureKind.AbortBefore or FailureKind.AbortAfter:
                Record(method, request, 0, $"{processed}connection dropped (injected)");
                context.Abort();
                return;
            case FailureKind.BadGatewayHtml:
                Record(method, request, 502, $"{processed}502 Bad Gateway (injected HTML)");
                await WriteBadGatewayAsync(context);
                return;
            default:
                {
                    var reply = Reply.Error(failure.ErrorCode, failure.Description, failure.RetryAfter);
                    Record(method, request, reply.Status, $"{processed}{reply.Description} (injected)");
                    await WriteAsync(context, reply);
                    return;
                }
        }
    }

    private static Task WriteBadGatewayAsync(HttpContext context)
    {
        const string html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n";
        context.Response.StatusCode = 502;
        context.Response.ContentType = "text/html";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    private sealed class PendingFailure(string method, FakeFailure failure)
    {
        public string Method { get; } = method;

        public FakeFailure Failure { get; } = failure;

        public int Remaining { get; set; }
    }

    private sealed record UploadedFile(string Field, string FileName, string? ContentType, byte[] Content);

    private sealed record Req(string Method, JsonObject Args, List<UploadedFile>? Files, string RawBodyOrEmpty)
    {
        public long? ChatId { get; init; }

        /// <summary>The body for the Calls log: the raw JSON, or the parsed parameters for forms / query strings.</summary>
        public string RawBody => RawBodyOrEmpty.Length > 0 ? RawBodyOrEmpty : Args.ToJsonString(ReadableJson);
    }

    private readonly record struct Reply(int Status, JsonNode? Result, string? RawResult, string? Description, int? RetryAfter)
    {
        public static Reply Ok(JsonNode? result, string? description = null) => new(200, result, null, description, null);

        public static Reply OkRaw(string rawJson) => new(200, null, rawJson, null, null);

        public static Reply Error(int code, string description, int? retryAfter = null) => new(code, null, null, description, retryAfter);
    }
}
