using System.Globalization;
using Baoming.Delivery;
using Baoming.Reminders;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Baoming.Tests.Delivery;

/// <summary>
/// A reminder fan-out hit by database faults at exact points: each recipient still gets exactly one
/// message, nothing is left claimed or in flight, and only sends really in flight may end unknown.
/// </summary>
public sealed class FanOutFaultTests : IAsyncDisposable
{
    private const long Organizer = 900;
    private const long FirstMember = 100_000;
    private const int Members = 300;
    private const int Rate = 100;

    private BotHarness bot = null!;

    public async ValueTask DisposeAsync() => await bot.DisposeAsync();

    private static bool IsReminder(SentMessage m) => m.ChatId >= FirstMember && m.Text.StartsWith('⏰');

    /// <summary>
    /// A bot with a session a day away and a one-hour reminder, <see cref="Members"/> registrants and
    /// the business clock at the reminder's time; returns the reminder's topic, to run by hand.
    /// </summary>
    private async Task<TopicKey> StartAsync(int members = Members)
    {
        var settings = BotHarness.ExtraSession(2, "fault", "出故障的活动", BotHarness.Now.AddDays(1));
        settings["Sessions:2:ReminderOffsets:0"] = "01:00:00";
        settings["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture);
        settings["Telegram:MaxMessagesPerSecond"] = Rate.ToString(CultureInfo.InvariantCulture);
        bot = await BotHarness.StartAsync(settings);
        await ReminderData.SignUpAsync(bot.ConnectionString, "fault", Enumerable.Range(0, members).Select(i => FirstMember + i));
        var (slot, dueAt) = (await bot.QueryAsync<(long, DateTime)>(
            "select s.id, s.due_at from reminder_slots s join sessions x on x.id = s.session_id where x.key = 'fault'")).Single();
        var due = new DateTimeOffset(DateTime.SpecifyKind(dueAt, DateTimeKind.Utc));
        bot.Time.SetUtcNow(due);
        return ReminderTopic.Key(slot, due);
    }

    private FanOut FanOut => bot.Host.Services.GetRequiredService<FanOut>();

    /// <summary>
    /// Runs the fan-out as its Hangfire job would be: again after a failure (at most three times).
    /// Returns the last run's stats and the failures of the runs before it.
    /// </summary>
    private async Task<(DeliveryStats Stats, List<Exception> Failures)> RunAsync(TopicKey topic, Func<Task>? duringRun = null)
    {
        var failures = new List<Exception>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var run = FanOut.RunAsync(topic, null, CancellationToken.None);
                if (duringRun is not null && attempt == 1)
                {
                    await duringRun();
                }

                return (await run, failures);
            }
            catch (Exception e) when (attempt < 3 && e is not TimeoutException)
            {
                failures.Add(e);
            }
        }
    }

    /// <summary>
    /// Installs a statement trigger on <paramref name="table"/> that fails the <paramref name="nth"/> update
    /// with SQLSTATE 57P01 (admin_shutdown, as when the server is stopped). The count is a sequence, not a
    /// flag row: the raised error rolls back the statement's transaction, and a sequence is not rolled back,
    /// so the trigger raises exactly once.
    /// </summary>
    private async Task FailNthUpdateAsync(string table, int nth)
    {
        await using var connection = new NpgsqlConnection(bot.ConnectionString);
        await connection.ExecuteAsync($"""
            create sequence test_fault_calls;
            create function test_fault() returns trigger language plpgsql as $$
            begin
                if nextval('test_fault_calls') = {nth} then
                    raise exception 'injected outage on %', tg_table_name using errcode = '57P01';
                end if;
                return null;
            end $$;
            create trigger test_fault before update on {table} for each statement execute function test_fault();
            """);
    }

    private async Task<Dictionary<string, long>> StatesAsync(TopicKey topic) =>
        (await bot.QueryAsync<(string State, long Count)>("select state, count(*) from deliveries where topic = @topic group by state", new { topic = topic.ToString() }))
            .ToDictionary(s => s.State, s => s.Count);

    /// <summary>Exactly one reminder each, no row left in flight or claimed, stats and the organizer's report agree.</summary>
    private async Task AssertDeliveredOnceAsync(TopicKey topic, DeliveryStats stats, int maxUnknown)
    {
        var states = await StatesAsync(topic);
        var received = bot.Telegram.SentMessages.Where(IsReminder).GroupBy(m => m.ChatId).ToList();
        Assert.True(received.All(g => g.Count() == 1), $"someone got the reminder twice; ledger: {string.Join(", ", states)}");
        Assert.True(states.GetValueOrDefault("unknown") <= maxUnknown, $"{states.GetValueOrDefault("unknown")} unknown (at most {maxUnknown} sends were in flight); ledger: {string.Join(", ", states)}");
        Assert.Equal(Members, received.Count + states.GetValueOrDefault("unknown"));
        Assert.Equal(received.Count, states.GetValueOrDefault("sent"));
        Assert.Equal(0, states.GetValueOrDefault("sending"));
        Assert.Equal(0, states.GetValueOrDefault("pending"));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from deliveries where topic = @topic and claimed_by is not null and state = 'pending'", new { topic = topic.ToString() }));
        Assert.Equal(new DeliveryStats(0, received.Count, 0, 0, (int)states.GetValueOrDefault("unknown")), stats);
        var report = await bot.Telegram.WaitForMessageAsync(Organizer, m => m.Text.Contains("提醒已发出", StringComparison.Ordinal));
        Assert.Contains($"已送达 {stats.Sent} · 已屏蔽机器人 0 · 失败 0 · 结果未知 {stats.Unknown}", report.Text);
    }

    [Theory]
    [InlineData("rate_limits", 2)]
    [InlineData("rate_limits", 30)]
    [InlineData("deliveries", 3)]
    [InlineData("deliveries", 30)]
    public async Task An_outage_at_any_database_call_of_a_fan_out_loses_nobody_and_sends_nobody_two(string table, int nth)
    {
        var topic = await StartAsync();
        await FailNthUpdateAsync(table, nth);

        var (stats, failures) = await RunAsync(topic);

        Assert.Equal(1L, await bot.ScalarAsync<long>("select count(*) from pg_sequences where sequencename = 'test_fault_calls' and last_value >= @nth", new { nth }));
        // The fake answers at once: no send is in flight when the database fails, so none may end unknown.
        await AssertDeliveredOnceAsync(topic, stats, maxUnknown: 0);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task The_database_dropping_every_connection_mid_fan_out_loses_nobody_and_sends_nobody_two()
    {
        var topic = await StartAsync();

        var (stats, failures) = await RunAsync(topic, async () =>
        {
            await bot.Telegram.WaitUntilAsync(() => bot.Telegram.SentMessages.Count(IsReminder) >= Members / 3, TimeSpan.FromSeconds(30), () => "the fan-out never got going");
            await using var connection = new NpgsqlConnection(bot.ConnectionString);
            var dropped = await connection.ExecuteScalarAsync<long>(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
            Assert.True(dropped > 0, "no connection of the bot's was dropped");
        });

        // Sends in flight at the drop: at 100/s one reservation covers 4 sends (1/20 s); the run being
        // sent and the one before it, whose answers may not be written yet, make 8. With its run
        // retried rather than restarted, the fan-out should leave none unknown at all.
        await AssertDeliveredOnceAsync(topic, stats, maxUnknown: 8);
        Assert.Equal(0, stats.Unknown);
        Assert.Empty(failures);
    }
}
