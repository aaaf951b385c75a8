using System.Net;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Web;

/// <summary>Webhook mode: Telegram posts updates; the bot stores each in the inbox before it answers 200.</summary>
public sealed class WebhookTests
{
    private static string SignUp(long member) => BotHarness.WithId(FakeBotApi.TextUpdate(member, "报名 元宇宙"), BotHarness.NewUpdateId());

    [Fact]
    public async Task The_webhook_is_registered_with_its_secret_and_what_Telegram_posts_is_handled()
    {
        await using var bot = await BotHarness.StartAsync(BotHarness.WebhookMode());
        await bot.WaitUntilReadyAsync();

        var webhook = bot.Telegram.Webhook;
        Assert.NotNull(webhook);
        Assert.Equal("https://bot.example.test/telegram/webhook", webhook.Url);
        Assert.Equal(BotHarness.WebhookSecret, webhook.SecretToken);
        Assert.Equal(["message", "edited_message", "callback_query", "my_chat_member"], webhook.AllowedUpdates);
        Assert.False(webhook.DropPendingUpdates);

        Assert.Equal(HttpStatusCode.OK, await bot.PostUpdateAsync(SignUp(7001)));
        var reply = await bot.Telegram.WaitForMessageAsync(7001, m => m.Text.Contains("报名成功", StringComparison.Ordinal));
        Assert.Contains("元宇宙", reply.Text);
        Assert.Equal(0, bot.Telegram.GetUpdatesCalls);

        Assert.Equal(HttpStatusCode.Unauthorized, await bot.PostUpdateAsync(SignUp(7001), secret: "wrong"));
        await bot.WaitUntilIdleAsync();
        var (status, metrics) = await bot.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, status);
        var lines = metrics.Split('\n');
        Assert.Contains("baoming_webhook_requests_total{outcome=\"stored\"} 1", lines);
        Assert.Contains("baoming_webhook_requests_total{outcome=\"unauthorized\"} 1", lines);
        Assert.Contains("baoming_updates_handled_total 1", lines);
        Assert.Contains("baoming_signups_total{outcome=\"confirmed\"} 1", lines);
        Assert.Contains("baoming_inbox_unprocessed 0", lines);
        Assert.Contains("baoming_database_up 1", lines);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong")]
    [InlineData(BotHarness.WebhookSecret + "x")]
    [InlineData("test-Secret_0123456789_abcdefghijX")]
    public async Task A_request_without_the_right_secret_is_refused_and_nothing_is_stored(string? secret)
    {
        await using var bot = await BotHarness.StartAsync(BotHarness.WebhookMode());

        Assert.Equal(HttpStatusCode.Unauthorized, await bot.PostUpdateAsync(SignUp(7002), secret));

        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from inbox"));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from members where id = 7002"));
    }

    [Fact]
    public async Task A_flood_of_wrong_secrets_is_logged_once_not_once_per_request()
    {
        await using var bot = await BotHarness.StartAsync(BotHarness.WebhookMode());

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await bot.PostUpdateAsync(SignUp(7004), secret: "wrong"));
        }

        var warnings = bot.Logs.Lines.Count(l => l.Contains("without the right secret", StringComparison.Ordinal));
        Assert.InRange(warnings, 1, 2);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"message\":{}}")]
    [InlineData("[]")]
    public async Task A_body_that_is_not_an_update_gets_400_and_nothing_is_stored(string body)
    {
        await using var bot = await BotHarness.StartAsync(BotHarness.WebhookMode());

        Assert.Equal(HttpStatusCode.BadRequest, await bot.PostUpdateAsync(body));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from inbox"));
    }

    [Fact]
    public async Task An_update_delivered_twice_at_once_is_handled_once()
    {
        await using var bot = await BotHarness.StartAsync(BotHarness.WebhookMode());
        var update = SignUp(7003);

        var answers = await Task.WhenAll(bot.PostUpdateAsync(update), bot.PostUpdateAsync(update));
        Assert.Equal(HttpStatusCode.OK, answers[0]);
        Assert.Equal(HttpStatusCode.OK, answers[1]);
        Assert.Equal(HttpStatusCode.OK, await bot.PostUpdateAsync(update));

        await bot.Telegram.WaitForMessageAsync(7003, m => m.Text.Contains("报名成功", StringComparison.Ordinal));
        await bot.WaitUntilIdleAsync();
        Assert.Single(bot.Telegram.MessagesTo(7003));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from inbox"));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = 7003"));
    }

    [Fact]
    public async Task While_the_database_is_down_the_webhook_answers_503_and_the_redelivery_succeeds()
    {
        var (connectionString, server) = await TestPostgres.StartDedicatedAsync();
        await using var bot = await BotHarness.StartAsync(BotHarness.WebhookMode(), connectionString: connectionString);
        await bot.WaitUntilReadyAsync();
        var update = SignUp(7004);

        await server.StopAsync(CancellationToken.None);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await bot.PostUpdateAsync(update));
        var (status, body) = await bot.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("database: Unhealthy", body);

        await using var restarted = await TestPostgres.RestartAsync(server);
        // Telegram delivers it again until it gets a 2xx; the first attempts may still meet a cold pool.
        var answer = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 20 && answer != HttpStatusCode.OK; attempt++)
        {
            answer = await bot.PostUpdateAsync(update);
            if (answer != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, answer);
                await Task.Delay(500);
            }
        }

        Assert.Equal(HttpStatusCode.OK, answer);
        await bot.Telegram.WaitForMessageAsync(7004, m => m.Text.Contains("报名成功", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await bot.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));
        Assert.Single(bot.Telegram.MessagesTo(7004));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = 7004"));
    }

    [Fact]
    public async Task Switching_back_to_polling_removes_the_webhook_and_polls()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        await using (var webhookBot = await BotHarness.StartAsync(BotHarness.WebhookMode(), telegram, database))
        {
            await webhookBot.WaitUntilReadyAsync();
            Assert.NotNull(telegram.Webhook);
        }

        await using var bot = await BotHarness.StartAsync(telegram: telegram, connectionString: database);
        var reply = await bot.AskAsync(7005, "报名 元宇宙");

        Assert.Contains("报名成功", reply.Text);
        Assert.Null(telegram.Webhook);
    }
}
