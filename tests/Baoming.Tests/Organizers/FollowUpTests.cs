using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Organizers;

/// <summary>
/// A state change and what must follow it (notices, reminders, jobs) commit together: a database error
/// right after the change loses nothing, and nothing is done twice.
/// </summary>
public sealed class FollowUpTests : IAsyncLifetime
{
    private const long Organizer = 9001;
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(30);

    private BotHarness bot = null!;

    public async Task InitializeAsync()
    {
        var settings = BotHarness.ExtraSession(2, "tiny", "小场", new DateTimeOffset(2027, 2, 24, 19, 30, 0, TimeSpan.FromHours(8)), capacity: 1);
        settings["Community:Organizers:0"] = "9001";
        bot = await BotHarness.StartAsync(settings);
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    /// <summary>
    /// The next <paramref name="operation"/> on <paramref name="table"/> fails once with a transient error
    /// (serialization failure, 40001). Once: a sequence counts, and nextval is not rolled back with the failure.
    /// </summary>
    private Task<int> FailOnceAsync(string table, string operation) => bot.ScalarAsync<int>($"""
        create sequence fail_once_counter;
        create function fail_once() returns trigger language plpgsql as $$
        begin
            if nextval('fail_once_counter') = 1 then
                raise exception 'could not serialize access (injected once)' using errcode = '40001';
            end if;
            return null;
        end $$;
        create trigger fail_once before {operation} on {table} for each statement execute function fail_once();
        select 1;
        """);

    [Fact]
    public async Task Registrants_hear_of_a_cancellation_once_although_planting_its_notice_failed_right_after_the_change()
    {
        long[] readers = [5101, 5102, 5103];
        foreach (var reader in readers)
        {
            await bot.AskAsync(reader, "报名 元宇宙");
        }

        var ask = await bot.AskAsync(Organizer, "/cancelsession metaverse");
        await FailOnceAsync("hangfire.job", "insert");
        var done = await bot.PressAsync(Organizer, ask.Buttons()[0].CallbackData!);

        Assert.Contains("已取消", done.Text);
        foreach (var reader in readers)
        {
            await bot.Telegram.WaitForMessageAsync(reader, m => m.Text.Contains("已取消", StringComparison.Ordinal), JobTimeout);
        }

        await bot.WaitUntilIdleAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var reader in readers)
        {
            Assert.Single(bot.Telegram.MessagesTo(reader), m => m.Text.Contains("已取消", StringComparison.Ordinal));
        }

        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from follow_ups where done_at is null"));
    }

    [Fact]
    public async Task A_new_session_whose_reminders_failed_to_plant_is_created_once_and_gets_its_reminders()
    {
        await FailOnceAsync("reminder_slots", "insert");

        var reply = await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 电动车的下一个十年");

        Assert.Contains("已创建场次「电动车的下一个十年」", reply.Text);
        await bot.Telegram.WaitUntilAsync(
            () => bot.ScalarAsync<long>("select count(*) from reminder_slots where session_id = (select id from sessions where key = 'ev') and state = 'scheduled'").Result == 2,
            JobTimeout,
            () => "the new session's reminders were never planted");
        await bot.WaitUntilIdleAsync();
        Assert.Single(bot.Telegram.MessagesTo(Organizer), m => m.Text.Contains("电动车的下一个十年", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_moved_session_is_announced_to_those_signed_up_before_the_move_and_not_to_those_who_came_after()
    {
        const long Before = 5301;
        const long After = 5302;
        await bot.AskAsync(Before, "报名 元宇宙");
        // The notice's job is planted a moment late (by the runner), as after a restart or an outage.
        await FailOnceAsync("hangfire.job", "insert");

        var moved = await bot.AskAsync(Organizer, "/editsession metaverse time 2027-02-24 20:00");
        var signedUp = await bot.AskAsync(After, "报名 元宇宙");

        Assert.Contains("2月24日", moved.Text);
        Assert.Contains("2月24日", signedUp.Text);
        await bot.Telegram.WaitForMessageAsync(Before, m => m.Text.Contains("时间变更", StringComparison.Ordinal), JobTimeout);
        await bot.WaitUntilIdleAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(bot.Telegram.MessagesTo(After), m => m.Text.Contains("时间变更", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_promoted_member_is_told_once_through_the_ledger_although_planting_the_notice_failed()
    {
        const long First = 5201;
        const long Second = 5202;
        await bot.AskAsync(First, "报名 小场");
        var waiting = await bot.AskAsync(Second, "报名 小场");
        Assert.Contains("候补", waiting.Text);
        await FailOnceAsync("hangfire.job", "insert");

        var cancelled = await bot.AskAsync(First, "取消报名 小场");

        Assert.Contains("取消", cancelled.Text);
        var told = await bot.Telegram.WaitForMessageAsync(Second, m => m.Text.Contains("转为正式报名", StringComparison.Ordinal), JobTimeout);
        Assert.Contains("小场", told.Text);
        await bot.WaitUntilIdleAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(bot.Telegram.MessagesTo(Second), m => m.Text.Contains("转为正式报名", StringComparison.Ordinal));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from deliveries where topic like 'promoted:%' and member_id = @Second and state = 'sent'", new { Second }));
        Assert.DoesNotContain(bot.Telegram.MessagesTo(First), m => m.Text.Contains("转为正式报名", StringComparison.Ordinal));
    }
}
