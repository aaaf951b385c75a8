using Baoming.AfterSession;
using Baoming.Sessions;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Baoming.Tests.AfterSession.AfterSessionData;

namespace Baoming.Tests.AfterSession;

/// <summary>
/// The follow-ups a set time after a session's end, on the bot's frozen clock: the run is planted for
/// end + delay (its Hangfire job waits for that real date, far away), and the test fires it as the job would.
/// </summary>
public sealed class FollowUpTests : IAsyncLifetime
{
    /// <summary>Ended ten minutes before the frozen clock: with the default 30-minute delay its run is due in 20.</summary>
    private static readonly DateTimeOffset Start = BotHarness.Now.AddMinutes(-100);

    private BotHarness bot = null!;
    private long sessionId;

    public async Task InitializeAsync()
    {
        bot = await BotHarness.StartAsync(Settings("wrapup", Start));
        sessionId = await bot.SessionIdAsync("wrapup");
        await SeedAsync(bot.ConnectionString, "wrapup", Start.AddDays(-3));
        // Planted at start-up in the background; the test wants it in place now.
        await bot.Host.Services.GetRequiredService<AfterSessionScheduler>().SyncAllAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private Task<long> FeedbackRequestsAsync() =>
        bot.ScalarAsync<long>("select count(*) from follow_ups where kind = 'fan-out' and argument = @feedback", new { feedback = $"feedback:{sessionId}" });

    [Fact]
    public async Task The_run_is_planted_for_the_end_plus_the_default_half_hour_with_one_job()
    {
        var plan = await PlanAsync(bot, sessionId);

        Assert.NotNull(plan);
        Assert.Equal(AfterSessionState.Scheduled, plan.State);
        Assert.Equal(Start.AddMinutes(90), plan.EndsAt);
        Assert.Equal(Start.AddMinutes(120), plan.DueAt);
        Assert.Equal(1, await bot.ScalarAsync<long>(
            "select count(*) from hangfire.job where arguments::text like @topic and statename = 'Scheduled'", new { topic = $"%followup:{sessionId}:%" }));

        // Planting again (another instance, the next round) changes nothing.
        await bot.Host.Services.GetRequiredService<AfterSessionScheduler>().SyncAllAsync(CancellationToken.None);
        Assert.Equal(plan, await PlanAsync(bot, sessionId));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from hangfire.job where arguments::text like @topic", new { topic = $"%followup:{sessionId}:%" }));
    }

    [Fact]
    public async Task Those_who_came_and_the_confirmed_no_shows_each_get_their_follow_up_once_and_organizers_a_report()
    {
        var topic = await TopicAsync(bot, sessionId);

        // Not yet due: a job firing early (a run that moved) sends nothing.
        await RunAsync(bot, topic);
        Assert.All(Came.Concat(NoShows), m => Assert.Equal(0, FollowUpsTo(bot.Telegram, m)));

        bot.Time.Advance(TimeSpan.FromMinutes(20));
        var stats = await RunAsync(bot, topic);
        await RunAsync(bot, topic); // a retried job

        Assert.Equal(5, stats.Sent);
        Assert.All(Came, m =>
        {
            var message = Assert.Single(bot.Telegram.MessagesTo(m), IsAttendedFollowUp);
            Assert.Equal("html", message.ParseMode, ignoreCase: true);
            Assert.Equal(1, FollowUpsTo(bot.Telegram, m));
        });
        Assert.All(NoShows, m =>
        {
            Assert.Single(bot.Telegram.MessagesTo(m), IsNoShowFollowUp);
            Assert.Equal(1, FollowUpsTo(bot.Telegram, m));
        });
        Assert.All(Others, m => Assert.Equal(0, FollowUpsTo(bot.Telegram, m)));

        var report = await bot.Telegram.WaitForMessageAsync(Organizer, m => m.Text.Contains("会后消息已发出", StringComparison.Ordinal));
        Assert.Contains("来了的 3 人 · 没来的 2 人", report.Text);
        Assert.Contains("已送达 5", report.Text);
        Assert.Single(bot.Telegram.MessagesTo(Organizer), m => m.Text.Contains("会后消息已发出", StringComparison.Ordinal));

        // The feedback request was recorded once, with the firing.
        Assert.Equal(1, await FeedbackRequestsAsync());
        Assert.Equal(AfterSessionState.Fired, (await PlanAsync(bot, sessionId))!.State);
        Assert.Contains("会后消息：来了的人 ✓ · 没来的人 ✓ · 已于", (await bot.AskAsync(Organizer, "/sessions")).Text);
    }

    [Fact]
    public async Task A_side_without_a_text_gets_nothing_and_the_feedback_is_requested_all_the_same()
    {
        await bot.AskAsync(Organizer, "/editsession wrapup followup_noshow -");
        bot.Time.Advance(TimeSpan.FromMinutes(20));

        await RunAsync(bot, await TopicAsync(bot, sessionId));

        Assert.All(Came, m => Assert.Single(bot.Telegram.MessagesTo(m), IsAttendedFollowUp));
        Assert.All(NoShows, m => Assert.Equal(0, FollowUpsTo(bot.Telegram, m)));
        Assert.Equal(1, await FeedbackRequestsAsync());
    }

    [Fact]
    public async Task A_moved_session_is_followed_up_at_its_new_time_only()
    {
        var oldTopic = await TopicAsync(bot, sessionId);
        var oldJob = (await PlanAsync(bot, sessionId))!.JobId;

        // Beijing time: 14:00 on the frozen day, two hours from now; its run is due at 16:00.
        Assert.Contains("已更新", (await bot.AskAsync(Organizer, "/editsession wrapup time 2027-01-20 14:00")).Text);
        // Re-planted by the move's follow-up, carried out before the answer.
        var plan = (await PlanAsync(bot, sessionId))!;
        Assert.Equal(BotHarness.Now.AddHours(4), plan.DueAt);
        Assert.Equal(AfterSessionState.Scheduled, plan.State);
        Assert.NotEqual(oldJob, plan.JobId);
        Assert.Equal("Deleted", await bot.ScalarAsync<string>("select statename from hangfire.job where id = @id", new { id = long.Parse(oldJob!, System.Globalization.CultureInfo.InvariantCulture) }));

        // The old time passes: its job, had it fired anyway, sends nothing.
        bot.Time.Advance(TimeSpan.FromMinutes(21));
        await RunAsync(bot, oldTopic);
        Assert.All(Came.Concat(NoShows), m => Assert.Equal(0, FollowUpsTo(bot.Telegram, m)));
        Assert.Equal(0, await FeedbackRequestsAsync());

        bot.Time.SetUtcNow(BotHarness.Now.AddHours(4));
        await RunAsync(bot, FollowUpTopic.Key(sessionId, plan.DueAt!.Value));
        Assert.All(Came.Concat(NoShows), m => Assert.Equal(1, FollowUpsTo(bot.Telegram, m)));
    }

    [Fact]
    public async Task A_cancelled_session_sends_no_follow_up_and_asks_no_feedback()
    {
        var topic = await TopicAsync(bot, sessionId);
        var job = (await PlanAsync(bot, sessionId))!.JobId;

        Assert.True(await bot.Host.Services.GetRequiredService<SessionLifecycle>().CancelAsync(sessionId, CancellationToken.None));

        var plan = (await PlanAsync(bot, sessionId))!;
        Assert.Equal(AfterSessionState.Cancelled, plan.State);
        Assert.Null(plan.JobId);
        Assert.Equal("Deleted", await bot.ScalarAsync<string>("select statename from hangfire.job where id = @id", new { id = long.Parse(job!, System.Globalization.CultureInfo.InvariantCulture) }));

        bot.Time.Advance(TimeSpan.FromMinutes(30));
        await RunAsync(bot, topic);
        await bot.Host.Services.GetRequiredService<AfterSessionScheduler>().SyncAllAsync(CancellationToken.None);

        Assert.All(Came.Concat(NoShows), m => Assert.Equal(0, FollowUpsTo(bot.Telegram, m)));
        Assert.Equal(0, await FeedbackRequestsAsync());
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from deliveries where topic like 'followup:%'"));
    }

    [Fact]
    public async Task The_export_has_a_followup_column_with_each_members_ledger_state()
    {
        bot.Time.Advance(TimeSpan.FromMinutes(20));
        await RunAsync(bot, await TopicAsync(bot, sessionId));

        using var output = new MemoryStream();
        await bot.Host.Services.GetRequiredService<Baoming.Export.Exporter>().WriteAsync(output, Core.Export.ExportFileFormat.Csv, [sessionId], progress: null, CancellationToken.None);
        var records = Export.ExportData.ParseCsv(output.ToArray());

        var column = records[0].IndexOf("followup");
        Assert.True(column >= 0, $"no followup column in {string.Join(",", records[0])}");
        var memberColumn = records[0].IndexOf("telegram_user_id");
        var states = records.Skip(1).ToDictionary(r => long.Parse(r[memberColumn], System.Globalization.CultureInfo.InvariantCulture), r => r[column]);
        Assert.All(Came.Concat(NoShows), m => Assert.Equal("sent", states[m]));
        Assert.All(Others, m => Assert.Equal("", states[m]));
    }
}
