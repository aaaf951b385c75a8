using Baoming.Core.Stats;
using Baoming.Stats;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkiaSharp;

namespace Baoming.Tests.Stats;

/// <summary>/stats: the counts (in SQL), the charts (decoded), and the command through the fake Bot API.</summary>
public sealed class StatsTests : IAsyncLifetime
{
    private const long Organizer = 8101;
    private const long Reader = 5101;

    /// <summary>2027-01-10 in Beijing: sign-ups start ten days before the harness's now.</summary>
    private static readonly DateTimeOffset From = new(2027, 1, 10, 9, 0, 0, TimeSpan.FromHours(8));

    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync(new Dictionary<string, string?> { ["Community:Organizers:0"] = "8101" });

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private StatsReport Report => bot.Host.Services.GetRequiredService<StatsReport>();

    private async Task<SessionStats> SessionStatsAsync(string key)
    {
        var target = Assert.IsType<StatsTarget.OfSession>(await Report.ResolveAsync(key, isSeries: false, CancellationToken.None));
        return await Report.SessionAsync(target.Session, CancellationToken.None);
    }

    private async Task<(SentMessage Reply, SentDocument? Chart)> AskStatsAsync(long member, string command, bool expectChart = true)
    {
        var before = bot.Telegram.Documents.Count(d => d.ChatId == member);
        var reply = await bot.AskAsync(member, command);
        if (!expectChart)
        {
            await bot.WaitUntilIdleAsync();
            Assert.Equal(before, bot.Telegram.Documents.Count(d => d.ChatId == member));
            return (reply, null);
        }

        await bot.Telegram.WaitUntilAsync(
            () => bot.Telegram.Documents.Count(d => d.ChatId == member) > before, TimeSpan.FromSeconds(20), () => $"no chart after {command}");
        return (reply, bot.Telegram.Documents.Where(d => d.ChatId == member).ElementAt(before));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    public async Task A_chart_renders_for_an_empty_session_one_sign_up_and_100000(int signUps)
    {
        // Arrange: one sign-up every 10 seconds from January 10th (100,000 span eleven and a half days).
        await StatsData.SeedAsync(bot.ConnectionString, "metaverse", signUps, 1_000_000, From, TimeSpan.FromSeconds(10));

        // Act
        var stats = await SessionStatsAsync("metaverse");
        var png = await Report.TryDrawAsync(stats, new Core.Replies.Texts(Core.Language.Chinese, Report.Zone), CancellationToken.None);

        // Assert
        Assert.Equal(signUps, stats.SignUps);
        Assert.Equal(signUps, stats.Buckets.Sum(b => b.SignUps));
        Assert.InRange(stats.Buckets.Count, Math.Min(signUps, 1), StatsTimeline.MaxBuckets);
        Assert.NotNull(png);
        StatsData.AssertChart(png, lineBlue: signUps == 0 ? 100 : 500);
    }

    [Fact]
    public void The_chart_font_has_glyphs_for_报名()
    {
        Assert.True(StatsFonts.Path is not null, StatsFonts.MissingMessage);
        Assert.True(StatsFonts.Covers("报名累计出席提醒群发开始北京时间"), $"{StatsFonts.Path} lacks some Chinese glyphs");
        using var typeface = SKTypeface.FromFile(StatsFonts.Path);
        Assert.True(typeface.ContainsGlyphs(StatsFonts.Probe));
    }

    [Fact]
    public async Task An_organizer_gets_the_chart_as_a_document_and_the_counts_in_the_text()
    {
        // Arrange: 20 sign-ups: 17 confirmed, 2 cancelled, 1 waitlisted; 6 through wx36kr.
        await StatsData.SeedAsync(bot.ConnectionString, "metaverse", 20, 2_000_000, From, TimeSpan.FromHours(3));

        // Act
        var (reply, chart) = await AskStatsAsync(Organizer, "/stats metaverse");

        // Assert
        Assert.Contains("报名 20 人次：已报名 17 · 候补 1 · 已取消 2", reply.Text);
        Assert.Contains("来源：直接 14 · wx36kr 6", reply.Text);
        Assert.DoesNotContain("出席", reply.Text);
        Assert.Equal("stats-metaverse.png", chart!.FileName);
        Assert.Contains("metaverse", chart.Caption);
        StatsData.AssertChart(chart.Content);
    }

    [Fact]
    public async Task A_reader_is_refused_and_gets_no_chart()
    {
        var (reply, _) = await AskStatsAsync(Reader, "/stats metaverse", expectChart: false);

        Assert.Contains("只有组织者或管理员", reply.Text);
    }

    [Fact]
    public async Task An_unknown_key_is_answered_without_a_chart()
    {
        var (reply, _) = await AskStatsAsync(Organizer, "/stats nosuch", expectChart: false);

        Assert.Contains("没有 KEY 为「nosuch」的场次或系列", reply.Text);
    }

    [Fact]
    public async Task Without_a_key_the_next_session_is_shown()
    {
        var (reply, chart) = await AskStatsAsync(Organizer, "/stats");

        Assert.StartsWith("（没有指定 KEY：显示下一场。", reply.Text, StringComparison.Ordinal);
        Assert.Contains("（auto）", reply.Text);
        Assert.Equal("stats-auto.png", chart!.FileName);
    }

    [Fact]
    public async Task A_series_shows_the_trend_of_its_sessions_in_time_order()
    {
        // Arrange: auto (February 10th) and metaverse (17th) in one series; metaverse's key is not the series'.
        await StatsData.SeriesAsync(bot.ConnectionString, "xuantihui", "线上选题会", "metaverse", "auto");
        await StatsData.SeedAsync(bot.ConnectionString, "auto", 30, 3_000_000, From, TimeSpan.FromHours(1));
        await StatsData.SeedAsync(bot.ConnectionString, "metaverse", 50, 3_000_000, From, TimeSpan.FromHours(1));

        // Act
        var (reply, chart) = await AskStatsAsync(Organizer, "/stats xuantihui");
        var target = Assert.IsType<StatsTarget.OfSeries>(await Report.ResolveAsync("xuantihui", isSeries: false, CancellationToken.None));
        var stats = await Report.SeriesAsync(target.Series, CancellationToken.None);

        // Assert
        Assert.Equal([("auto", 30), ("metaverse", 50)], stats.Points.Select(p => (p.Session.Key, p.SignUps)));
        Assert.Contains("系列共 2 场，报名 80 人次", reply.Text);
        Assert.True(reply.Text.IndexOf(" auto — 报名 30", StringComparison.Ordinal) < reply.Text.IndexOf(" metaverse — 报名 50", StringComparison.Ordinal), reply.Text);
        Assert.Equal("stats-series-xuantihui.png", chart!.FileName);
        using var bitmap = SKBitmap.Decode(chart.Content);
        Assert.Equal((1200, 700), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task A_session_key_wins_over_a_series_with_the_same_key_and_says_so()
    {
        await StatsData.SeriesAsync(bot.ConnectionString, "metaverse", "元宇宙系列", "metaverse");

        var (session, _) = await AskStatsAsync(Organizer, "/stats metaverse");
        var (series, seriesChart) = await AskStatsAsync(Organizer, "/stats series metaverse");

        Assert.Contains("系列「元宇宙系列」也用这个 KEY", session.Text);
        Assert.StartsWith("📈 元宇宙系列（metaverse）", series.Text, StringComparison.Ordinal);
        Assert.Equal("stats-series-metaverse.png", seriesChart!.FileName);
    }

    [Fact]
    public async Task Reminders_and_broadcasts_that_went_out_are_marked_and_the_start_too()
    {
        // Arrange: the day-before reminder has gone out; one broadcast to the session went out, one is still a draft.
        var id = await bot.SessionIdAsync("metaverse");
        await using (var connection = new NpgsqlConnection(bot.ConnectionString))
        {
            await connection.ExecuteAsync(
                """
                update reminder_slots set state = 'done' where session_id = @id and "offset" = interval '1 day';
                insert into broadcasts (author_id, audience, session_id, text, state, prepared_at)
                values (8101, 'confirmed', @id, 'hello', 'done', timestamptz '2027-01-15 10:00:00+08'),
                       (8101, 'confirmed', @id, 'draft', 'draft', null);
                """,
                new { id });
        }

        // Act
        var stats = await SessionStatsAsync("metaverse");

        // Assert
        var start = new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8));
        Assert.Equal(
            [
                new StatsMarker(new DateTimeOffset(2027, 1, 15, 10, 0, 0, TimeSpan.FromHours(8)), StatsMarkerKind.Broadcast),
                new StatsMarker(start.AddDays(-1), StatsMarkerKind.Reminder),
                new StatsMarker(start, StatsMarkerKind.Start),
            ],
            stats.Markers);
    }

    [Fact]
    public async Task Returning_members_sources_show_rate_and_feedback_are_counted()
    {
        // Arrange: ten members signed up to auto (the earlier session); four of them and six new ones to metaverse.
        await StatsData.SeedAsync(bot.ConnectionString, "auto", 10, 4_000_000, From, TimeSpan.FromHours(1));
        await StatsData.SeedAsync(bot.ConnectionString, "metaverse", 10, 4_000_006, From, TimeSpan.FromHours(1));
        await using (var connection = new NpgsqlConnection(bot.ConnectionString))
        {
            // Three of metaverse's confirmed attended; one scored 4, one 5.
            await connection.ExecuteAsync(
                """
                update registrations set attended_at = now(), attended_via = 'import'
                 where session_id = (select id from sessions where key = 'metaverse') and member_id in (4000006, 4000007, 4000008);
                insert into feedback (session_id, member_id, score, scored_at)
                select id, m, s, now() from sessions, (values (4000006, 4), (4000007, 5)) v (m, s) where key = 'metaverse';
                """);
        }

        // Act: a day after metaverse's start.
        bot.Time.SetUtcNow(new DateTimeOffset(2027, 2, 18, 12, 0, 0, TimeSpan.FromHours(8)));
        var stats = await SessionStatsAsync("metaverse");
        var (reply, _) = await AskStatsAsync(Organizer, "/stats metaverse");

        // Assert: members 4000006-4000009 had signed up to auto.
        Assert.Equal(4, stats.Returning);
        Assert.Equal([new SourceCount(null, 7), new SourceCount("wx36kr", 3)], stats.Sources);
        Assert.Equal(3, stats.Attended);
        Assert.Equal(4.5, stats.Feedback?.Average);
        Assert.Contains("出席 3/8（38%）", reply.Text);
        Assert.Contains("反馈 4.5 分 · 2 人", reply.Text);
        Assert.Contains("老朋友（报过更早的场次）：4 人次（40%）", reply.Text);
    }
}
