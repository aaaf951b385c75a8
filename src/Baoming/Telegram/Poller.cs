using System.Text.Json;
using Baoming.Inbox;
using Baoming.Members;
using Baoming.Storage;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Baoming.Telegram;

/// <summary>
/// Our own long-polling loop. Telegram.Bot's receiver confirms an update before it is handled; here
/// an update is confirmed (the next getUpdates offset moves past it) only once it is in the inbox.
/// While PostgreSQL is down the loop holds the batch and retries, so nothing is lost.
/// </summary>
public sealed partial class Poller(
    ITelegramBotClient client,
    InboxRepository inbox,
    InboxProcessor processor,
    IOptions<TelegramOptions> options,
    ILogger<Poller> logger) : BackgroundService
{
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery, UpdateType.MyChatMember];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // No waiting for getMe and the command menu (BotStartup): the first poll goes out beside them. What it
        // fetches is stored once the InboxProcessor has queued the previous run's leftovers (see Resumed).
        var offset = 0;
        var pause = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            Update[] updates;
            try
            {
                updates = await client.GetUpdates(
                    offset: offset,
                    limit: 100,
                    timeout: options.Value.PollTimeoutSeconds,
                    allowedUpdates: AllowedUpdates,
                    cancellationToken: stoppingToken);
                pause = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RequestException or HttpRequestException or TaskCanceledException)
            {
                // Telegram unreachable, 5xx, or 409 (another poller or a webhook): back off and try again.
                LogPollFailed(e, pause.TotalSeconds);
                await Task.Delay(pause, stoppingToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                continue;
            }

            if (updates.Length == 0)
            {
                continue;
            }

            await processor.Resumed.WaitAsync(stoppingToken);
            var items = updates.Select(u => new InboxItem(u.Id, UpdateMapper.ChatIdOf(u), JsonSerializer.Serialize(u, JsonBotAPI.Options))).ToList();
            var senders = updates.Select(UpdateMapper.SenderOf).OfType<MemberProfile>().ToList();
            var stored = await Retry.UntilDoneAsync(ct => inbox.StoreAsync(items, senders, ct), logger, stoppingToken);

            var isNew = stored.ToHashSet();
            foreach (var item in items.Where(i => isNew.Contains(i.UpdateId)))
            {
                await processor.EnqueueAsync(item, stoppingToken);
            }

            offset = updates[^1].Id + 1;
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "getUpdates failed; trying again in {Seconds} s")]
    private partial void LogPollFailed(Exception exception, double seconds);
}
