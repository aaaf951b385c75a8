using System.Globalization;
using System.Text;
using Baoming.Core.Stats;

namespace Baoming.Core.Replies;

// /stats (organizers): the lines beside the chart, the chart's own words, and what is said when there is nothing to show.
public sealed partial class Texts
{
    /// <summary>Sources named one by one in the summary; the rest are added up as 其他.</summary>
    private const int StatsSourcesShown = 5;

    /// <summary>Sessions listed one a line under a series' summary: the latest ones.</summary>
    public const int StatsSeriesLines = 10;

    public Reply StatsNoSessions() => Reply.Plain(Pick(
        "还没有任何场次，没有可以统计的数据。",
        "There are no sessions yet, so there is nothing to chart."));

    public Reply StatsUnknownKey(string key) => Reply.Plain(Pick(
        $"没有 KEY 为「{Clip(key)}」的场次或系列。发送 /sessions 查看现有场次，或发送 /stats 查看下一场。",
        $"No session or series has the key \"{Clip(key)}\". Send /sessions to see the sessions, or /stats for the next one."));

    /// <summary>
    /// The lines sent with a session's chart. <paramref name="isDefault"/>: no KEY was given and this is the next
    /// (or latest) session; <paramref name="sameKeySeries"/>: a series has the same key (the session won);
    /// <paramref name="isChartMissing"/>: the chart could not be drawn (no CJK font installed).
    /// </summary>
    public Reply StatsSessionSummary(SessionStats stats, bool isDefault = false, SeriesInfo? sameKeySeries = null, bool isChartMissing = false)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var session = stats.Session;
        var text = new StringBuilder();
        if (isDefault)
        {
            text.Append(session.StartsAt > stats.Now
                ? Pick("（没有指定 KEY：显示下一场。/stats KEY 查看其他场次或系列。）", "(No KEY given: the next session. /stats KEY for another session or a series.)")
                : Pick("（没有指定 KEY，也没有即将开始的场次：显示最近一场。）", "(No KEY given and nothing upcoming: the latest session.)")).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"📊 {session.Title}（{session.Key}）\n{When(session)}");
        if (session.IsCancelled)
        {
            text.Append(Pick(" · ❌ 已取消", " · ❌ cancelled"));
        }

        text.Append('\n').Append(Pick(
            $"报名 {stats.SignUps} 人次：已报名 {stats.Confirmed} · 候补 {stats.Waitlisted} · 已取消 {stats.Cancelled}",
            $"{stats.SignUps} sign-ups: {stats.Confirmed} confirmed · {stats.Waitlisted} waitlisted · {stats.Cancelled} cancelled"));
        if (StatsTimeline.ShowRate(stats) is not null)
        {
            text.Append('\n').Append(ShowRate(stats.Attended, stats.Confirmed));
        }

        if (stats.Feedback is { } feedback)
        {
            text.Append('\n').Append(FeedbackFact(feedback));
        }

        if (stats.Sources.Count > 0)
        {
            var shown = stats.Sources.Take(StatsSourcesShown).Select(s => $"{SourceName(s.Source)} {s.SignUps}").ToList();
            var others = stats.Sources.Skip(StatsSourcesShown).Sum(s => s.SignUps);
            if (others > 0)
            {
                shown.Add(Pick($"其他 {others}", $"others {others}"));
            }

            text.Append('\n').Append(Pick("来源：", "Sources: ")).Append(string.Join(" · ", shown));
        }

        if (StatsTimeline.ReturningShare(stats) is { } share)
        {
            text.Append('\n').Append(Pick(
                $"老朋友（报过更早的场次）：{stats.Returning} 人次（{SharePercent(share)}%）",
                $"Returning (signed up to an earlier session): {stats.Returning} ({SharePercent(share)}%)"));
        }

        var reminders = stats.Markers.Count(m => m.Kind == StatsMarkerKind.Reminder);
        var broadcasts = stats.Markers.Count(m => m.Kind == StatsMarkerKind.Broadcast);
        if (!isChartMissing && reminders + broadcasts > 0)
        {
            text.Append('\n').Append(Pick(
                $"图中竖线：提醒 {reminders} 次 · 群发 {broadcasts} 次 · 开始时间",
                $"Lines on the chart: {reminders} reminders · {broadcasts} broadcasts · the start"));
        }

        if (sameKeySeries is not null)
        {
            text.Append('\n').Append(Pick(
                $"（系列「{sameKeySeries.Title}」也用这个 KEY，这里显示的是场次；系列请发送 /stats series {sameKeySeries.Key}。）",
                $"(The series \"{sameKeySeries.Title}\" has the same key; this is the session. For the series send /stats series {sameKeySeries.Key}.)"));
        }

        if (isChartMissing)
        {
            text.Append('\n').Append(StatsChartMissing());
        }

        return Reply.Plain(text.ToString());
    }

    /// <summary>The lines sent with a series' trend chart: the totals, then the latest sessions one a line.</summary>
    public Reply StatsSeriesSummary(SeriesStats stats, bool isChartMissing = false)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"📈 {stats.Series.Title}（{stats.Series.Key}）\n").Append(Pick(
            $"系列共 {stats.Points.Count} 场，报名 {stats.Points.Sum(p => p.SignUps)} 人次",
            $"{stats.Points.Count} sessions in the series, {stats.Points.Sum(p => p.SignUps)} sign-ups"));
        if (stats.Points.Count == 0)
        {
            text.Append('\n').Append(Pick("（系列里还没有场次。）", "(No sessions in the series yet.)"));
        }

        if (stats.Points.Count > StatsSeriesLines)
        {
            text.Append('\n').Append(Pick($"最近 {StatsSeriesLines} 场：", $"The latest {StatsSeriesLines}:"));
        }

        foreach (var point in stats.Points.TakeLast(StatsSeriesLines))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n· {Day(point.Session)} {point.Session.Key} — ").Append(Pick(
                $"报名 {point.SignUps}",
                $"{point.SignUps} sign-ups"));
            if (point.ShowRate(stats.Now) is not null)
            {
                text.Append(" · ").Append(ShowRate(point.Attended, point.Confirmed));
            }
        }

        if (isChartMissing)
        {
            text.Append('\n').Append(StatsChartMissing());
        }

        return Reply.Plain(text.ToString());
    }

    /// <summary>Said when no font with Chinese glyphs is installed: the numbers still go out, the chart does not.</summary>
    public string StatsChartMissing() => Pick(
        "⚠️ 图表没有生成：服务器上没有安装中文字体（例如 fonts-wqy-microhei）。",
        "⚠️ No chart: the server has no font with Chinese characters installed (e.g. fonts-wqy-microhei).");

    /// <summary>The PNG's caption: which session or series, in one line.</summary>
    public string StatsCaption(string title, string key) => Pick($"📊 {ClipTo(title, 200)}（{key}）", $"📊 {ClipTo(title, 200)} ({key})");

    /// <summary>The words on a session's chart.</summary>
    public StatsChartLabels StatsSessionChartLabels(SessionStats stats, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new(
            Pick($"累计报名 · {ClipTo(stats.Session.Title, 40)}（{Day(stats.Session)}）", $"Sign-ups over time · {ClipTo(stats.Session.Title, 40)} ({Day(stats.Session)})"),
            StatsTimeAxis(zone),
            Pick("累计报名人次", "Sign-ups (cumulative)"),
            Pick("报名", "Sign-ups"),
            Pick("出席", "Attended"),
            Pick("提醒", "Reminder"),
            Pick("群发", "Broadcast"),
            Pick("开始", "Start"),
            Language);
    }

    /// <summary>The words on a series' trend chart.</summary>
    public StatsChartLabels StatsSeriesChartLabels(SeriesStats stats, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new(
            Pick($"系列趋势 · {ClipTo(stats.Series.Title, 40)}", $"Series trend · {ClipTo(stats.Series.Title, 40)}"),
            Pick($"场次（{ZoneName(zone)}）", $"Session ({ZoneName(zone)})"),
            Pick("人数", "People"),
            Pick("报名", "Sign-ups"),
            Pick("出席", "Attended"),
            Pick("提醒", "Reminder"),
            Pick("群发", "Broadcast"),
            Pick("开始", "Start"),
            Language);
    }

    private string StatsTimeAxis(TimeZoneInfo zone) => Pick($"时间（{ZoneName(zone)}）", $"Time ({ZoneName(zone)})");

    /// <summary>"北京时间" / "Beijing time" for the community's usual zone, else its UTC offset now.</summary>
    private string ZoneName(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var offset = zone.BaseUtcOffset;
        if (zone.Id == "Asia/Shanghai" || (offset == TimeSpan.FromHours(8) && !zone.SupportsDaylightSavingTime))
        {
            return Pick("北京时间", "Beijing time");
        }

        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{offset.Duration().Hours:00}:{offset.Duration().Minutes:00}");
    }

    private string SourceName(string? source) => source ?? Pick("直接", "direct");

    private static string SharePercent(double share) =>
        Math.Round(100 * share, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);
}
