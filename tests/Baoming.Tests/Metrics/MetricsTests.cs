using Baoming.Metrics;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Metrics;

/// <summary>The counters and gauges of a real bot (fake Bot API, real PostgreSQL), rendered as /metrics would.</summary>
public sealed class MetricsTests
{
    private const long Reader = 5101;

    private static Task<string> ScrapeAsync(BotHarness bot) =>
        bot.Host.Services.GetRequiredService<MetricsExporter>().RenderAsync(CancellationToken.None);

    [Fact]
    public async Task A_sign_up_through_Telegram_counts_the_decision_and_the_reply()
    {
        await using var bot = await BotHarness.StartAsync();

        Assert.Contains("报名成功", (await bot.AskAsync(Reader, "报名 元宇宙")).Text);
        await bot.WaitUntilIdleAsync();
        var text = await ScrapeAsync(bot);

        Assert.Contains("\nbaoming_signups_total{outcome=\"confirmed\"} 1\n", text);
        Assert.Contains("\nbaoming_signups_total{outcome=\"waitlisted\"} 0\n", text);
        Assert.Contains($"\nbaoming_messages_sent_total{{outcome=\"sent\"}} {bot.Telegram.SentMessages.Count}\n", text);
        Assert.Contains("\nbaoming_messages_sent_total{outcome=\"failed\"} 0\n", text);
        Assert.Contains("""
            # TYPE baoming_database_up gauge
            baoming_database_up 1
            """, text);
        var samples = MetricsScrape.Samples(text);
        Assert.Equal(0, samples["baoming_inbox_unprocessed"]);
        Assert.Equal(0, samples["baoming_inbox_lag_seconds"]);
        Assert.Equal(0, samples["baoming_deliveries_pending"]);
        Assert.Equal(0, samples["baoming_send_rate_per_second"]);
        Assert.True(samples.ContainsKey("baoming_jobs_enqueued"));
    }

    [Fact]
    public async Task Waitlisting_a_repeated_sign_up_a_cancellation_and_a_promotion_are_counted_by_outcome()
    {
        await using var bot = await BotHarness.StartAsync(BotHarness.ExtraSession(2, "tiny", "小范围闭门会", new DateTimeOffset(2027, 3, 3, 19, 30, 0, TimeSpan.FromHours(8)), capacity: 1, "闭门会"));
        const long First = 6101, Second = 6102;

        Assert.Contains("报名成功", (await bot.AskAsync(First, "报名 闭门会")).Text);
        Assert.Contains("候补", (await bot.AskAsync(Second, "报名 闭门会")).Text);
        await bot.AskAsync(Second, "报名 闭门会");
        Assert.Contains("已取消", (await bot.AskAsync(First, "取消报名")).Text);
        await bot.WaitUntilIdleAsync();
        var samples = MetricsScrape.Samples(await ScrapeAsync(bot));

        Assert.Equal(1, samples["baoming_signups_total{outcome=\"confirmed\"}"]);
        Assert.Equal(1, samples["baoming_signups_total{outcome=\"waitlisted\"}"]);
        Assert.Equal(1, samples["baoming_signups_total{outcome=\"already\"}"]);
        Assert.Equal(1, samples["baoming_signups_total{outcome=\"cancelled\"}"]);
        Assert.Equal(1, samples["baoming_signups_total{outcome=\"promoted\"}"]);
        Assert.Equal(0, samples["baoming_signups_total{outcome=\"closed\"}"]);
    }

    [Fact]
    public async Task A_reply_to_a_member_who_blocked_the_bot_and_a_429_are_counted()
    {
        await using var bot = await BotHarness.StartAsync();
        const long Blocker = 6201;
        bot.Telegram.BlockChat(Blocker);
        bot.Telegram.FailNext("sendMessage", 429, "Too Many Requests: retry after 1", retryAfter: 1);

        await bot.AskAsync(Reader, "报名");
        bot.Say(Blocker, "报名");
        await bot.WaitUntilIdleAsync();
        var samples = MetricsScrape.Samples(await ScrapeAsync(bot));

        Assert.Equal(1, samples["baoming_messages_sent_total{outcome=\"blocked\"}"]);
        Assert.Equal(1, samples["baoming_messages_throttled_total"]);
        Assert.Equal(bot.Telegram.SentMessages.Count, samples["baoming_messages_sent_total{outcome=\"sent\"}"]);
    }
}
