using Baoming.AfterSession;
using Baoming.Delivery;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;
using Microsoft.Extensions.DependencyInjection;
using static Baoming.Tests.AfterSession.AfterSessionData;

namespace Baoming.Tests.AfterSession;

/// <summary>The follow-ups with a real Hangfire server and the real clock, across restarts of the bot on the same database.</summary>
[Collection(TimingCollection.Name)]
public sealed class FollowUpRestartTests
{
    [Fact]
    public async Task Those_who_came_and_the_no_shows_get_their_follow_up_exactly_once_across_restarts()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        // A one-minute session that ends in about 20 s; its run is due 3 s later.
        var settings = Settings("short", DateTimeOffset.UtcNow.AddSeconds(-40), durationMinutes: 1, delay: "00:00:03");
        long sessionId;
        DateTimeOffset dueAt;
        string? jobId;
        await using (var first = await BotHarness.StartAsync(settings, telegram, database, realTime: true))
        {
            sessionId = await first.SessionIdAsync("short");
            await SeedAsync(database, "short", DateTimeOffset.UtcNow.AddDays(-1));
            await first.Host.Services.GetRequiredService<AfterSessionScheduler>().SyncAllAsync(CancellationToken.None);
            var plan = (await PlanAsync(first, sessionId))!;
            (dueAt, jobId) = (plan.DueAt!.Value, plan.JobId);
            // This bot stops before the run is due; the job waits in the database.
        }

        Assert.True(dueAt > DateTimeOffset.UtcNow, "the first bot stopped after the run was due; nothing was tested");
        await using (var second = await BotHarness.StartAsync(settings, telegram, database, realTime: true))
        {
            await second.Host.Services.GetRequiredService<AfterSessionScheduler>().SyncAllAsync(CancellationToken.None);
            Assert.Equal(jobId, (await PlanAsync(second, sessionId))!.JobId); // planted once, not again at the restart

            var report = await telegram.WaitForMessageAsync(Organizer, m => m.Text.Contains("会后消息已发出", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Assert.Contains("已送达 5", report.Text);
            var followUps = Came.Concat(NoShows).Select(m => telegram.MessagesTo(m).First(x => IsAttendedFollowUp(x) || IsNoShowFollowUp(x))).ToList();
            Assert.All(followUps, m => Assert.True(m.SentAt >= dueAt.AddSeconds(-1), $"sent at {m.SentAt:O}, before {dueAt:O}"));
        }

        // A third start: the run fired already; planting again and a stray run of its job send nothing more.
        await using (var third = await BotHarness.StartAsync(settings, telegram, database, realTime: true))
        {
            await third.Host.Services.GetRequiredService<AfterSessionScheduler>().SyncAllAsync(CancellationToken.None);
            await third.Host.Services.GetRequiredService<FanOut>().RunAsync(FollowUpTopic.Key(sessionId, dueAt), null, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2));

            Assert.Equal(1, await third.ScalarAsync<long>("select count(*) from hangfire.job where arguments::text like @topic", new { topic = $"%followup:{sessionId}:%" }));
            Assert.Equal(1, await third.ScalarAsync<long>("select count(*) from follow_ups where argument = @feedback", new { feedback = $"feedback:{sessionId}" }));
        }

        Assert.All(Came, m => Assert.Single(telegram.MessagesTo(m), IsAttendedFollowUp));
        Assert.All(Came, m => Assert.Equal(1, FollowUpsTo(telegram, m)));
        Assert.All(NoShows, m => Assert.Single(telegram.MessagesTo(m), IsNoShowFollowUp));
        Assert.All(NoShows, m => Assert.Equal(1, FollowUpsTo(telegram, m)));
        Assert.All(Others, m => Assert.Equal(0, FollowUpsTo(telegram, m)));
        Assert.Single(telegram.MessagesTo(Organizer), m => m.Text.Contains("会后消息已发出", StringComparison.Ordinal));
    }
}
