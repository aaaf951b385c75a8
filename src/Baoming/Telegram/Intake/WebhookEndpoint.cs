using System.Security.Cryptography;
using System.Text;
using Baoming.Hosting;
using Baoming.Metrics;
using Baoming.Platform;
using Baoming.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baoming.Telegram.Intake;

/// <summary>
/// Webhook mode's intake: Telegram posts each update to the path of <c>Telegram:WebhookUrl</c>. The
/// secret header is checked first (in constant time); the update is stored in the inbox before the
/// 200 goes back, so an answer of 503 while the database is down makes Telegram deliver it again. During
/// start-up the request waits (up to <see cref="StartupWait"/>) for the migrations, then is stored; past that
/// it is answered 503 too, and Telegram retries it (it retries any non-2xx answer, with back-off).
/// </summary>
public static partial class WebhookEndpoint
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    /// <summary>How long a request that comes before the migrations are applied waits for them before it is answered 503.</summary>
    public static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder endpoints, TelegramOptions options)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.WebhookSecret!));
        // At most one "wrong secret" line per remote address and 10 s: a scanner or a misconfigured sender
        // would otherwise write a line per request. Every refusal is still counted in
        // baoming_webhook_requests_total{outcome="unauthorized"}; 1024 addresses bound the memory.
        var refusals = new OncePerWindow<string>(TimeSpan.FromSeconds(10), capacity: 1024, endpoints.ServiceProvider.GetRequiredService<TimeProvider>());
        endpoints.MapPost(options.WebhookUri!.AbsolutePath, async (HttpContext http, InboxIntake intake, DatabaseReadiness readiness, BaomingMetrics metrics, ILoggerFactory loggers) =>
        {
            var (result, outcome) = await ReceiveAsync(http, expected, refusals, intake, readiness, loggers.CreateLogger(typeof(WebhookEndpoint).FullName!));
            metrics.WebhookReceived(outcome);
            return result;
        });
        return endpoints;
    }

    private static async Task<(IResult Result, string Outcome)> ReceiveAsync(
        HttpContext http, byte[] expected, OncePerWindow<string> refusals, InboxIntake intake, DatabaseReadiness readiness, ILogger logger)
    {
        // Hashes have one length whatever was sent, so the comparison's time says nothing about the secret.
        var sent = SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers[SecretHeader].ToString()));
        if (!CryptographicOperations.FixedTimeEquals(sent, expected))
        {
            var remote = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (refusals.TryPass(remote) is { } suppressed)
            {
                LogUnauthorized(logger, remote, suppressed, refusals.Window.TotalSeconds);
            }

            return (Results.Unauthorized(), "unauthorized");
        }

        // Read as sent, not through the library's types: fields and enum values newer than it are kept.
        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(http.RequestAborted);
        }

        if (ReceivedUpdate.Read(body) is not { UpdateId: > 0 } update)
        {
            LogMalformed(logger, body.Length);
            return (Results.BadRequest("Not a Telegram update."), "malformed");
        }

        if (!readiness.IsMigrated)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            wait.CancelAfter(StartupWait);
            try
            {
                await readiness.WaitMigratedAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
            {
                // Still starting: not stored, so not 200; Telegram delivers it again.
                LogStarting(logger, update.UpdateId);
                return (Results.StatusCode(StatusCodes.Status503ServiceUnavailable), "starting");
            }
        }

        try
        {
            var stored = await intake.AcceptAsync([update], http.RequestAborted);
            return (Results.Ok(), stored > 0 ? "stored" : "duplicate");
        }
        catch (Exception e) when (Retry.IsOutage(e))
        {
            // Not stored: Telegram delivers it again later, so nothing is lost.
            LogUnavailable(logger, update.UpdateId, e.GetBaseException().Message);
            return (Results.StatusCode(StatusCodes.Status503ServiceUnavailable), "unavailable");
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "Webhook request from {Remote} without the right secret; refused ({Suppressed} earlier ones from there not logged: at most one line per {WindowSeconds} s per address)")]
    private static partial void LogUnauthorized(ILogger logger, string remote, int suppressed, double windowSeconds);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Webhook request body ({Length} characters) is not an update; refused")]
    private static partial void LogMalformed(ILogger logger, int length);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "Update {UpdateId} not stored: still starting (migrations not yet applied); Telegram will deliver it again")]
    private static partial void LogStarting(ILogger logger, long updateId);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Update {UpdateId} not stored: database unavailable ({Reason}); Telegram will deliver it again")]
    private static partial void LogUnavailable(ILogger logger, long updateId, string reason);
}
