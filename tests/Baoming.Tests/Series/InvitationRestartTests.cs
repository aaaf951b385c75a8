using Baoming.Series;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;
using Microsoft.Extensions.DependencyInjection;
using static Baoming.Tests.Series.SeriesBot;

namespace Baoming.Tests.Series;

/// <summary>Invitations with a real Hangfire server and the real clock, the bot stopped in the middle of them and started again.</summary>
[Collection(TimingCollection.Name)]
public sealed class InvitationRestartTests
{
    private const int Members = 150;

    private static readonly long[] Followers = [.. Enumerable.Range(30_000, Members).Select(i => (long)i)];

    [Fact]
    public async Task A_bot_stopped_midway_through_the_invitations_sends_the_rest_after_a_restart_and_nobody_gets_two()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        var settings = Settings(BotHarness.ExtraSession(2, "next", "下一期选题会", DateTimeOffset.UtcNow.AddDays(7)));
        // 20 a second: 150 invitations take about eight seconds, long enough to stop the bot in the middle.
        settings["Telegram:MaxMessagesPerSecond"] = "20";
        settings["Jobs:InvisibilityTimeout"] = "00:00:05";
        long sessionId;
        await using (var first = await BotHarness.StartAsync(settings, telegram, database, realTime: true))
        {
            sessionId = await first.SessionIdAsync("next");
            await FollowAsync(database, "topics", Followers);
            await first.ScalarAsync<int>("update sessions set series_id = (select id from series where key = 'topics') where id = @sessionId returning 1", new { sessionId });
            await first.Host.Services.GetRequiredService<InvitationScheduler>().SyncAsync(sessionId, CancellationToken.None);
            await telegram.WaitUntilAsync(() => telegram.SentMessages.Count(IsInvitation) >= 40, TimeSpan.FromSeconds(60), () => "the invitations never got going");
        }

        var sentBeforeStop = telegram.SentMessages.Count(IsInvitation);
        Assert.True(sentBeforeStop < Members, "the invitations were all sent before the stop; nothing was tested");

        await using (var second = await BotHarness.StartAsync(settings, telegram, database, realTime: true))
        {
            await telegram.WaitUntilAsync(
                () => telegram.SentMessages.Count(IsInvitation) >= Members,
                TimeSpan.FromSeconds(90),
                () => $"{telegram.SentMessages.Count(IsInvitation)} of {Members} invitations sent");
            await telegram.WaitForMessageAsync(Organizer, m => m.Text.Contains("新场次邀请", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Equal(InvitationState.Fired, (await PlanAsync(second, sessionId))!.State);
            // Each send's outcome is written with the next step: the last few a moment after they arrive.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            long sent;
            while ((sent = await second.ScalarAsync<long>("select count(*) from deliveries where topic = @topic and state = 'sent'", new { topic = $"invite:{sessionId}" })) < Members
                && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Equal(Members, sent);
        }

        Assert.All(Followers, m => Assert.Single(telegram.MessagesTo(m), IsInvitation));
        Assert.True(telegram.SentMessages.Count(IsInvitation) == Members, "someone was invited twice");
    }
}
