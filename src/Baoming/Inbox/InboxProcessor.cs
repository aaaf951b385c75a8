using System.Text.Json;
using System.Threading.Channels;
using Baoming.Chat;
using Baoming.Members;
using Baoming.Messaging;
using Baoming.Storage;
using Baoming.Telegram;
using Npgsql;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Baoming.Inbox;

/// <summary>
/// Handles stored updates: concurrently across chats, in order within a chat. Each chat maps to one
/// of a fixed set of lanes, and a lane handles its updates one at a time. A database outage makes a
/// lane wait and retry the same update, so nothing is skipped and the order holds.
/// </summary>
public sealed partial class InboxProcessor : BackgroundService
{
    /// <summary>Lanes: enough to keep the database busy during a burst, few enough for the connection pool.</summary>
    public const int LaneCount = 48;

    /// <summary>Every log line written while handling an update carries its id.</summary>
    private static readonly Func<ILogger, long, IDisposable?> UpdateScope = LoggerMessage.DefineScope<long>("Update {UpdateId}");

    private readonly Channel<InboxItem>[] lanes;
    private readonly Channel<long> processed = Channel.CreateUnbounded<long>();
    private readonly TaskCompletionSource resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Conversation conversation;
    private readonly IMessenger messenger;
    private readonly InboxRepository inbox;
    private readonly MemberRepository members;
    private readonly BotStartup startup;
    private readonly ILogger<InboxProcessor> logger;

    public InboxProcessor(
        Conversation conversation, IMessenger messenger, InboxRepository inbox, MemberRepository members, BotStartup startup, ILogger<InboxProcessor> logger)
    {
        this.startup = startup;
        this.conversation = conversation;
        this.messenger = messenger;
        this.inbox = inbox;
        this.members = members;
        this.logger = logger;
        // Bounded lanes push back on intake: the poller stops fetching while the lanes are full.
        lanes = [.. Enumerable.Range(0, LaneCount).Select(_ => Channel.CreateBounded<InboxItem>(new BoundedChannelOptions(200) { SingleReader = true }))];
    }

    /// <summary>Queues stored updates for handling; waits while their lanes are full.</summary>
    public async ValueTask EnqueueAsync(InboxItem item, CancellationToken cancellationToken) =>
        await lanes[(int)((ulong)item.ChatId % LaneCount)].Writer.WriteAsync(item, cancellationToken);

    /// <summary>
    /// Completes once the updates a previous run left unfinished are queued. The Poller stores nothing new
    /// before that: an update stored earlier would be read as left over and queued a second time.
    /// </summary>
    public Task Resumed => resumed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Whatever a previous run stored but did not finish comes first.
        var pending = await Retry.UntilDoneAsync(inbox.GetUnprocessedAsync, logger, stoppingToken);

        // Replies need the bot's username (deep links): getMe first. The Poller's first poll goes out meanwhile.
        await startup.ReadyAsync(stoppingToken);
        var workers = lanes.Select(lane => RunLaneAsync(lane.Reader, stoppingToken)).ToList();
        workers.Add(RecordProcessedAsync(stoppingToken));

        if (pending.Count > 0)
        {
            LogResuming(pending.Count);
        }

        foreach (var item in pending)
        {
            await EnqueueAsync(item, stoppingToken);
        }

        resumed.TrySetResult();
        await Task.WhenAll(workers);
    }

    private async Task RunLaneAsync(ChannelReader<InboxItem> lane, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in lane.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(item, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Logged once here; the lane goes on with the chat's next update.
                    LogHandlerFailed(e, item.UpdateId);
                }

                processed.Writer.TryWrite(item.UpdateId);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unfinished updates stay unprocessed in the inbox and are picked up next start.
        }
    }

    private async Task HandleAsync(InboxItem item, CancellationToken stoppingToken)
    {
        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(item.Payload, JsonBotAPI.Options);
        }
        catch (JsonException e)
        {
            LogMalformed(e, item.UpdateId);
            return;
        }

        if (update is null)
        {
            return;
        }

        if (update.MyChatMember is { Chat.Type: ChatType.Private, NewChatMember.Status: ChatMemberStatus.Kicked } blocked)
        {
            await Retry.UntilDoneAsync(ct => members.MarkUnreachableAsync(blocked.From.Id, ct), logger, stoppingToken);
            return;
        }

        if (UpdateMapper.ToIncoming(update) is not { } incoming)
        {
            return;
        }

        using var scope = UpdateScope(logger, item.UpdateId);
        var callbackId = update.CallbackQuery?.Id;
        Core.Response response;
        try
        {
            response = await Retry.UntilDoneAsync(ct => conversation.HandleAsync(incoming, ct), logger, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug, not an outage: tell the member rather than leave them waiting, and move on.
            LogHandlerFailed(e, item.UpdateId);
            var texts = new Core.Replies.Texts(incoming.From.Language, TimeZoneInfo.Utc);
            response = Core.Response.To(incoming.ChatId, texts.SomethingWentWrong());
        }

        await messenger.DeliverAsync(response, callbackId, stoppingToken);
    }

    /// <summary>Marks handled updates in batches: one UPDATE for many, off the hot path.</summary>
    private async Task RecordProcessedAsync(CancellationToken stoppingToken)
    {
        var batch = new List<long>();
        var reader = processed.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 1000 && reader.TryRead(out var id))
                {
                    batch.Add(id);
                }

                await Retry.UntilDoneAsync(ct => inbox.MarkProcessedAsync(batch, ct), logger, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Shutting down: record what was finished so it is not handled again next start.
            while (reader.TryRead(out var id))
            {
                batch.Add(id);
            }

            if (batch.Count > 0)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await inbox.MarkProcessedAsync(batch, timeout.Token);
                }
                catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
                {
                    // They will be handled again next start; handling is safe to repeat.
                    LogUnrecorded(e, batch.Count);
                }
            }
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Resuming {Count} updates stored before the last stop")]
    private partial void LogResuming(int count);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Could not record {Count} handled updates at shutdown")]
    private partial void LogUnrecorded(Exception exception, int count);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Update {UpdateId} is not valid JSON for an update; skipped")]
    private partial void LogMalformed(Exception exception, long updateId);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Handling update {UpdateId} failed")]
    private partial void LogHandlerFailed(Exception exception, long updateId);
}
