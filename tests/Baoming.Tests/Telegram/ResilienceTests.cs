using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Telegram;

/// <summary>Outages and bad answers: the bot keeps working and loses or duplicates nothing.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task Sign_ups_arriving_while_PostgreSQL_restarts_are_each_stored_exactly_once()
    {
        var (connectionString, server) = await TestPostgres.StartDedicatedAsync();
        await using var bot = await BotHarness.StartAsync(connectionString: connectionString);
        const int Members = 40;

        // Half arrive before the outage, half while the database is down.
        for (var i = 0; i < Members / 2; i++)
        {
            bot.Say(8000 + i, "报名 元宇宙");
        }

        await server.StopAsync(CancellationToken.None);
        var lastId = 0;
        for (var i = Members / 2; i < Members; i++)
        {
            lastId = bot.Say(8000 + i, "报名 元宇宙");
        }

        // While PostgreSQL is down nothing past the stored batch may be acknowledged to Telegram.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(bot.Telegram.PendingUpdates > 0, "updates were acknowledged although they could not be stored");

        await using var restarted = await TestPostgres.RestartAsync(server);
        for (var i = 0; i < Members; i++)
        {
            await bot.Telegram.WaitForMessageAsync(8000 + i, m => m.Text.Contains("报名成功", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        }

        await bot.Telegram.WaitUntilConfirmedAsync(lastId, TimeSpan.FromSeconds(30));
        await bot.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Members, await bot.ScalarAsync<long>("select count(*) from registrations where status = 'confirmed'"));
        Assert.Equal(Members, await bot.ScalarAsync<long>("select confirmed_count from sessions where key = 'metaverse'"));
        for (var i = 0; i < Members; i++)
        {
            Assert.Single(bot.Telegram.MessagesTo(8000 + i), m => m.Text.Contains("报名成功", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Telegram_errors_at_start_up_and_while_polling_do_not_stop_the_bot()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        telegram.FailNext("setMyCommands", 500, "Internal Server Error", times: 2);
        telegram.FailNextWithBadGateway("getUpdates", times: 2);
        await using var bot = await BotHarness.StartAsync(telegram: telegram);

        var reply = await bot.AskAsync(5001, "报名 元宇宙");

        Assert.Contains("报名成功", reply.Text);
        Assert.Contains(bot.Logs.Lines, l => l.Contains("command menu", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reply_refused_with_429_is_sent_after_the_wait_Telegram_asks_for()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        telegram.FailNext("sendMessage", 429, "Too Many Requests: retry after 1", retryAfter: 1);
        await using var bot = await BotHarness.StartAsync(telegram: telegram);

        var reply = await bot.AskAsync(5001, "报名 元宇宙");

        Assert.Contains("报名成功", reply.Text);
        Assert.Single(bot.Telegram.MessagesTo(5001));
    }

    [Fact]
    public async Task A_member_who_blocked_the_bot_is_marked_unreachable()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        telegram.BlockChat(5001);
        await using var bot = await BotHarness.StartAsync(telegram: telegram);

        bot.Say(5001, "报名 元宇宙");
        await bot.WaitUntilIdleAsync();

        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from members where id = 5001 and unreachable_at is not null"));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = 5001"));
    }

    [Fact]
    public async Task The_bot_token_never_appears_in_the_logs()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        telegram.FailNextWithBadGateway("getUpdates", times: 1);
        telegram.FailNext("sendMessage", 400, "Bad Request: chat not found");
        await using var bot = await BotHarness.StartAsync(telegram: telegram);

        bot.Say(5001, "报名");
        await bot.WaitUntilIdleAsync();
        await bot.AskAsync(5002, "报名");

        Assert.NotEmpty(bot.Logs.Lines);
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains(FakeBotApi.Token, StringComparison.Ordinal) || l.Contains("TEST-token", StringComparison.Ordinal));
    }
}
