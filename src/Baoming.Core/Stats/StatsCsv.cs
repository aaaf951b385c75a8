using System.Globalization;
using System.Text;
using Baoming.Core.Export;

namespace Baoming.Core.Stats;

/// <summary>
/// <c>stats --output FILE.csv</c>: the numbers behind the chart, then the summary, one table of
/// <c>metric,at,label,value</c> (UTF-8 with BOM, CRLF: as the exports, so Excel opens it). Times are in the
/// community's zone like the exports' time columns; shares are fractions (0.74), not percentages.
/// </summary>
public static class StatsCsv
{
    public static readonly string[] Header = ["metric", "at", "label", "value"];

    /// <summary>
    /// A session: <c>signups</c> (per bucket, at its start) and <c>cumulative</c> (the total at the bucket's end),
    /// <c>marker</c> rows (reminder, broadcast, start), then confirmed, waitlisted, cancelled, signups_total,
    /// attended and show_rate (once started), feedback_average and feedback_count (when known), returning,
    /// returning_share and one <c>source</c> row per source (label empty: 直接, no source).
    /// </summary>
    public static byte[] Write(SessionStats stats, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var rows = new List<string[]>();
        long total = 0;
        foreach (var bucket in stats.Buckets)
        {
            total += bucket.SignUps;
            rows.Add(["signups", Time(bucket.Start, zone), "", Number(bucket.SignUps)]);
            rows.Add(["cumulative", Time(bucket.Start + stats.BucketWidth, zone), "", Number(total)]);
        }

        foreach (var marker in stats.Markers)
        {
            rows.Add(["marker", Time(marker.At, zone), marker.Kind.ToString().ToLowerInvariant(), ""]);
        }

        rows.Add(Summary("confirmed", stats.Confirmed));
        rows.Add(Summary("waitlisted", stats.Waitlisted));
        rows.Add(Summary("cancelled", stats.Cancelled));
        rows.Add(Summary("signups_total", stats.SignUps));
        if (StatsTimeline.ShowRate(stats) is { } showRate)
        {
            rows.Add(Summary("attended", stats.Attended));
            rows.Add(["show_rate", "", "", Fraction(showRate)]);
        }

        if (stats.Feedback is { Average: { } average } feedback)
        {
            rows.Add(["feedback_average", "", "", Fraction(average)]);
            rows.Add(Summary("feedback_count", feedback.Count));
        }

        rows.Add(Summary("returning", stats.Returning));
        if (StatsTimeline.ReturningShare(stats) is { } share)
        {
            rows.Add(["returning_share", "", "", Fraction(share)]);
        }

        foreach (var source in stats.Sources)
        {
            rows.Add(["source", "", source.Source ?? "", Number(source.SignUps)]);
        }

        return Encode(rows);
    }

    /// <summary>A series: per session (at its start, labelled with its key) <c>signups</c>, <c>confirmed</c>, <c>attended</c> and <c>show_rate</c> (once started).</summary>
    public static byte[] Write(SeriesStats stats, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var rows = new List<string[]>();
        foreach (var point in stats.Points)
        {
            var at = Time(point.Session.StartsAt, zone);
            rows.Add(["signups", at, point.Session.Key, Number(point.SignUps)]);
            rows.Add(["confirmed", at, point.Session.Key, Number(point.Confirmed)]);
            if (point.ShowRate(stats.Now) is { } rate)
            {
                rows.Add(["attended", at, point.Session.Key, Number(point.Attended)]);
                rows.Add(["show_rate", at, point.Session.Key, Fraction(rate)]);
            }
        }

        rows.Add(Summary("sessions", stats.Points.Count));
        rows.Add(Summary("signups_total", stats.Points.Sum(p => (long)p.SignUps)));
        return Encode(rows);
    }

    private static string[] Summary(string metric, long value) => [metric, "", "", Number(value)];

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Fraction(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero).ToString("0.####", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static byte[] Encode(List<string[]> rows)
    {
        using var buffer = new MemoryStream();
        buffer.Write(CsvFormat.ByteOrderMark);
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        {
            foreach (var row in (IEnumerable<string[]>)[Header, .. rows])
            {
                for (var i = 0; i < row.Length; i++)
                {
                    if (i > 0)
                    {
                        writer.Write(',');
                    }

                    // A source or key may start with "-": never a formula when the file is opened.
                    CsvFormat.WriteField(writer, FormulaGuard.Neutralise(row[i]));
                }

                writer.Write(CsvFormat.LineEnd);
            }
        }

        return buffer.ToArray();
    }
}
