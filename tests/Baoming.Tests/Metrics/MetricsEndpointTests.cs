using System.Net;
using System.Net.Sockets;
using Baoming.Jobs;
using Baoming.Metrics;
using Baoming.Storage;
using Baoming.Tests.Infrastructure;
using Dapper;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Baoming.Tests.Metrics;

/// <summary>
/// <c>MapBaomingMetrics</c> on a small web app of its own (real Kestrel, real HTTP), with the storage
/// services only: the bot's own web host is tested end to end where it is built.
/// </summary>
public sealed class MetricsEndpointTests
{
    private static async Task<WebApplication> StartAsync(string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddStorage(connectionString).AddJobs().AddBaomingMetrics();
        var app = builder.Build();
        app.MapBaomingMetrics();
        await app.StartAsync();
        return app;
    }

    private static async Task<HttpResponseMessage> GetMetricsAsync(WebApplication app)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        return await client.GetAsync(new Uri("/metrics", UriKind.Relative));
    }

    [Fact]
    public async Task The_gauges_read_the_inbox_the_ledger_and_the_job_queue_of_the_database()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var app = await StartAsync(connectionString);
        await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        await JobsExtensions.InstallSchemaAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), CancellationToken.None);
        app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => QueuedJob.Nothing());
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.ExecuteAsync("""
                insert into inbox (update_id, chat_id, payload, received_at, processed_at) values
                    (1, 10, '{}', now() - interval '90 seconds', null),
                    (2, 10, '{}', now() - interval '30 seconds', null),
                    (3, 10, '{}', now() - interval '1 hour', now());
                -- 4 pending and 1 sending; 25 sent just now and 5 a minute ago; 2 blocked.
                insert into deliveries (topic, member_id, state, updated_at)
                select 'broadcast:1', g,
                       case when g <= 4 then 'pending' when g = 5 then 'sending' when g <= 35 then 'sent' else 'blocked' end,
                       case when g <= 30 then now() else now() - interval '1 minute' end
                  from generate_series(1, 37) g;
                """);
        }

        using var response = await GetMetricsAsync(app);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("""
            # HELP baoming_deliveries_pending Delivery ledger rows pending or being sent (all fan-outs).
            # TYPE baoming_deliveries_pending gauge
            baoming_deliveries_pending 5
            # HELP baoming_jobs_enqueued Hangfire jobs queued and not yet picked up by a worker.
            # TYPE baoming_jobs_enqueued gauge
            baoming_jobs_enqueued 1
            # HELP baoming_send_rate_per_second Fan-out messages Telegram accepted per second over the last 10 s, all instances (delivery ledger).
            # TYPE baoming_send_rate_per_second gauge
            baoming_send_rate_per_second 2.5

            """, text);
        var samples = MetricsScrape.Samples(text);
        Assert.Equal(1, samples["baoming_database_up"]);
        Assert.Equal(2, samples["baoming_inbox_unprocessed"]);
        Assert.InRange(samples["baoming_inbox_lag_seconds"], 90, 120);
        Assert.Equal(0, samples["baoming_signups_total{outcome=\"confirmed\"}"]);
    }

    [Fact]
    public async Task With_the_database_down_the_scrape_still_answers_with_the_counters()
    {
        await using var app = await StartAsync($"Host=127.0.0.1;Port={UnusedPort()};Username=baoming;Database=baoming");
        app.Services.GetRequiredService<BaomingMetrics>().UpdateHandled();

        using var response = await GetMetricsAsync(app);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("""
            # TYPE baoming_webhook_requests_total counter
            baoming_webhook_requests_total{outcome="duplicate"} 0
            baoming_webhook_requests_total{outcome="malformed"} 0
            baoming_webhook_requests_total{outcome="stored"} 0
            baoming_webhook_requests_total{outcome="unauthorized"} 0
            baoming_webhook_requests_total{outcome="unavailable"} 0
            # HELP baoming_database_up 1 when this scrape could read PostgreSQL, else 0 (and the database gauges are missing).
            # TYPE baoming_database_up gauge
            baoming_database_up 0

            """, text);
        Assert.Contains("\nbaoming_updates_handled_total 1\n", text);
        Assert.DoesNotContain("baoming_inbox_unprocessed", text);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A job for Hangfire's queue, never run: there is no Hangfire server here.</summary>
public static class QueuedJob
{
    public static void Nothing()
    {
    }
}
