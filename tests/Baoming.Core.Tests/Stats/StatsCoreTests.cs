using System.Text;
using Baoming.Core.Replies;
using Baoming.Core.Stats;

namespace Baoming.Core.Tests.Stats;

/// <summary>The pure side of /stats: bucket widths, the cumulative line, the CSV and the summary lines.</summary>
public sealed class StatsCoreTests
{
    private static readonly TimeZoneInfo Shanghai = CommunitySessions.Shanghai;

    private static readonly DateTimeOffset Day = new(2027, 1, 20, 12, 0, 0, TimeSpan.FromHours(8));

    private static SessionStats Stats(DateTimeOffset now, params SignupBucket[] buckets) => new()
    {
        Session = CommunitySessions.Metaverse,
        Now = now,
        Confirmed = 80,
        Waitlisted = 5,
        Cancelled = 15,
        Attended = 60,
        Returning = 25,
        Sources = [new(null, 50), new("wx36kr", 30), new("-sneaky", 20)],
        Feedback = new FeedbackResults([0, 0, 1, 2, 1], 0),
        BucketWidth = TimeSpan.FromHours(1),
        Buckets = buckets,
        Markers =
        [
            new(CommunitySessions.Metaverse.StartsAt.AddDays(-1), StatsMarkerKind.Reminder),
            new(CommunitySessions.Metaverse.StartsAt, StatsMarkerKind.Start),
        ],
    };

    [Theory]
    [InlineData(0, 1)]
    [InlineData(60, 1)]
    [InlineData(399, 1)]
    [InlineData(400, 5)]
    [InlineData(60 * 24 * 3, 15)]
    [InlineData(60 * 24 * 14, 60)]
    [InlineData(60 * 24 * 60, 60 * 6)]
    [InlineData(60 * 24 * 365, 60 * 24)]
    public void The_bucket_width_is_the_narrowest_that_keeps_the_chart_under_400_buckets(int spanMinutes, int expectedMinutes)
    {
        var width = StatsTimeline.BucketWidth(Day, Day.AddMinutes(spanMinutes));

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), width);
        Assert.True(spanMinutes / width.TotalMinutes < StatsTimeline.MaxBuckets);
    }

    [Fact]
    public void Years_of_sign_ups_get_whole_weeks()
    {
        var width = StatsTimeline.BucketWidth(Day, Day.AddYears(10));

        Assert.Equal(0, width.Ticks % TimeSpan.FromDays(7).Ticks);
        Assert.True((Day.AddYears(10) - Day) / width < StatsTimeline.MaxBuckets);
    }

    [Fact]
    public void Buckets_start_at_a_local_Monday_midnight()
    {
        var origin = StatsTimeline.Origin(Shanghai);

        Assert.Equal(DayOfWeek.Monday, origin.DayOfWeek);
        Assert.Equal(TimeSpan.FromHours(8), origin.Offset);
        Assert.Equal(TimeSpan.Zero, origin.TimeOfDay);
    }

    [Fact]
    public void The_cumulative_line_starts_at_zero_and_adds_each_bucket_at_its_end()
    {
        var points = StatsTimeline.Cumulative([new(Day, 3), new(Day.AddHours(5), 2)], TimeSpan.FromHours(1));

        Assert.Equal([(Day, 0L), (Day.AddHours(1), 3L), (Day.AddHours(6), 5L)], points);
        Assert.Empty(StatsTimeline.Cumulative([], TimeSpan.FromHours(1)));
    }

    [Fact]
    public void The_show_rate_is_known_once_the_session_has_started()
    {
        var before = Stats(Day);
        var after = Stats(CommunitySessions.Metaverse.StartsAt.AddHours(2));

        Assert.Null(StatsTimeline.ShowRate(before));
        Assert.Equal(0.75, StatsTimeline.ShowRate(after));
        Assert.Equal(0.25, StatsTimeline.ReturningShare(after));
    }

    [Fact]
    public void The_summary_has_the_counts_show_rate_feedback_sources_and_returning_share()
    {
        var text = new Texts(Language.Chinese, Shanghai).StatsSessionSummary(Stats(CommunitySessions.Metaverse.StartsAt.AddHours(2))).Text;

        Assert.Contains("报名 100 人次：已报名 80 · 候补 5 · 已取消 15", text);
        Assert.Contains("出席 60/80（75%）", text);
        Assert.Contains("反馈 4.0 分 · 4 人", text);
        Assert.Contains("来源：直接 50 · wx36kr 30 · -sneaky 20", text);
        Assert.Contains("老朋友（报过更早的场次）：25 人次（25%）", text);
        Assert.Contains("提醒 1 次 · 群发 0 次", text);
    }

    [Fact]
    public void Before_the_start_the_summary_has_no_show_rate_and_English_members_read_English()
    {
        var chinese = new Texts(Language.Chinese, Shanghai).StatsSessionSummary(Stats(Day), isDefault: true).Text;
        var english = new Texts(Language.English, Shanghai).StatsSessionSummary(Stats(Day)).Text;

        Assert.DoesNotContain("出席", chinese);
        Assert.StartsWith("（没有指定 KEY：显示下一场。", chinese, StringComparison.Ordinal);
        Assert.Contains("100 sign-ups: 80 confirmed · 5 waitlisted · 15 cancelled", english);
        Assert.Contains("Sources: direct 50", english);
    }

    [Fact]
    public void A_series_with_the_same_key_is_mentioned_and_a_missing_font_is_said()
    {
        var text = new Texts(Language.Chinese, Shanghai).StatsSessionSummary(
            Stats(Day), sameKeySeries: new SeriesInfo(1, "metaverse", "元宇宙系列"), isChartMissing: true).Text;

        Assert.Contains("系列「元宇宙系列」也用这个 KEY", text);
        Assert.Contains("/stats series metaverse", text);
        Assert.Contains("fonts-wqy-microhei", text);
    }

    [Fact]
    public void More_than_five_sources_are_summed_as_others()
    {
        var stats = Stats(Day) with { Sources = [.. Enumerable.Range(1, 7).Select(i => new SourceCount("s" + i, 10 - i))] };

        var text = new Texts(Language.Chinese, Shanghai).StatsSessionSummary(stats).Text;

        Assert.Contains("来源：s1 9 · s2 8 · s3 7 · s4 6 · s5 5 · 其他 7", text);
    }

    [Fact]
    public void The_session_CSV_has_the_buckets_markers_and_summary_rows_with_risky_labels_neutralised()
    {
        var stats = Stats(CommunitySessions.Metaverse.StartsAt.AddHours(2), new SignupBucket(Day, 60), new SignupBucket(Day.AddHours(2), 40));

        var bytes = StatsCsv.Write(stats, Shanghai);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "metric,at,label,value",
                "signups,2027-01-20 12:00:00,,60",
                "cumulative,2027-01-20 13:00:00,,60",
                "signups,2027-01-20 14:00:00,,40",
                "cumulative,2027-01-20 15:00:00,,100",
                "marker,2027-02-16 19:30:00,reminder,",
                "marker,2027-02-17 19:30:00,start,",
                "confirmed,,,80",
                "waitlisted,,,5",
                "cancelled,,,15",
                "signups_total,,,100",
                "attended,,,60",
                "show_rate,,,0.75",
                "feedback_average,,,4",
                "feedback_count,,,4",
                "returning,,,25",
                "returning_share,,,0.25",
                "source,,,50",
                "source,,wx36kr,30",
                "source,,'-sneaky,20",
            ],
            lines);
    }

    [Fact]
    public void The_series_CSV_has_one_group_of_rows_per_session_in_time_order()
    {
        var now = CommunitySessions.Metaverse.StartsAt.AddDays(-1);
        var stats = new SeriesStats(
            new SeriesInfo(1, "xt", "选题会"),
            [new SeriesPoint(CommunitySessions.Auto, 10, 8, 6), new SeriesPoint(CommunitySessions.Metaverse, 12, 12, 0)],
            now);

        var text = Encoding.UTF8.GetString(StatsCsv.Write(stats, Shanghai)).TrimStart('\uFEFF');

        Assert.Equal(
            "metric,at,label,value\r\n" +
            "signups,2027-02-10 19:30:00,auto,10\r\nconfirmed,2027-02-10 19:30:00,auto,8\r\n" +
            "attended,2027-02-10 19:30:00,auto,6\r\nshow_rate,2027-02-10 19:30:00,auto,0.75\r\n" +
            "signups,2027-02-17 19:30:00,metaverse,12\r\nconfirmed,2027-02-17 19:30:00,metaverse,12\r\n" +
            "sessions,,,2\r\nsignups_total,,,22\r\n",
            text);
    }

    [Fact]
    public void The_series_summary_lists_the_sessions_with_their_show_rates()
    {
        var now = CommunitySessions.Metaverse.StartsAt.AddDays(-1);
        var stats = new SeriesStats(
            new SeriesInfo(1, "xt", "选题会"),
            [new SeriesPoint(CommunitySessions.Auto, 10, 8, 6), new SeriesPoint(CommunitySessions.Metaverse, 12, 12, 0)],
            now);

        var text = new Texts(Language.Chinese, Shanghai).StatsSeriesSummary(stats).Text;

        Assert.Contains("系列共 2 场，报名 22 人次", text);
        Assert.Contains("· 2月10日 周三 auto — 报名 10 · 出席 6/8（75%）", text);
        Assert.Contains("· 2月17日 周三 metaverse — 报名 12", text);
        Assert.DoesNotContain("metaverse — 报名 12 ·", text);
    }

    [Fact]
    public void Chart_words_name_Beijing_time_in_both_languages()
    {
        var stats = Stats(Day);

        Assert.Equal("时间（北京时间）", new Texts(Language.Chinese, Shanghai).StatsSessionChartLabels(stats, Shanghai).TimeAxis);
        Assert.Equal("Time (Beijing time)", new Texts(Language.English, Shanghai).StatsSessionChartLabels(stats, Shanghai).TimeAxis);
        Assert.StartsWith("累计报名 · 到底什么是\"元宇宙\"", new Texts(Language.Chinese, Shanghai).StatsSessionChartLabels(stats, Shanghai).Title, StringComparison.Ordinal);
    }

    [Fact]
    public void The_organizers_command_list_under_sessions_names_stats()
    {
        var counts = new SessionCounts(CommunitySessions.Metaverse, 3, 0);

        Assert.Contains("统计：/stats [KEY]", new Texts(Language.Chinese, Shanghai).SessionsOverview([counts], []).Text);
        Assert.Contains("Stats: /stats [KEY]", new Texts(Language.English, Shanghai).SessionsOverview([counts], []).Text);
    }
}
