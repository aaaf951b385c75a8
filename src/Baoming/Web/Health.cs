using System.Text;
using Baoming.Platform;
using Baoming.Storage;
using Baoming.Telegram;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Baoming.Web;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the database, its migrations and Telegram.</summary>
public static partial class Health
{
    private const string Ready = "ready";

    public static IServiceCollection AddBotHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<TelegramCheck>("telegram", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapBotHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return endpoints;
    }

    /// <summary>The overall status, then one line per check, so an operator sees what is missing.</summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var text = new StringBuilder().Append(report.Status).Append('\n');
        foreach (var (name, entry) in report.Entries)
        {
            text.Append(name).Append(": ").Append(entry.Status);
            if (entry.Description is { Length: > 0 } description)
            {
                text.Append(" (").Append(description).Append(')');
            }

            text.Append('\n');
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(text.ToString());
    }

    [LoggerMessage(EventId = 950, Level = LogLevel.Warning, Message = "Readiness: the database is unreachable")]
    private static partial void LogDatabaseUnreachable(ILogger logger, Exception exception);

    private sealed class DatabaseCheck(NpgsqlDataSource dataSource, ILogger<DatabaseCheck> logger) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            const string Sql = "select count(*) from schema_migrations where version = any(@versions)";
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var versions = Migrator.Scripts.Select(s => s.Version).ToArray();
                var applied = await connection.ExecuteScalarAsync<int>(new CommandDefinition(Sql, new { versions }, cancellationToken: cancellationToken));
                return applied == versions.Length
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"{versions.Length - applied} migrations not applied");
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException || Retry.IsOutage(e))
            {
                // The body is public (a balancer's probe, anyone who asks): the reason goes to the log, where
                // Npgsql's text (host, port, database) may be read by the operator only.
                LogDatabaseUnreachable(logger, e);
                return HealthCheckResult.Unhealthy("unreachable");
            }
        }
    }

    private sealed class TelegramCheck(BotStartup startup) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(startup.IsReady
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("waiting for Telegram to answer getMe (and setWebhook in webhook mode)"));
    }
}
