using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Baoming.Chat;
using Baoming.Members;
using Baoming.Messaging;
using Baoming.Metrics;
using Baoming.Platform;
using Baoming.Storage;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Baoming.Telegram.Intake;

/// <summary>
/// Handles stored updates: concurrently across chats, in order within a chat, and one chat at a time
/// across instances (<see cref="ChatTurns"/>). Each chat maps to one of a fixed set of lanes; a lane
/// takes the chat's turn and handles everything the chat has waiting, whichever instance stored it.
/// A database outage makes a lane wait and retry, so nothing is skipped and the order holds.
/// </summary>
public sealed partial class InboxProcessor : BackgroundService
{
    /// <summary>Lanes: enough to keep the database busy during a burst, few enough for the connection pool.</summary>
    public const int LaneCount = 48;

    /// <summary>How long the update in hand may take to finish once a shutdown begins.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Updates nobody has handled for this long are picked up by any instance: their instance may have
    /// stopped before it got to them. (A turn also picks up everything its chat has waiting.)
    /// </summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    /// <summary>Every log line written while handling an update carries its id.</summary>
    private static readonly Func<ILogger, long, IDisposable?> UpdateScope = LoggerMessage.DefineScope<long>("Update {UpdateId}");

    /// <summary>Updates a lane holds; past that, intake does not wait: the inbox keeps them and the sweep brings them.</summary>
    private const int LaneCapacity = 1000;

    private readonly Channel<InboxItem>[] lanes;
    private readonly SemaphoreSlim sweepNow = new(0, 1);
    private readonly ConcurrentDictionary<long, byte> queued = new();
    private readonly Conversation conversation;
    private readonly IMessenger messenger;
    private readonly InboxRepository inbox;
    private readonly ChatTurns turns;
    private readonly DialogueStore dialogues;
    private readonly MemberRepository members;
    private readonly BotStartup startup;
    private readonly DatabaseReadiness readiness;
    private readonly StartupTimeline timeline;
    private readonly BaomingMetrics metrics;
    private readonly FloodGuard floods;
    private readonly GroupReplies groupReplies;
    private readonly ILogger<InboxProcessor> logger;

    public InboxProcessor(
        Conversation conversation,
        IMessenger messenger,
        InboxRepository inbox,
        ChatTurns turns,
        DialogueStore dialogues,
        MemberRepository members,
        BotStartup startup,
        DatabaseReadiness readiness,
        StartupTimeline timeline,
        BaomingMetrics metrics,
        FloodGuard floods,
        GroupReplies groupReplies,
        ILogger<InboxProcessor> logger)
    {
        this.floods = floods;
        this.groupReplies = groupReplies;
        this.metrics = metrics;
        this.startup = startup;
        this.readiness = readiness;
        this.timeline = timeline;
        this.conversation = conversation;
        this.messenger = messenger;
        this.inbox = inbox;
        this.turns = turns;
        this.dialogues = dialogues;
        this.members = members;
        this.logger = logger;
        lanes = [.. Enumerable.Range(0, LaneCount).Select(_ => Channel.CreateBounded<InboxItem>(new BoundedChannelOptions(LaneCapacity) { SingleReader = true }))];
    }

    /// <summary>
    /// Queues a stored update for handling (once, however often it is offered). Never waits: when its
    /// lane is full the update stays in the inbox and the sweep queues it once there is room, so one
    /// busy chat cannot make intake wait for every chat.
    /// </summary>
    public void Enqueue(InboxItem item)
    {
        if (queued.TryAdd(item.UpdateId, 0) && !lanes[(int)((ulong)item.ChatId % LaneCount)].Writer.TryWrite(item))
        {
            queued.TryRemove(item.UpdateId, out _);
            LogLaneFull(item.UpdateId);
            // At most one wake-up waits; more would add nothing.
            if (sweepNow.CurrentCount == 0)
            {
                try
                {
                    sweepNow.Release();
                }
                catch (SemaphoreFullException)
                {
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Replies need the bot's username (deep links), and the engine the prepared database (migrations,
        // sessions): both first, side by side. Intake goes on meanwhile; what it stores waits in the lanes and the inbox.
        var begun = StartupTimeline.Begin();
        var telegram = startup.ReadyAsync(stoppingToken);
        await readiness.WaitPreparedAsync(stoppingToken);
        await telegram;
        timeline.Ready(begun);

        // Once a shutdown begins, no new turn starts and the update in hand gets a grace period.
        using var handling = new CancellationTokenSource();
        await using var stopping = stoppingToken.Register(() => handling.CancelAfter(ShutdownGrace));
        var workers = lanes.Select(lane => RunLaneAsync(lane.Reader, stoppingToken, handling.Token)).ToList();
        workers.Add(SweepAsync(stoppingToken));
        await Task.WhenAll(workers);
    }

    /// <summary>At start everything left unhandled, then now and again whatever has waited too long.</summary>
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        var olderThan = TimeSpan.Zero;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                IReadOnlyList<InboxItem> waiting;
                try
                {
                    waiting = await Retry.UntilDoneAsync(ct => inbox.GetUnprocessedAsync(olderThan, ct), logger, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(e);
                    await Task.Delay(StaleAfter, stoppingToken);
                    continue;
                }

                if (waiting.Count > 0)
                {
                    LogResuming(waiting.Count);
                }

                foreach (var item in waiting)
                {
                    Enqueue(item);
                }

                if (await sweepNow.WaitAsync(StaleAfter, stoppingToken))
                {
                    // A lane was full: give the lanes a moment to drain, then queue what the inbox holds.
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    olderThan = TimeSpan.Zero;
                }
                else
                {
                    olderThan = StaleAfter;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunLaneAsync(ChannelReader<InboxItem> lane, CancellationToken stoppingToken, CancellationToken handlingToken)
    {
        // Updates this lane handled in an earlier turn of their chat, before their own place in the queue came.
        var handledEarly = new HashSet<long>();
        try
        {
            await foreach (var item in lane.ReadAllAsync(stoppingToken))
            {
                queued.TryRemove(item.UpdateId, out _);
                if (handledEarly.Remove(item.UpdateId))
                {
                    continue;
                }

                try
                {
                    await TakeTurnAsync(item, handledEarly, stoppingToken, handlingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A bug, loud and alone: the lane goes on after a pause. The update stays in the
                    // inbox unhandled, so the sweep offers it again; the lane never stops for good.
                    LogLaneFailed(e, item.UpdateId);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unhandled updates stay in the inbox for the next start or another instance.
        }
    }

    private async Task TakeTurnAsync(InboxItem item, HashSet<long> handledEarly, CancellationToken stoppingToken, CancellationToken handlingToken)
    {
        var turn = await WaitForTurnAsync(item.ChatId, stoppingToken);
        var handled = new List<long>(turn.Updates.Count);
        if (turn.Dialogue is { } dialogue)
        {
            dialogues.BeginTurn(turn.ChatId, dialogue);
        }

        try
        {
            foreach (var update in turn.Updates)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    break;
                }

                try
                {
                    await HandleAsync(update, handlingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Logged once here; the chat's next update goes on.
                    LogHandlerFailed(e, update.UpdateId);
                }

                handled.Add(update.UpdateId);
                metrics.UpdateHandled();
                if (update.UpdateId != item.UpdateId)
                {
                    if (handledEarly.Count >= 10_000)
                    {
                        handledEarly.Clear();
                    }

                    handledEarly.Add(update.UpdateId);
                }
            }
        }
        finally
        {
            // Before the lock goes: the next turn of this chat may be another instance's.
            dialogues.EndTurn(turn.ChatId);

            // A full turn may have stopped before this update: it gets its own place in the lane again.
            if (turn.Updates.Count >= ChatTurns.MaxUpdates && !handled.Contains(item.UpdateId) && !stoppingToken.IsCancellationRequested)
            {
                Enqueue(item);
            }

            // Recorded even while stopping: an update handled but not recorded would be handled again.
            try
            {
                await Retry.UntilDoneAsync(ct => turns.EndAsync(turn, handled, ct), logger, handlingToken);
            }
            catch (OperationCanceledException)
            {
                LogUnrecorded(handled.Count);
            }
        }
    }

    private async Task<ChatTurn> WaitForTurnAsync(long chatId, CancellationToken stoppingToken)
    {
        var pause = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(250));
        while (true)
        {
            if (await Retry.UntilDoneAsync(ct => turns.TryBeginAsync(chatId, ct), logger, stoppingToken) is { } turn)
            {
                return turn;
            }

            // Another instance is handling this chat; what it doesn't get to, this turn will.
            await pause.WaitAsync(stoppingToken);
        }
    }

    private async Task HandleAsync(InboxItem item, CancellationToken stoppingToken)
    {
        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(item.Payload, JsonBotAPI.Options);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The library cannot read it (a newer Bot API's shape): recorded, and the sender told what the bot can do.
            LogUnreadable(e, item.UpdateId);
            metrics.UpdateSkipped("unreadable");
            await Retry.UntilDoneAsync(ct => inbox.SkipAsync(item.UpdateId, item.ChatId, "unreadable: " + e.Message, ct), logger, stoppingToken);
            update = null;
        }

        var incoming = update is null ? UpdateMapper.FallbackFor(item.Payload) : UpdateMapper.ToIncoming(update);
        if (update?.MyChatMember is { Chat.Type: ChatType.Private, NewChatMember.Status: ChatMemberStatus.Kicked } blocked)
        {
            await Retry.UntilDoneAsync(ct => members.MarkUnreachableAsync(blocked.From.Id, ct), logger, stoppingToken);
            return;
        }

        if (update?.MyChatMember is { Chat.Type: ChatType.Private, NewChatMember.Status: ChatMemberStatus.Member } unblocked)
        {
            // Unblocked: no row is made here (they become a member when they write), an existing one is reachable again.
            await Retry.UntilDoneAsync(ct => members.MarkReachableAsync(unblocked.From.Id, ct), logger, stoppingToken);
            return;
        }

        if (incoming is null)
        {
            return;
        }

        using var scope = UpdateScope(logger, item.UpdateId);
        switch (floods.Check(incoming.From.UserId))
        {
            case FloodGuard.Verdict.Ignore:
                metrics.UpdateSkipped("flood");
                return;
            case FloodGuard.Verdict.Warn:
                LogFlooding(incoming.From.UserId);
                metrics.UpdateSkipped("flood");
                var slowDown = new Core.Replies.Texts(incoming.From.Language, TimeZoneInfo.Utc).SlowDown();
                await messenger.DeliverAsync(Core.Response.To(incoming.ChatId, slowDown), update?.CallbackQuery?.Id, stoppingToken);
                return;
        }

        var started = TimeProvider.System.GetTimestamp();
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

        if (!incoming.IsPrivate)
        {
            // Many "报名" in one group get one answer.
            response = response with { Messages = [.. response.Messages.Where(m => m.ChatId != incoming.ChatId || groupReplies.ShouldSend(m.ChatId, m.Reply.Text))] };
        }

        await messenger.DeliverAsync(response, update?.CallbackQuery?.Id, stoppingToken);
        var milliseconds = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
        LogHandled(incoming is Core.Incoming.ButtonPress ? "button press" : "message", milliseconds);
    }

    [LoggerMessage(EventId = 304, Level = LogLevel.Debug, Message = "Handled {Kind} in {Milliseconds:0.0} ms")]
    private partial void LogHandled(string kind, double milliseconds);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Picking up {Count} stored updates nobody has handled yet")]
    private partial void LogResuming(int count);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Could not record {Count} handled updates at shutdown; they will be handled again")]
    private partial void LogUnrecorded(int count);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Update {UpdateId} cannot be read as an update; recorded as skipped")]
    private partial void LogUnreadable(Exception exception, long updateId);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Handling the turn of update {UpdateId} failed; the lane goes on in 1 s")]
    private partial void LogLaneFailed(Exception exception, long updateId);

    [LoggerMessage(EventId = 307, Level = LogLevel.Error, Message = "Looking for unhandled updates failed; trying again later")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(EventId = 308, Level = LogLevel.Debug, Message = "Lane full: update {UpdateId} waits in the inbox for the sweep")]
    private partial void LogLaneFull(long updateId);

    [LoggerMessage(EventId = 309, Level = LogLevel.Information, Message = "Member {UserId} is sending too fast; told once, and ignored for a minute")]
    private partial void LogFlooding(long userId);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Handling update {UpdateId} failed")]
    private partial void LogHandlerFailed(Exception exception, long updateId);
}
