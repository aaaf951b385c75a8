using Baoming.Hosting;
using Baoming.Platform;
using Baoming.Storage;

namespace Baoming.Telegram;

/// <summary>
/// Sends the replies that waited for a throttled chat (<see cref="DeferredReplies"/>) once they are
/// due, on every instance (claims keep them apart), so no lane ever waits out a chat's 429.
/// </summary>
public sealed partial class DeferredReplySender(DeferredReplies replies, TelegramMessenger messenger, ILogger<DeferredReplySender> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    // What was claimed when a pass fails comes back when the claim runs out; nothing is dropped.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync(SendDueAsync, Tick, TimeSpan.FromSeconds(5), LogFailed, stoppingToken);

    private async Task SendDueAsync(CancellationToken stoppingToken)
    {
        var due = await Retry.UntilDoneAsync(replies.ClaimDueAsync, logger, stoppingToken);
        var held = new HashSet<long>();
        foreach (var reply in due)
        {
            var chatId = reply.Message.ChatId;
            if (held.Contains(chatId))
            {
                // An earlier reply to this chat waits again; the later ones wait behind it.
                continue;
            }

            // Sending cannot be taken back: once it has gone, the row is deleted even while stopping.
            if (await messenger.TrySendDeferredAsync(reply.Message, stoppingToken) is { } wait)
            {
                held.Add(chatId);
                await Retry.UntilDoneAsync(ct => replies.PostponeAsync(chatId, wait, ct), logger, CancellationToken.None);
            }
            else
            {
                await Retry.UntilDoneAsync(ct => replies.DoneAsync(reply.Id, ct), logger, CancellationToken.None);
            }
        }

        foreach (var chatId in held)
        {
            LogStillThrottled(chatId);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Error, Message = "Sending queued replies failed; trying again in 5 s")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(EventId = 211, Level = LogLevel.Debug, Message = "Chat {ChatId} is still throttled; its queued replies wait")]
    private partial void LogStillThrottled(long chatId);
}
