using Baoming.Attendance;
using Baoming.Metrics;
using Baoming.Platform;
using Baoming.Telegram;
using Baoming.Web;
using Microsoft.AspNetCore.Builder;

namespace Baoming.Hosting;

/// <summary>The <c>run</c> host: the Telegram channel, the job runners, and the HTTP endpoints around them.</summary>
public static class BotWeb
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<HttpOptions, HttpOptionsValidator>().BindConfiguration(HttpOptions.Section);
        builder.Services.AddTelegram().AddJobRunners().AddBotHealth().AddBotDashboard();

        var app = builder.Build();
        app.MapBotHealth();
        app.MapBaomingMetrics();
        app.MapBotDashboard();
        app.MapAttendance();
        app.MapTelegram();
        return app;
    }
}
