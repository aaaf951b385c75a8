using System.Globalization;
using System.Net;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;

namespace Baoming.Tests.Web;

/// <summary>
/// Two instances on one database and one Telegram: nothing lost, nothing twice, order and rate kept.
/// In the timing collection: one test counts sends per second, which other tests' load would skew.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ScaleOutTests
{
    private const long FirstMember = 300_000;

    [Fact]
    public async Task A_burst_spread_over_two_webhook_instances_signs_everyone_up_once_and_keeps_each_chats_order()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await BotHarness.StartAsync(BotHarness.WebhookMode(), telegram, database);
        await using var b = await BotHarness.StartAsync(BotHarness.WebhookMode(), telegram, database);
        BotHarness[] instances = [a, b];
        const int Members = 300;

        // Like Telegram: one chat's updates one after another (each acknowledged before the next), here
        // to alternating instances; many chats at once. Every fifth update is also re-delivered to the other one.
        await Parallel.ForAsync(0, Members, new ParallelOptions { MaxDegreeOfParallelism = 40 }, async (i, _) =>
        {
            var member = FirstMember + i;
            string[] texts = ["报名 元宇宙", "我的报名"];
            for (var step = 0; step < texts.Length; step++)
            {
                var update = BotHarness.WithId(FakeBotApi.TextUpdate(member, texts[step]), BotHarness.NewUpdateId());
                var first = instances[(i + step) % 2];
                Assert.Equal(HttpStatusCode.OK, await first.PostUpdateAsync(update));
                if (i % 5 == 0)
                {
                    Assert.Equal(HttpStatusCode.OK, await instances[(i + step + 1) % 2].PostUpdateAsync(update));
                }
            }
        });

        await telegram.WaitUntilAsync(
            () => Enumerable.Range(0, Members).All(i => telegram.MessagesTo(FirstMember + i).Count >= 2),
            TimeSpan.FromSeconds(90),
            () => $"{Enumerable.Range(0, Members).Count(i => telegram.MessagesTo(FirstMember + i).Count >= 2)} of {Members} members have both replies");
        await a.WaitUntilIdleAsync();

        for (var i = 0; i < Members; i++)
        {
            var replies = telegram.MessagesTo(FirstMember + i);
            Assert.Equal(2, replies.Count);
            Assert.Contains("报名成功", replies[0].Text);
            // Handled after the sign-up, whichever instance got it: the list shows the session.
            Assert.Contains("元宇宙", replies[1].Text);
            Assert.DoesNotContain("报名成功", replies[1].Text);
        }

        Assert.Equal(Members, await a.ScalarAsync<long>("select count(*) from registrations where status = 'confirmed'"));
        Assert.Equal(Members, await a.ScalarAsync<long>("select confirmed_count from sessions where key = 'metaverse'"));
        Assert.Equal(Members * 2, await a.ScalarAsync<long>("select count(*) from inbox where processed_at is not null"));
        Assert.All(instances, bot => Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains("fail", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Two_broadcasts_at_once_run_on_both_instances_under_one_shared_rate()
    {
        const int Rate = 40;
        const int Recipients = 200;
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        var settings = BotHarness.WebhookMode(new Dictionary<string, string?>
        {
            ["Community:Organizers:0"] = "9001",
            ["Community:Organizers:1"] = "9002",
            ["Telegram:MaxMessagesPerSecond"] = Rate.ToString(CultureInfo.InvariantCulture),
            // One job at a time per instance: the second broadcast has to go to the other one.
            ["Jobs:WorkerCount"] = "1",
        });
        await using var a = await BotHarness.StartAsync(settings, telegram, database);
        await using var b = await BotHarness.StartAsync(settings, telegram, database);
        await a.ScalarAsync<int>(
            "insert into members (id, display_name, language_code) select g, 'member ' || g, 'zh-hans' from generate_series(@first, @last) g",
            new { first = FirstMember, last = FirstMember + Recipients - 1 });

        // The button on one instance, the text straight after on the other: the dialogue is shared.
        var confirmA = await DraftAsync(a, b, 9001, "第一条群发");
        var confirmB = await DraftAsync(b, a, 9002, "第二条群发");
        await PressAsync(a, 9001, confirmA);
        await PressAsync(b, 9002, confirmB);

        var toMembers = () => telegram.SentMessages.Where(m => m.ChatId >= FirstMember).ToList();
        await telegram.WaitUntilAsync(() => toMembers().Count >= 2 * Recipients, TimeSpan.FromSeconds(60), () => $"{toMembers().Count} of {2 * Recipients} sent");
        await Task.Delay(500);

        var sent = toMembers();
        Assert.Equal(2 * Recipients, sent.Count);
        Assert.All(sent.GroupBy(m => m.ChatId), chat => Assert.Equal(["第一条群发", "第二条群发"], chat.Select(m => m.Text).Order()));
        var worstSecond = sent.GroupBy(m => m.SentAt.ToUnixTimeSeconds()).Max(g => g.Count());
        Assert.True(worstSecond <= Rate, $"{worstSecond} messages in one second with both instances sending; the limit is {Rate}");

        // Each instance ran one of the two fan-outs.
        static bool RanAFanOut(BotHarness bot) => bot.Logs.Lines.Any(l => l.Contains("Fan-out broadcast:", StringComparison.Ordinal) && l.Contains("recipients", StringComparison.Ordinal));
        Assert.True(RanAFanOut(a) && RanAFanOut(b), "both broadcasts ran on one instance");
    }

    [Fact]
    public async Task In_polling_mode_a_second_instance_stands_by_and_takes_over_when_the_first_stops()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        var first = await BotHarness.StartAsync(telegram: telegram, connectionString: database);
        try
        {
            await first.AskAsync(FirstMember, "报名 元宇宙");
            await using var second = await BotHarness.StartAsync(telegram: telegram, connectionString: database);
            await second.Telegram.WaitUntilAsync(() => second.Logs.Lines.Any(l => l.Contains("standing by", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), () => "the second instance did not stand by");

            var reply = await first.AskAsync(FirstMember + 1, "报名 元宇宙");
            Assert.Contains("报名成功", reply.Text);
            Assert.DoesNotContain(first.Logs.Lines.Concat(second.Logs.Lines), l => l.Contains("getUpdates failed", StringComparison.Ordinal));

            await first.DisposeAsync();
            var afterTakeover = await second.AskAsync(FirstMember + 2, "报名 元宇宙");
            Assert.Contains("报名成功", afterTakeover.Text);
            Assert.Contains(second.Logs.Lines, l => l.Contains("Polling Telegram for updates", StringComparison.Ordinal));
            Assert.Equal(3, await second.ScalarAsync<long>("select count(*) from registrations"));
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    /// <summary>Chooses "everyone" through one instance and writes the text through another; returns the confirmation's "send now" data.</summary>
    private static async Task<string> DraftAsync(BotHarness pressVia, BotHarness textVia, long organizer, string text)
    {
        var ask = await AskAsync(pressVia, organizer, FakeBotApi.CallbackUpdate(organizer, "ba:e"), replies: 1);
        Assert.Contains("请发送要群发的消息", ask[0].Text);
        var draft = await AskAsync(textVia, organizer, FakeBotApi.TextUpdate(organizer, text), replies: 2);
        return draft[1].Buttons().Single(button => button.Text.Contains("立即发送", StringComparison.Ordinal)).CallbackData!;
    }

    private static async Task PressAsync(BotHarness via, long organizer, string data) =>
        Assert.Equal(HttpStatusCode.OK, await via.PostUpdateAsync(BotHarness.WithId(FakeBotApi.CallbackUpdate(organizer, data), BotHarness.NewUpdateId())));

    private static async Task<IReadOnlyList<SentMessage>> AskAsync(BotHarness via, long member, string updateJson, int replies)
    {
        var before = via.Telegram.MessagesTo(member).Count;
        Assert.Equal(HttpStatusCode.OK, await via.PostUpdateAsync(BotHarness.WithId(updateJson, BotHarness.NewUpdateId())));
        var all = await via.Telegram.WaitForMessagesAsync(member, before + replies);
        return [.. all.Skip(before)];
    }
}
