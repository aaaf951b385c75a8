using System.Globalization;
using Baoming.Metrics;

namespace Baoming.Tests.Metrics;

/// <summary>The exposition format itself, against exact text (format 0.0.4).</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Counters_and_gauges_are_written_with_help_type_and_one_line_per_series()
    {
        var families = new[]
        {
            new MetricFamily("baoming_signups_total", "Sign-ups by outcome.", MetricType.Counter,
            [
                new MetricSample([new("outcome", "confirmed")], 3),
                new MetricSample([new("outcome", "waitlisted")], 0),
            ]),
            new MetricFamily("baoming_inbox_lag_seconds", "Age of the oldest update.", MetricType.Gauge, [MetricSample.Unlabelled(1.25)]),
        };

        var text = PrometheusText.Write(families);

        Assert.Equal("""
            # HELP baoming_signups_total Sign-ups by outcome.
            # TYPE baoming_signups_total counter
            baoming_signups_total{outcome="confirmed"} 3
            baoming_signups_total{outcome="waitlisted"} 0
            # HELP baoming_inbox_lag_seconds Age of the oldest update.
            # TYPE baoming_inbox_lag_seconds gauge
            baoming_inbox_lag_seconds 1.25

            """, text);
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_help_escapes_backslash_and_newline()
    {
        var family = new MetricFamily("m", "A \"quoted\" C:\\path\nsecond line", MetricType.Gauge,
            [new MetricSample([new("path", "C:\\x \"y\"\nz"), new("chat", "小组")], 1)]);

        var text = PrometheusText.Write([family]);

        Assert.Equal("""
            # HELP m A "quoted" C:\\path\nsecond line
            # TYPE m gauge
            m{path="C:\\x \"y\"\nz",chat="小组"} 1

            """, text);
    }

    [Fact]
    public void Names_that_Prometheus_would_refuse_are_made_valid()
    {
        Assert.Equal("baoming_messages_sent", PrometheusText.MetricName("baoming.messages.sent"));
        Assert.Equal("a:b_c", PrometheusText.MetricName("a:b-c"));
        Assert.Equal("_9lives", PrometheusText.MetricName("9lives"));
        Assert.Equal("{a_b=\"1\"}", PrometheusText.Labels([new("a:b", "1")]));
    }

    [Fact]
    public void Numbers_use_the_invariant_culture_whatever_the_current_one()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");

            Assert.Equal("0.5", PrometheusText.Number(0.5));
            Assert.Equal("1234567", PrometheusText.Number(1234567));
            Assert.Equal("-2.75", PrometheusText.Number(-2.75));
            Assert.Equal("1E-07", PrometheusText.Number(1e-7));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Infinities_and_NaN_are_written_as_Prometheus_spells_them()
    {
        Assert.Equal("+Inf", PrometheusText.Number(double.PositiveInfinity));
        Assert.Equal("-Inf", PrometheusText.Number(double.NegativeInfinity));
        Assert.Equal("NaN", PrometheusText.Number(double.NaN));
    }
}
