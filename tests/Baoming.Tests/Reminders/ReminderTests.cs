using System.Globalization;
using Baoming.Delivery;
using Baoming.Sessions;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Reminders;

/// <summary>
/// Reminders end to end with a real Hangfire server: sessions seconds away, the real clock, the
/// fake Bot API over HTTP. Each registrant gets each reminder exactly once.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ReminderTests
{
    private const long Organizer = 900;

    /// <summary>Settings for a session starting in <paramref name="startsIn"/> with one reminder <paramref name="before"/> it.</summary>
    private static Dictionary<string, string?> SoonSession(string key, TimeSpan startsIn, TimeSpan before, int capacity = 0, int index = 2)
    {
        var settings = BotHarness.ExtraSession(index, key, $"马上开始的{key}", DateTimeOffset.UtcNow + startsIn, capacity);
        settings[$"Sessions:{index}:ReminderOffsets:0"] = before.ToString("c", CultureInfo.InvariantCulture);
        settings["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture);
        return settings;
    }

    private static bool IsReminder(SentMessage message) => message.Text.StartsWith('⏰');

    [Fact]
    public async Task Registrants_get_the_reminder_once_and_only_confirmed_ones_get_the_join_link()
    {
        await using var bot = await BotHarness.StartAsync(SoonSession("soon", TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(16), capacity: 2), realTime: true);
        Assert.Contains("报名成功", (await bot.AskAsync(1, "报名 soon")).Text);
        Assert.Contains("报名成功", (await bot.AskAsync(2, "报名 soon")).Text);
        Assert.Contains("候补", (await bot.AskAsync(3, "报名 soon")).Text);

        var report = await bot.Telegram.WaitForMessageAsync(Organizer, timeout: TimeSpan.FromSeconds(40));
        Assert.Contains("已送达 3", report.Text);

        // Signed up after the reminder's time: that reminder is not theirs.
        Assert.Contains("候补", (await bot.AskAsync(4, "报名 soon")).Text);
        await Task.Delay(TimeSpan.FromSeconds(2));

        foreach (var member in new long[] { 1, 2 })
        {
            var reminder = Assert.Single(bot.Telegram.MessagesTo(member), IsReminder);
            Assert.Contains("马上开始的soon", reminder.Text);
            Assert.Contains("https://meeting.example.com/soon", reminder.Text);
            Assert.Contains(reminder.Buttons(), b => b.Text.Contains("我会参加", StringComparison.Ordinal));
            Assert.Contains(reminder.Buttons(), b => b.Text.Contains("来不了了", StringComparison.Ordinal));
            Assert.Contains(reminder.Buttons(), b => b.Text.Contains("加入日历", StringComparison.Ordinal));
        }

        var waitlisted = Assert.Single(bot.Telegram.MessagesTo(3), IsReminder);
        Assert.DoesNotContain("meeting.example.com", waitlisted.Text);
        Assert.DoesNotContain(bot.Telegram.MessagesTo(4), IsReminder);
        Assert.Equal(3, await bot.ScalarAsync<long>("select count(*) from deliveries where topic like 'reminder:%' and state = 'sent'"));
        // Jobs scale with sessions (reminder slots and one after-session run each), not with people.
        Assert.Equal(
            await bot.ScalarAsync<long>("select (select count(*) from reminder_slots) + (select count(*) from after_session where state = 'scheduled')"),
            await bot.ScalarAsync<long>("select count(*) from hangfire.job"));
    }

    [Fact]
    public async Task The_reminder_buttons_confirm_attendance_cancel_with_promotion_and_send_a_calendar_file()
    {
        await using var bot = await BotHarness.StartAsync(SoonSession("soon", TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(13), capacity: 1), realTime: true);
        var confirmation = await bot.AskAsync(1, "报名 soon");
        Assert.Contains("https://meeting.example.com/soon", confirmation.Text); // inside the last hour: the link comes at once
        Assert.Contains(confirmation.Buttons(), b => b.Text.Contains("加入日历", StringComparison.Ordinal));
        await bot.AskAsync(2, "报名 soon");
        var reminder = await bot.Telegram.WaitForMessageAsync(1, IsReminder, TimeSpan.FromSeconds(30));

        var attend = await bot.PressAsync(1, reminder.Buttons().First(b => b.Text.Contains("我会参加", StringComparison.Ordinal)).CallbackData!);
        Assert.Contains("见", attend.Text);

        bot.Press(1, reminder.Buttons().First(b => b.Text.Contains("加入日历", StringComparison.Ordinal)).CallbackData!);
        var ics = await bot.Telegram.WaitForDocumentAsync(1);
        Assert.Equal("soon.ics", ics.FileName);
        Assert.Contains("BEGIN:VEVENT", System.Text.Encoding.UTF8.GetString(ics.Content));

        var cancelled = await bot.PressAsync(1, reminder.Buttons().First(b => b.Text.Contains("来不了了", StringComparison.Ordinal)).CallbackData!);
        Assert.Contains("已取消", cancelled.Text);
        await bot.Telegram.WaitForMessageAsync(2, m => m.Text.Contains("候补转为正式", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_moved_session_tells_registrants_once_and_reminds_at_the_new_time_only()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        var start = DateTimeOffset.UtcNow.AddSeconds(20);
        var settings = SoonSession("moving", start - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(12));
        await using (var before = await BotHarness.StartAsync(settings, telegram, database, realTime: true))
        {
            await before.AskAsync(1, "报名 moving");
            await before.AskAsync(2, "报名 moving");
        }

        // The configuration moves the session 20 s later; the next start notices.
        var moved = start.AddSeconds(20);
        settings["Sessions:2:StartsAt"] = moved.ToString("O", CultureInfo.InvariantCulture);
        await using var after = await BotHarness.StartAsync(settings, telegram, database, realTime: true);

        var notice = await telegram.WaitForMessageAsync(1, m => m.Text.Contains("时间变更", StringComparison.Ordinal));
        Assert.Contains("马上开始的moving", notice.Text);
        await telegram.WaitForMessageAsync(2, m => m.Text.Contains("时间变更", StringComparison.Ordinal));

        // The old reminder time (start - 12 s) passes in silence; the new one fires.
        await Task.Delay(start.AddSeconds(-12) - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(telegram.MessagesTo(1), IsReminder);
        var reminder = await telegram.WaitForMessageAsync(1, IsReminder, TimeSpan.FromSeconds(40));
        Assert.True(reminder.SentAt >= moved.AddSeconds(-13), $"reminded at {reminder.SentAt:O}, before the new time");
        await telegram.WaitForMessageAsync(Organizer, timeout: TimeSpan.FromSeconds(20));

        Assert.Single(telegram.MessagesTo(1), m => m.Text.Contains("时间变更", StringComparison.Ordinal));
        Assert.Single(telegram.MessagesTo(2), IsReminder);
    }

    [Fact]
    public async Task A_cancelled_session_tells_registrants_and_sends_no_reminder()
    {
        await using var bot = await BotHarness.StartAsync(SoonSession("doomed", TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(10)), realTime: true);
        await bot.AskAsync(1, "报名 doomed");
        var id = await bot.SessionIdAsync("doomed");

        Assert.True(await bot.Host.Services.GetRequiredService<SessionLifecycle>().CancelAsync(id, CancellationToken.None));

        var notice = await bot.Telegram.WaitForMessageAsync(1, m => m.Text.Contains("已取消", StringComparison.Ordinal));
        Assert.Contains("马上开始的doomed", notice.Text);
        await Task.Delay(TimeSpan.FromSeconds(9));
        Assert.DoesNotContain(bot.Telegram.MessagesTo(1), IsReminder);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from reminder_slots where session_id = @id and state = 'scheduled'", new { id }));
        Assert.Contains("没有找到", (await bot.AskAsync(5, "报名 doomed")).Text);
    }

    [Fact]
    public async Task Telegram_429_is_waited_out_and_403_marks_the_member_unreachable()
    {
        await using var bot = await BotHarness.StartAsync(SoonSession("soon", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(18)), realTime: true);
        for (long member = 1; member <= 5; member++)
        {
            await bot.AskAsync(member, "报名 soon");
        }

        bot.Telegram.BlockChat(3);
        bot.Telegram.FailNext("sendMessage", 429, "Too Many Requests: retry after 1", retryAfter: 1, times: 2);

        var report = await bot.Telegram.WaitForMessageAsync(Organizer, timeout: TimeSpan.FromSeconds(40));

        Assert.Contains("已送达 4", report.Text);
        Assert.Contains("已屏蔽机器人 1", report.Text);
        foreach (var member in new long[] { 1, 2, 4, 5 })
        {
            Assert.Single(bot.Telegram.MessagesTo(member), IsReminder);
        }

        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from members where id = 3 and unreachable_at is not null"));
        Assert.Equal("blocked", await bot.ScalarAsync<string>("select state from deliveries where member_id = 3 and topic like 'reminder:%'"));
    }

    [Fact]
    public async Task Two_instances_at_once_send_each_registrant_each_message_once()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        var settings = SoonSession("soon", TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(15));
        await using var first = await BotHarness.StartAsync(settings, telegram, database, realTime: true);
        await using var second = await BotHarness.StartAsync(settings, telegram, database, realTime: true);
        const int Members = 60;
        await ReminderData.SignUpAsync(database, "soon", Enumerable.Range(1000, Members).Select(i => (long)i));

        var report = await telegram.WaitForMessageAsync(Organizer, timeout: TimeSpan.FromSeconds(40));
        Assert.Contains($"已送达 {Members}", report.Text);

        // Both instances also run one notice's fan-out by hand, at the same moment.
        var id = await first.SessionIdAsync("soon");
        await first.ScalarAsync<int>("update sessions set cancelled_at = now() where id = @id returning 1", new { id });
        var topic = SessionCancelledTopic.Key(id);
        await Task.WhenAll(
            first.Host.Services.GetRequiredService<FanOut>().RunAsync(topic, null, CancellationToken.None),
            second.Host.Services.GetRequiredService<FanOut>().RunAsync(topic, null, CancellationToken.None));
        await first.Host.Services.GetRequiredService<FanOut>().RunAsync(topic, null, CancellationToken.None);

        for (var member = 1000; member < 1000 + Members; member++)
        {
            var messages = telegram.MessagesTo(member);
            Assert.Single(messages, IsReminder);
            Assert.Single(messages, m => m.Text.StartsWith('❌'));
        }

        Assert.Single(telegram.MessagesTo(Organizer));
    }
}
