using System.Globalization;
using Baoming.Core;
using Baoming.Core.Stats;
using ScottPlot;

namespace Baoming.Stats;

/// <summary>
/// Draws the PNG charts of <c>/stats</c> with ScottPlot: a session's cumulative sign-ups with its reminders,
/// broadcasts and start marked; a series' sign-ups and attendance per session. Times on the axis are local to the
/// community's zone. Charts are drawn one at a time: drawing is CPU-bound and ScottPlot's font cache is shared.
/// </summary>
public sealed class StatsChart : IDisposable
{
    public const int Width = 1200;

    public const int Height = 700;

    /// <summary>The series chart shows at most this many sessions, the latest: more bars would be unreadable.</summary>
    public const int MaxSeriesBars = 24;

    private static readonly Color SignUpsColor = Color.FromHex("#1f77b4");
    private static readonly Color AttendedColor = Color.FromHex("#2ca02c");
    private static readonly Color ReminderColor = Color.FromHex("#ff7f0e");
    private static readonly Color BroadcastColor = Color.FromHex("#9467bd");
    private static readonly Color StartColor = Color.FromHex("#d62728");

    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    public void Dispose() => oneAtATime.Dispose();

    /// <summary>A session's chart as PNG bytes; throws <see cref="StatsFontMissingException"/> when no CJK font is installed.</summary>
    public async Task<byte[]> DrawAsync(SessionStats stats, StatsChartLabels labels, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(labels);
        StatsFonts.Require();
        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return DrawSession(stats, labels, zone);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    /// <summary>A series' trend chart as PNG bytes; throws <see cref="StatsFontMissingException"/> when no CJK font is installed.</summary>
    public async Task<byte[]> DrawAsync(SeriesStats stats, StatsChartLabels labels, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(labels);
        StatsFonts.Require();
        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return DrawSeries(stats, labels, zone);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private static byte[] DrawSession(SessionStats stats, StatsChartLabels labels, TimeZoneInfo zone)
    {
        using var plot = NewPlot(labels);
        double X(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone).DateTime.ToOADate();

        var cumulative = StatsTimeline.Cumulative(stats.Buckets, stats.BucketWidth);
        var start = X(stats.Session.StartsAt);
        // An empty session still gets a timeline: the week before its start (or before now, if that is earlier).
        var until = X(stats.Now < stats.Session.StartsAt ? stats.Now : stats.Session.StartsAt);
        List<double> xs = cumulative.Count > 0 ? [.. cumulative.Select(p => X(p.At))] : [Math.Min(until, start) - 7];
        List<double> ys = cumulative.Count > 0 ? [.. cumulative.Select(p => (double)p.Total)] : [0];
        if (xs[^1] < until)
        {
            // The total holds until now (or the start): a quiet week is a flat line, not a line that stops.
            xs.Add(until);
            ys.Add(ys[^1]);
        }

        var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), SignUpsColor);
        line.LineWidth = 3;
        line.MarkerSize = 0;
        line.FillY = true;
        line.FillYColor = SignUpsColor.WithAlpha(0.15);
        line.LegendText = $"{labels.SignUps} ({stats.SignUps.ToString("N0", CultureInfo.InvariantCulture)})";

        var seen = new HashSet<StatsMarkerKind>();
        foreach (var marker in stats.Markers)
        {
            var (color, text) = marker.Kind switch
            {
                StatsMarkerKind.Reminder => (ReminderColor, labels.Reminder),
                StatsMarkerKind.Broadcast => (BroadcastColor, labels.Broadcast),
                _ => (StartColor, labels.Start),
            };
            var vertical = plot.Add.VerticalLine(X(marker.At), width: marker.Kind == StatsMarkerKind.Start ? 2.5f : 1.5f, color);
            vertical.LinePattern = marker.Kind == StatsMarkerKind.Start ? LinePattern.Solid : LinePattern.Dashed;
            vertical.LabelText = text;
            vertical.LabelFontName = StatsFonts.Name;
            vertical.LabelFontSize = 13;
            vertical.LabelBackgroundColor = color;
            vertical.LabelOppositeAxis = true;
            if (seen.Add(marker.Kind))
            {
                vertical.LegendText = text;
            }
        }

        // The date axis first: it replaces the bottom axis, and limits set before it would be lost.
        var axis = plot.Axes.DateTimeTicksBottom();
        axis.LabelText = labels.TimeAxis;
        var first = Math.Min(xs[0], stats.Markers.Count > 0 ? X(stats.Markers[0].At) : xs[0]);
        var last = Math.Max(Math.Max(xs[^1], start), stats.Markers.Count > 0 ? X(stats.Markers[^1].At) : start);
        var margin = Math.Max((last - first) * 0.03, 1.0 / 24);
        plot.Axes.SetLimitsX(first - margin, last + margin);
        plot.Axes.SetLimitsY(0, Math.Max(ys.Max() * 1.1, 5));
        var spansDays = last - first > 2;
        if (axis.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic ticks)
        {
            ticks.LabelFormatter = time => TickLabel(time, spansDays, labels.Language);
        }

        // Room above the data for the markers' labels, below the title.
        plot.Axes.Top.MinimumSize = 28;

        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static byte[] DrawSeries(SeriesStats stats, StatsChartLabels labels, TimeZoneInfo zone)
    {
        using var plot = NewPlot(labels);
        var points = stats.Points.TakeLast(MaxSeriesBars).ToList();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            bars.Add(new Bar
            {
                Position = i - 0.2,
                Value = point.SignUps,
                Size = 0.38,
                FillColor = SignUpsColor,
                Label = point.SignUps.ToString(CultureInfo.InvariantCulture),
            });
            if (point.ShowRate(stats.Now) is { } rate)
            {
                bars.Add(new Bar
                {
                    Position = i + 0.2,
                    Value = point.Attended,
                    Size = 0.38,
                    FillColor = AttendedColor,
                    Label = string.Create(CultureInfo.InvariantCulture, $"{point.Attended} · {Math.Round(rate * 100, MidpointRounding.AwayFromZero):0}%"),
                });
            }

            var local = TimeZoneInfo.ConvertTime(point.Session.StartsAt, zone).DateTime;
            ticks.Add(new Tick(i, TickLabel(local, spansDays: true, labels.Language) + "\n" + Clip(point.Session.Key, 14)));
        }

        if (bars.Count > 0)
        {
            var plottable = plot.Add.Bars(bars);
            plottable.ValueLabelStyle.FontName = StatsFonts.Name;
            plottable.ValueLabelStyle.FontSize = 12;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.XLabel(labels.TimeAxis);
        plot.Axes.SetLimitsX(-0.8, Math.Max(points.Count, 1) - 0.2);
        plot.Axes.SetLimitsY(0, Math.Max(points.Count == 0 ? 0 : points.Max(p => p.SignUps) * 1.15, 5));
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = labels.SignUps, FillColor = SignUpsColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = labels.Attended, FillColor = AttendedColor });
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static Plot NewPlot(StatsChartLabels labels)
    {
        var plot = new Plot();
        plot.Title(labels.Title, size: 22);
        plot.YLabel(labels.CountAxis);
        plot.Font.Set(StatsFonts.Name);
        plot.Legend.FontName = StatsFonts.Name;
        plot.Legend.FontSize = 14;
        return plot;
    }

    /// <summary>"1月20日" / "Jan 20", with the time when the chart spans a day or two.</summary>
    private static string TickLabel(DateTime local, bool spansDays, Language language)
    {
        var date = language == Language.English
            ? local.ToString("MMM d", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{local.Month}月{local.Day}日");
        return spansDays ? date : date + "\n" + local.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
