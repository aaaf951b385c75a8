using System.Diagnostics;
using Baoming.Telegram.Intake;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Telegram;

/// <summary>One busy chat, or one member writing too fast, holds up nobody else.</summary>
public sealed class FloodTests
{
    private const long Group = -1_001_234_567_890;

    /// <summary>Private members whose chats share the group's lane: the ones a stalled lane would hold up.</summary>
    private static long SameLaneAsGroup(int index)
    {
        var lane = (long)(unchecked((ulong)Group) % InboxProcessor.LaneCount);
        return 9_000_000 + lane - (9_000_000 % InboxProcessor.LaneCount) + (index * InboxProcessor.LaneCount);
    }

    [Fact]
    public async Task A_group_flooded_with_signup_while_Telegram_throttles_it_holds_up_no_private_member_and_gets_one_answer()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var throttledUntil = Stopwatch.StartNew();
        // Telegram allows a group about 20 messages a minute: this one is over it for the first 5 s.
        telegram.Fault = call => call is { Method: "sendMessage", ChatId: Group } && throttledUntil.Elapsed < TimeSpan.FromSeconds(5)
            ? FakeFailure.TooManyRequests(5)
            : null;
        await using var bot = await BotHarness.StartAsync(telegram: telegram);
        await telegram.WaitForGetUpdatesCallAsync();
        throttledUntil.Restart();

        var offered = new Dictionary<long, Stopwatch>();
        for (var i = 0; i < 60; i++)
        {
            telegram.EnqueueUpdate(FakeBotApi.TextUpdate(7_000_000 + i, "/signup", chatType: "supergroup", chatId: Group));
            telegram.EnqueueUpdate(FakeBotApi.TextUpdate(7_100_000 + i, "/signup@SomeOtherBot", chatType: "supergroup", chatId: Group));
            if (i % 6 == 0)
            {
                var member = SameLaneAsGroup(i / 6);
                offered[member] = Stopwatch.StartNew();
                bot.Say(member, "报名 元宇宙");
            }
        }

        foreach (var (member, since) in offered)
        {
            await telegram.WaitForMessageAsync(member, m => m.Text.Contains("报名成功", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            // Answered while the group is still throttled: nobody waited out the group's retry_after.
            Assert.True(since.Elapsed < TimeSpan.FromSeconds(4), $"member {member} waited {since.Elapsed.TotalSeconds:0.0} s behind the throttled group");
        }

        var groupReply = await telegram.WaitForMessageAsync(Group, timeout: TimeSpan.FromSeconds(20));
        Assert.True(throttledUntil.Elapsed >= TimeSpan.FromSeconds(5), "the group was answered while Telegram still refused it");
        Assert.Contains("私聊", groupReply.Text);
        await bot.WaitUntilIdleAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        // Sixty /signup in a few seconds: one answer. The other bot's sixty: none.
        Assert.Single(telegram.MessagesTo(Group));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from deferred_replies"));
    }

    [Fact]
    public async Task A_reply_Telegram_throttles_waits_in_the_queue_in_order_while_the_next_chat_in_its_lane_is_answered()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var first = SameLaneAsGroup(0);
        var next = SameLaneAsGroup(1);
        telegram.FailNext("sendMessage", FakeFailure.TooManyRequests(3));
        await using var bot = await BotHarness.StartAsync(telegram: telegram);
        await telegram.WaitForGetUpdatesCallAsync();

        var since = Stopwatch.StartNew();
        bot.Say(first, "报名 元宇宙");
        bot.Say(first, "我的报名");
        bot.Say(next, "报名 元宇宙");

        await telegram.WaitForMessageAsync(next, m => m.Text.Contains("报名成功", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.True(since.Elapsed < TimeSpan.FromSeconds(2.5), $"the next chat waited {since.Elapsed.TotalSeconds:0.0} s");
        var replies = await telegram.WaitForMessagesAsync(first, 2, TimeSpan.FromSeconds(20));
        Assert.True(since.Elapsed >= TimeSpan.FromSeconds(3), "the throttled chat was written to before retry_after");
        Assert.Contains("报名成功", replies[0].Text);
        Assert.Contains("到底什么是", replies[1].Text);
        await bot.WaitUntilIdleAsync();
        Assert.Equal(2, telegram.MessagesTo(first).Count);
    }

    [Fact]
    public async Task A_member_who_floods_is_told_once_and_then_ignored_and_what_they_asked_first_is_done()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        await using var bot = await BotHarness.StartAsync(telegram: telegram);
        await telegram.WaitForGetUpdatesCallAsync();
        const long Member = 6401;

        bot.Say(Member, "报名 元宇宙");
        for (var i = 0; i < 39; i++)
        {
            bot.Say(Member, "你好");
        }

        bot.Say(6402, "报名 元宇宙");
        await telegram.WaitForMessageAsync(6402, m => m.Text.Contains("报名成功", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        await bot.WaitUntilIdleAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));

        var replies = telegram.MessagesTo(Member);
        Assert.Equal(FloodGuard.Limit + 1, replies.Count);
        Assert.Contains("报名成功", replies[0].Text);
        Assert.Single(replies, m => m.Text.Contains("太快", StringComparison.Ordinal));
        Assert.Contains("太快", replies[^1].Text);
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = @Member", new { Member }));
    }
}
