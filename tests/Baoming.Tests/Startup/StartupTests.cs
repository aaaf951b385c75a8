using System.Net;
using Baoming.Storage;
using Baoming.Telegram.Intake;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Baoming.Tests.Startup;

/// <summary>
/// <c>run</c> polls, and answers the webhook, while the database is still being prepared: what arrives meanwhile is
/// held without being confirmed to Telegram, stored once the migrations are applied, and answered once the engine
/// is ready — never lost, never handled twice.
/// </summary>
public sealed class StartupTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_update_polled_before_the_migrations_finish_is_not_confirmed_until_stored_and_is_answered_once()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        const long Reader = 9_101;
        var updateId = telegram.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, "报名 元宇宙"));

        // The migrations wait for their lock, as they would while another instance migrates.
        var migrationsLock = await HoldMigrationsLockAsync(connectionString);
        await using var bot = await RunningBot.StartAsync(telegram, connectionString);

        // The first getUpdates goes out without waiting for the migrations, and brings the update.
        await telegram.WaitForGetUpdatesCallAsync(1, Long);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(bot.Readiness.IsMigrated);
        // Held in memory, not confirmed: no later getUpdates (its offset would confirm it), nothing answered.
        Assert.Equal(1, telegram.GetUpdatesCalls);
        Assert.Equal(1, telegram.PendingUpdates);
        Assert.Empty(telegram.MessagesTo(Reader));

        await migrationsLock.DisposeAsync();
        await telegram.WaitForMessageAsync(Reader, m => m.Text.Contains("报名成功", StringComparison.Ordinal), Long);
        await telegram.WaitUntilConfirmedAsync(updateId, Long);
        // Time for a second answer to show, were the update handled twice.
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Single(telegram.MessagesTo(Reader), m => m.Text.Contains("报名成功", StringComparison.Ordinal));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from inbox where update_id = @updateId and processed_at is not null", new { updateId = (long)updateId }));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = @Reader", new { Reader }));
        Assert.Equal(0, await bot.StopAsync());
    }

    [Fact]
    public async Task A_webhook_post_during_start_up_is_answered_200_only_once_stored_and_is_handled_once()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        const long Reader = 9_102;
        var migrationsLock = await HoldMigrationsLockAsync(connectionString);
        await using var bot = await RunningBot.StartAsync(telegram, connectionString, BotHarness.WebhookMode());

        // The probes answer from the start (not ready yet); pages that read the database wait for it.
        using var http = new HttpClient { BaseAddress = bot.BaseAddress, Timeout = Long };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri("/dashboard/login", UriKind.Relative))).StatusCode);

        var updateId = BotHarness.NewUpdateId();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/telegram/webhook", UriKind.Relative))
        {
            Content = new StringContent(BotHarness.WithId(FakeBotApi.TextUpdate(Reader, "报名 元宇宙"), updateId), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookEndpoint.SecretHeader, BotHarness.WebhookSecret);
        var posting = http.SendAsync(request);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        // Not stored yet (no inbox before the migrations): no 200 that would tell Telegram it arrived.
        Assert.False(posting.IsCompleted);

        await migrationsLock.DisposeAsync();
        using (var response = await posting)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await telegram.WaitForMessageAsync(Reader, m => m.Text.Contains("报名成功", StringComparison.Ordinal), Long);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(telegram.MessagesTo(Reader), m => m.Text.Contains("报名成功", StringComparison.Ordinal));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from inbox where update_id = @updateId", new { updateId = (long)updateId }));
    }

    /// <summary>Holds the lock the migrations take (another instance migrating) until disposed.</summary>
    private static async Task<NpgsqlConnection> HoldMigrationsLockAsync(string connectionString)
    {
        // Unpooled: closing it ends the session, and the lock with it (a pooled one would keep both).
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("select pg_advisory_lock(@key)", new { key = AdvisoryLocks.Migrations });
        return connection;
    }
}
