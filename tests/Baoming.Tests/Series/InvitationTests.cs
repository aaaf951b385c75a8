using Baoming.Core.Export;
using Baoming.Export;
using Baoming.Hosting;
using Baoming.Series;
using Baoming.Tests.Export;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Baoming.Tests.Series.SeriesBot;

namespace Baoming.Tests.Series;

/// <summary>
/// A new session of a series invites each follower once, through the ledger, on the bot's frozen clock (a
/// job for a later opening waits for that real date, far away, and the test fires it as the job would).
/// </summary>
public sealed class InvitationTests : IAsyncLifetime
{
    private static readonly long[] Followers = [8401, 8402, 8403, 8404, 8405];
    private const long SignedUp = 8403;
    private const long Unreachable = 8405;
    private const long Stranger = 8410;

    private BotHarness bot = null!;

    public async Task InitializeAsync() =>
        bot = await BotHarness.StartAsync(Settings(BotHarness.ExtraSession(2, "later", "下个月的选题会", BotHarness.Now.AddDays(30))));

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private int InvitationsTo(long member) => bot.Telegram.MessagesTo(member).Count(IsInvitation);

    private InvitationScheduler Scheduler => bot.Host.Services.GetRequiredService<InvitationScheduler>();

    [Fact]
    public async Task A_session_put_in_the_series_invites_each_follower_once_not_those_signed_up_or_unreachable_and_organizers_get_a_report()
    {
        await FollowAsync(bot.ConnectionString, "topics", Followers);
        await bot.ScalarAsync<int>("update members set unreachable_at = now() where id = @Unreachable returning 1", new { Unreachable });
        Assert.Contains("报名成功", (await bot.AskAsync(SignedUp, "报名 汽车")).Text);

        Assert.Contains("已归入系列「选题会」", (await bot.AskAsync(Organizer, "/editsession auto series topics")).Text);
        // The change's follow-up plants the invitation and its job sends it; done here too, as they would (both converge).
        var autoId = await bot.SessionIdAsync("auto");
        await Scheduler.SyncAsync(autoId, CancellationToken.None);
        await InviteAsync(bot, autoId);

        var report = await bot.Telegram.WaitForMessageAsync(Organizer, m => m.Text.Contains("新场次邀请", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("已送达 3 · 已屏蔽机器人 1", report.Text);
        var invitation = Assert.Single(bot.Telegram.MessagesTo(8401), IsInvitation);
        Assert.Contains("汽车产业", invitation.Text);
        Assert.Contains("时间：", invitation.Text);
        Assert.Equal([$"su:{autoId}:series-topics", $"sx:{await bot.ScalarAsync<long>("select id from series where key = 'topics'")}"], invitation.Buttons().Select(b => b.CallbackData));

        // A retried job, the session taken out of the series and put back, a restart's planting: nothing more.
        Assert.Equal(0, (await InviteAsync(bot, autoId)).Pending);
        await bot.AskAsync(Organizer, "/editsession auto series -");
        await bot.AskAsync(Organizer, "/editsession auto series topics");
        await Scheduler.SyncAllAsync(CancellationToken.None);
        await InviteAsync(bot, autoId);
        await bot.WaitUntilIdleAsync();
        Assert.All([8401L, 8402, 8404], m => Assert.Equal(1, InvitationsTo(m)));
        Assert.Equal(0, InvitationsTo(SignedUp));
        Assert.Equal(0, InvitationsTo(Unreachable));
        Assert.Equal(0, InvitationsTo(Stranger));
        Assert.Single(bot.Telegram.MessagesTo(Organizer), m => m.Text.Contains("新场次邀请", StringComparison.Ordinal));

        // One tap signs up, and the registration records the series as its source.
        Assert.Contains("报名成功", (await bot.PressAsync(8401, invitation.Buttons()[0].CallbackData!)).Text);
        Assert.Equal("series-topics", await bot.ScalarAsync<string?>("select source from registrations where member_id = 8401 and session_id = @autoId", new { autoId }));
    }

    [Fact]
    public async Task An_opening_time_to_come_invites_only_then_and_a_later_opening_before_it_fired_is_planted_again()
    {
        var id = await bot.SessionIdAsync("later");
        await FollowAsync(bot.ConnectionString, "topics", Followers);
        await OpenInSeriesAsync(id, BotHarness.Now.AddDays(1));

        var plan = (await PlanAsync(bot, id))!;
        Assert.Equal(InvitationState.Scheduled, plan.State);
        Assert.Equal(BotHarness.Now.AddDays(1), plan.DueAt);
        Assert.Equal("Scheduled", await bot.ScalarAsync<string>("select statename from hangfire.job where id = @id::bigint", new { id = plan.JobId }));

        // Early: a job firing now (one that moved) sends nothing.
        await InviteAsync(bot, id);
        Assert.All(Followers, m => Assert.Equal(0, InvitationsTo(m)));

        await OpenInSeriesAsync(id, BotHarness.Now.AddDays(2));
        var moved = (await PlanAsync(bot, id))!;
        Assert.Equal(BotHarness.Now.AddDays(2), moved.DueAt);
        Assert.NotEqual(plan.JobId, moved.JobId);
        Assert.Equal("Deleted", await bot.ScalarAsync<string>("select statename from hangfire.job where id = @id::bigint", new { id = plan.JobId }));

        bot.Time.Advance(TimeSpan.FromDays(1));
        await InviteAsync(bot, id);
        Assert.All(Followers, m => Assert.Equal(0, InvitationsTo(m)));

        bot.Time.Advance(TimeSpan.FromDays(1));
        var stats = await InviteAsync(bot, id);
        Assert.Equal(Followers.Length, stats.Sent);
        Assert.All(Followers, m => Assert.Equal(1, InvitationsTo(m)));
        Assert.Equal(InvitationState.Fired, (await PlanAsync(bot, id))!.State);
    }

    [Fact]
    public async Task A_session_cancelled_before_it_opens_invites_nobody()
    {
        var id = await bot.SessionIdAsync("later");
        await FollowAsync(bot.ConnectionString, "topics", Followers);
        await OpenInSeriesAsync(id, BotHarness.Now.AddDays(1));
        var jobId = (await PlanAsync(bot, id))!.JobId;

        await bot.ScalarAsync<int>("update sessions set cancelled_at = now() where id = @id returning 1", new { id });
        await Scheduler.SyncAsync(id, CancellationToken.None);
        bot.Time.Advance(TimeSpan.FromDays(2));
        await InviteAsync(bot, id);

        Assert.Equal(InvitationState.Idle, (await PlanAsync(bot, id))!.State);
        Assert.Equal("Deleted", await bot.ScalarAsync<string>("select statename from hangfire.job where id = @id::bigint", new { id = jobId }));
        Assert.All(Followers, m => Assert.Equal(0, InvitationsTo(m)));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from deliveries where topic = @topic", new { topic = $"invite:{id}" }));
    }

    [Fact]
    public async Task The_export_says_whether_each_registrant_follows_the_series_of_the_session()
    {
        await FollowAsync(bot.ConnectionString, "topics", [8401]);
        await ExportData.SeedAsync(bot.ConnectionString, "metaverse",
            new SeedRegistration(8401, "关注者", "confirmed", BotHarness.Now.AddDays(-1).ToUniversalTime()),
            new SeedRegistration(8402, "路人", "confirmed", BotHarness.Now.AddDays(-1).ToUniversalTime()));

        using var output = new MemoryStream();
        await bot.Host.Services.GetRequiredService<Exporter>().WriteAsync(output, ExportFileFormat.Csv, [await bot.SessionIdAsync("metaverse")], progress: null, CancellationToken.None);
        var records = ExportData.ParseCsv(output.ToArray());
        var column = records[0].IndexOf(SeriesExportColumns.Column);
        Assert.True(column >= ExportColumns.Standard.Count);
        var byMember = records.Skip(1).ToDictionary(r => r[6], r => r[column]);
        Assert.Equal("yes", byMember["8401"]);
        Assert.Equal("no", byMember["8402"]);

        // An export of a session in no series has no such column.
        using var plain = new MemoryStream();
        await bot.Host.Services.GetRequiredService<Exporter>().WriteAsync(plain, ExportFileFormat.Csv, [await bot.SessionIdAsync("auto")], progress: null, CancellationToken.None);
        Assert.DoesNotContain(SeriesExportColumns.Column, ExportData.ParseCsv(plain.ToArray())[0]);
    }

    /// <summary>Puts the session in the series with an opening time, as /newsession or /editsession would, and plans at once.</summary>
    private async Task OpenInSeriesAsync(long id, DateTimeOffset opensAt)
    {
        await bot.ScalarAsync<int>(
            "update sessions set opens_at = @opensAt, series_id = (select id from series where key = 'topics') where id = @id returning 1",
            new { id, opensAt = opensAt.UtcDateTime });
        await Scheduler.SyncAsync(id, CancellationToken.None);
    }
}

/// <summary>The configuration of series, checked as start-up checks it.</summary>
public sealed class SeriesConfigurationTests
{
    [Fact]
    public void A_session_naming_a_series_nobody_defined_stops_start_up_with_one_line_naming_the_key()
    {
        var builder = Baoming.Hosting.BaomingHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Series:0:Key"] = "topics",
            ["Series:0:Title"] = "选题会",
            ["Sessions:0:Key"] = "metaverse",
            ["Sessions:0:Title"] = "到底什么是“元宇宙”",
            ["Sessions:0:StartsAt"] = "2027-02-17T20:00:00+08:00",
            ["Sessions:0:Series"] = "topicz",
        });
        builder.Services.AddBaoming(builder.Configuration, "Host=127.0.0.1;Port=1");
        builder.Services.AddSeries(builder.Configuration);
        using var services = builder.Services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<Baoming.Sessions.SessionCatalogOptions>>().Value);

        Assert.Equal("Sessions:0:Series is 'topicz', which is not the Key of any entry of Series.", Assert.Single(refused.Failures));
    }

    [Fact]
    public void Two_series_with_one_key_stop_start_up()
    {
        var builder = Baoming.Hosting.BaomingHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Series:0:Key"] = "topics",
            ["Series:0:Title"] = "选题会",
            ["Series:1:Key"] = "topics",
            ["Series:1:Title"] = "又一个",
        });
        builder.Services.AddSeries(builder.Configuration);
        using var services = builder.Services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SeriesCatalogOptions>>().Value);

        Assert.Contains("Series: every Key must be unique.", refused.Failures);
    }

    [Fact]
    public async Task Configured_series_are_stored_by_key_and_a_new_configured_session_of_the_series_is_in_it_at_the_next_start()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using (var first = await BotHarness.StartAsync(Settings(), connectionString: database))
        {
            Assert.Equal(2, await first.ScalarAsync<long>("select count(*) from series"));
            Assert.Equal("topics", await first.ScalarAsync<string>("select x.key from sessions s join series x on x.id = s.series_id where s.key = 'metaverse'"));
        }

        var settings = Settings(NextSession(2, "topics-2", BotHarness.Now.AddDays(40)));
        settings["Series:0:Title"] = "线上选题会";
        await using var second = await BotHarness.StartAsync(settings, connectionString: database);
        Assert.Equal(["线上选题会", "读书会"], await second.QueryAsync<string>("select title from series order by id"));
        Assert.Equal("topics", await second.ScalarAsync<string>("select x.key from sessions s join series x on x.id = s.series_id where s.key = 'topics-2'"));
        // Open at once: its invitation was planned at the start (and may have gone out already, to nobody).
        Assert.True((await PlanAsync(second, await second.SessionIdAsync("topics-2")))?.State is InvitationState.Scheduled or InvitationState.Fired);
    }
}
