using Baoming.Messaging;
using Baoming.Storage;
using Baoming.Telegram.Intake;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Telegram.Bot;

namespace Baoming.Telegram;

public static class TelegramExtensions
{
    /// <summary>The Bot API client, the inbox (intake, handling), the poller, the Telegram messenger, and the daily retention schedule.</summary>
    public static IServiceCollection AddTelegram(this IServiceCollection services)
    {
        services.AddHttpClient("telegram")
            .ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(90))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Replies to a burst go out in parallel; keep connections warm and reuse them.
                MaxConnectionsPerServer = InboxProcessor.LaneCount + 4,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            })
            // Every Bot API URL contains the token: no HTTP logging, ever.
            .RemoveAllLoggers()
            .AddTypedClient<ITelegramBotClient>((http, sp) =>
            {
                var options = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
                // 429s are handled by the senders, which know whether waiting is right.
                return new TelegramBotClient(new TelegramBotClientOptions(options.BotToken!, options.ApiBaseUrl) { RetryThreshold = 0 }, http);
            });

        services.AddSingleton<BotStartup>();
        services.AddSingleton<TelegramMessenger>();
        services.AddSingleton<IMessenger>(sp => sp.GetRequiredService<TelegramMessenger>());
        services.AddSingleton<ChatThrottles>(_ => new ChatThrottles(TimeProvider.System));
        services.AddSingleton<DeferredReplies>();
        services.AddHostedService<DeferredReplySender>();
        services.AddSingleton<ChatTurns>();
        services.AddSingleton<InboxProcessor>();
        services.AddSingleton(_ => new FloodGuard(TimeProvider.System));
        services.AddSingleton(_ => new GroupReplies(TimeProvider.System));
        services.AddSingleton<InboxRepository>();
        services.AddSingleton<InboxIntake>();
        // The inbox's handled updates are deleted by Storage's daily retention job, planted here as before.
        services.AddRetentionSchedule();
        services.AddHostedService(sp => sp.GetRequiredService<InboxProcessor>());
        // Polling mode; in webhook mode updates arrive through the web endpoint instead (Intake/WebhookEndpoint, mapped by MapTelegram).
        services.AddSingleton<PollingLease>();
        services.AddHostedService<Poller>();
        return services;
    }

    /// <summary>Webhook mode: <c>POST</c> on the path of <c>Telegram:WebhookUrl</c>; in polling mode nothing is mapped.</summary>
    public static void MapTelegram(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<TelegramOptions>>().Value is { Mode: TelegramMode.Webhook } telegram)
        {
            endpoints.MapTelegramWebhook(telegram);
        }
    }
}
