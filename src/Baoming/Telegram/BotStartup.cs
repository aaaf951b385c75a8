using Baoming.Community;
using Baoming.Platform;
using Baoming.Storage;
using Baoming.Telegram.Intake;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace Baoming.Telegram;

/// <summary>
/// At start-up: getMe (the bot's username is needed for deep links), the command menu in Chinese and
/// English (a failing menu is only a warning; the bot works without it), and in webhook mode the
/// webhook, registered with its secret and the update types the bot handles.
/// </summary>
public sealed partial class BotStartup(
    ITelegramBotClient client, BotIdentity identity, IOptions<TelegramOptions> options, StartupTimeline timeline, ILogger<BotStartup> logger)
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int started;

    /// <summary>Telegram answered getMe (and, in webhook mode, accepted the webhook).</summary>
    public bool IsReady => ready.Task.IsCompletedSuccessfully;

    /// <summary>Runs the start-up calls once; every caller waits for the same run.</summary>
    public async Task ReadyAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref started, 1) == 0)
        {
            await RunAsync(cancellationToken);
            ready.TrySetResult();
        }

        await ready.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var begun = StartupTimeline.Begin();
        var me = await UntilAnsweredAsync("getMe", ct => client.GetMe(ct), cancellationToken);
        identity.Username = me.Username ?? identity.Username;
        LogConnected(identity.Username);
        timeline.Step("getMe", begun);

        begun = StartupTimeline.Begin();
        // Both menus at once: neither waits for the other, and a failing one is only a warning.
        await Task.WhenAll(
            SetCommandsAsync(null, [("signup", "报名选题会"), ("my", "我的报名"), ("cancel", "取消报名"), ("help", "帮助")], cancellationToken),
            SetCommandsAsync("en", [("signup", "Sign up for a session"), ("my", "My sign-ups"), ("cancel", "Cancel a sign-up"), ("help", "Help")], cancellationToken));
        timeline.Step("setMyCommands", begun);

        if (options.Value is { Mode: TelegramMode.Webhook, WebhookUri: { } url, WebhookSecret: var secret })
        {
            begun = StartupTimeline.Begin();
            // Every instance registers the same webhook: repeating it is harmless. Updates Telegram holds
            // (e.g. from polling days) are delivered to it, not dropped.
            await UntilAnsweredAsync("setWebhook", async ct =>
            {
                await client.SetWebhook(
                    url: url.AbsoluteUri,
                    allowedUpdates: Poller.AllowedUpdates,
                    secretToken: secret,
                    dropPendingUpdates: false,
                    cancellationToken: ct);
                return true;
            }, cancellationToken);
            // Only the host: some operators put a secret in the webhook path.
            LogWebhookSet(url.Host);
            timeline.Step("setWebhook", begun);
        }
    }

    /// <summary>Calls Telegram until it answers: a start-up step the bot cannot do without.</summary>
    private async Task<T> UntilAnsweredAsync<T>(string method, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var pause = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 401)
            {
                // A wrong token never heals by waiting: say so clearly, and keep trying slowly in case it is rotated.
                LogUnauthorized();
                await Task.Delay(TimeSpan.FromSeconds(60), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Telegram unreachable, or an answer the library cannot read: logged, and tried again.
                LogCallFailed(e, method, pause.Current.TotalSeconds);
                await pause.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task SetCommandsAsync(string? languageCode, (string Command, string Description)[] commands, CancellationToken cancellationToken)
    {
        try
        {
            await client.SetMyCommands(
                commands: commands.Select(c => new BotCommand { Command = c.Command, Description = c.Description }),
                languageCode: languageCode,
                cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCommandsFailed(e, languageCode ?? "default");
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Connected to Telegram as @{Username}")]
    private partial void LogConnected(string username);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Telegram rejected the bot token (401 Unauthorized). Check Telegram:BotToken.")]
    private partial void LogUnauthorized();

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "{Method} failed; trying again in {Seconds} s")]
    private partial void LogCallFailed(Exception exception, string method, double seconds);

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "Webhook set: Telegram posts updates to {Host}")]
    private partial void LogWebhookSet(string host);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Setting the command menu ({Language}) failed; carrying on without it")]
    private partial void LogCommandsFailed(Exception exception, string language);
}
