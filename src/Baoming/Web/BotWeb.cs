using Baoming.Jobs;
using Baoming.Telegram;
using Microsoft.AspNetCore.Builder;

namespace Baoming.Web;

/// <summary>The <c>run</c> host: the Telegram channel, the job server, and the HTTP endpoints around them.</summary>
public static class BotWeb
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<HttpOptions, HttpOptionsValidator>().BindConfiguration(HttpOptions.Section);
        builder.Services.AddTelegram().AddJobServer().AddBotHealth().AddBotDashboard();

        var app = builder.Build();
        app.MapBotHealth();
        app.MapBotDashboard();
        if (app.Services.GetRequiredService<IOptions<TelegramOptions>>().Value is { Mode: TelegramMode.Webhook } telegram)
        {
            app.MapTelegramWebhook(telegram);
        }

        return app;
    }
}
