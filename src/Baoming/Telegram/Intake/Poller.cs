using Baoming.Platform;
using Baoming.Storage;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Baoming.Telegram.Intake;

/// <summary>
/// Our own long-polling loop. Telegram.Bot's receiver confirms an update before it is handled; here
/// an update is confirmed (the next getUpdates offset moves past it) only once it is in the inbox.
/// While PostgreSQL is down the loop holds the batch and retries, so nothing is lost. Of several
/// instances only the holder of the <see cref="PollingLease"/> polls; the others stand by. It starts before the
/// database is prepared: a batch that comes meanwhile is held in memory, unconfirmed, until the migrations are
/// applied and it is stored (<see cref="InboxIntake"/>).
/// </summary>
public sealed partial class Poller(
    ITelegramBotClient client,
    PollingLease lease,
    InboxIntake intake,
    StartupTimeline timeline,
    IOptions<TelegramOptions> options,
    ILogger<Poller> logger) : BackgroundService
{
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery, UpdateType.MyChatMember];

    /// <summary>How often a standing-by instance checks whether the poller is gone.</summary>
    public static readonly TimeSpan StandbyCheck = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Mode != TelegramMode.Polling)
        {
            return;
        }

        // Stopping lets go of the lease at once, so a standing-by instance takes over.
        await using var held = lease;
        // No waiting for getMe and the command menu (BotStartup), nor for the migrations: the first poll goes out beside them.
        var begun = StartupTimeline.Begin();
        var offset = 0;
        bool? polling = null;
        var pause = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await Retry.UntilDoneAsync(lease.HoldAsync, logger, stoppingToken))
                {
                    if (polling != false)
                    {
                        LogStandingBy();
                    }

                    polling = false;
                    await Task.Delay(StandbyCheck, stoppingToken);
                    continue;
                }

                if (polling != true)
                {
                    polling = true;
                    offset = 0;
                    LogPolling();
                }

                timeline.FirstPoll(begun);
                offset = await PollOnceAsync(offset, stoppingToken);
                pause.Reset();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Telegram unreachable, or a bug: either way say so, wait a little longer each time, and go on.
                // Nothing was confirmed: the same updates come again.
                if (e is RequestException or HttpRequestException or TaskCanceledException)
                {
                    LogPollFailed(e, pause.Current.TotalSeconds);
                }
                else
                {
                    LogPollCrashed(e, offset, pause.Current.TotalSeconds);
                }

                if (e is ApiRequestException { ErrorCode: 409 })
                {
                    // A webhook is still set (the mode was Webhook before): switch back to polling.
                    await DeleteWebhookAsync(stoppingToken);
                }

                await pause.WaitAsync(stoppingToken);
            }
        }
    }

    /// <summary>One getUpdates; the updates are stored before the returned offset confirms them.</summary>
    private async Task<int> PollOnceAsync(int offset, CancellationToken stoppingToken)
    {
        var batch = await client.SendRequest(
            new RawUpdatesRequest { Offset = offset, Limit = 100, Timeout = options.Value.PollTimeoutSeconds, AllowedUpdates = AllowedUpdates },
            stoppingToken);
        if (batch.Length == 0)
        {
            return offset;
        }

        var updates = new List<ReceivedUpdate>(batch.Length);
        foreach (var element in batch)
        {
            if (ReceivedUpdate.Read(element) is { } update)
            {
                updates.Add(update);
            }
            else
            {
                // Without an update_id it can be neither stored nor told apart; confirming the batch drops it.
                LogNotAnUpdate();
            }
        }

        await Retry.UntilDoneAsync(ct => intake.AcceptAsync(updates, ct), logger, stoppingToken);
        return updates.Count == 0 ? offset : (int)Math.Max(offset, updates.Max(u => u.UpdateId) + 1);
    }

    private async Task DeleteWebhookAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Updates waiting for the webhook stay with Telegram and come by getUpdates instead.
            await client.DeleteWebhook(dropPendingUpdates: false, cancellationToken: cancellationToken);
            LogWebhookDeleted();
        }
        catch (RequestException e)
        {
            LogWebhookDeleteFailed(e);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "getUpdates failed; trying again in {Seconds} s")]
    private partial void LogPollFailed(Exception exception, double seconds);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "Polling failed unexpectedly at offset {Offset}; trying again in {Seconds} s")]
    private partial void LogPollCrashed(Exception exception, int offset, double seconds);

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "getUpdates returned an element without an update_id; skipped")]
    private partial void LogNotAnUpdate();

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Polling Telegram for updates")]
    private partial void LogPolling();

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Another instance is polling Telegram; standing by to take over")]
    private partial void LogStandingBy();

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Removed the webhook so that polling can take over")]
    private partial void LogWebhookDeleted();

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "deleteWebhook failed")]
    private partial void LogWebhookDeleteFailed(Exception exception);
}
