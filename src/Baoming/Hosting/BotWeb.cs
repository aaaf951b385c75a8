using Baoming.Attendance;
using Baoming.Metrics;
using Baoming.Platform;
using Baoming.Storage;
using Baoming.Telegram;
using Baoming.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Baoming.Hosting;

/// <summary>The <c>run</c> host: the Telegram channel, the job runners, and the HTTP endpoints around them.</summary>
public static class BotWeb
{
    /// <summary>Paths that answer while the database is still being prepared: the probes, and the webhook (which waits for the inbox itself).</summary>
    private static readonly string[] ServedWhilePreparing = ["/healthz", "/readyz", "/metrics"];

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<HttpOptions, HttpOptionsValidator>().BindConfiguration(HttpOptions.Section);
        builder.Services.AddTelegram().AddJobRunners().AddBotHealth().AddBotDashboard();
        // Intake first; what needs the prepared database starts once it is (run prepares it beside the start).
        StartupOrder.Apply(builder.Services);

        var app = builder.Build();
        app.Use(AnswerOnlyProbesWhilePreparing(app));
        app.MapBotHealth();
        app.MapBaomingMetrics();
        app.MapBotDashboard();
        app.MapAttendance();
        app.MapTelegram();
        return app;
    }

    /// <summary>
    /// The dashboard and the check-in links read tables a pending migration may still create or change: until the
    /// database is prepared they answer 503 with Retry-After, as a balancer and a browser understand.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> AnswerOnlyProbesWhilePreparing(WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<DatabaseReadiness>();
        var webhookPath = app.Services.GetRequiredService<IOptions<TelegramOptions>>().Value is { Mode: TelegramMode.Webhook, WebhookUri: { } uri } ? uri.AbsolutePath : null;
        return (http, next) =>
        {
            if (readiness.IsPrepared || ServedWhilePreparing.Contains(http.Request.Path.Value, StringComparer.Ordinal)
                || (webhookPath is not null && string.Equals(http.Request.Path.Value, webhookPath, StringComparison.Ordinal)))
            {
                return next(http);
            }

            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "1";
            return Task.CompletedTask;
        };
    }
}
