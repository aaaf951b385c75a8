using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Baoming.Metrics;

/// <summary>
/// Totals of this host's counters. It listens only to the <see cref="BaomingMetrics.MeterName"/> meter of
/// this host's own <see cref="IMeterFactory"/> (the meter's <see cref="Meter.Scope"/>), so hosts sharing a
/// process never count each other's measurements.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener listener;
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> series = new();

    public MetricsCollector(IMeterFactory meterFactory)
    {
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, self) =>
            {
                if (instrument is Counter<long> && instrument.Meter.Name == BaomingMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    self.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>(Record);
        listener.Start();
    }

    /// <summary>One family per counter, by name, each series sorted by its labels.</summary>
    public IReadOnlyList<MetricFamily> Collect() =>
    [
        .. series.Values
            .GroupBy(s => s.Instrument)
            .Select(counter => new MetricFamily(
                CounterName(counter.Key.Name),
                counter.Key.Description ?? "",
                MetricType.Counter,
                [.. counter.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new MetricSample(s.Labels, s.Total))]))
            .OrderBy(family => family.Name, StringComparer.Ordinal),
    ];

    public void Dispose() => listener.Dispose();

    private static string CounterName(string instrumentName)
    {
        var name = PrometheusText.MetricName(instrumentName);
        return name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
        }

        Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var key = PrometheusText.Labels(labels);
        series.GetOrAdd((instrument, key), static (k, labels) => new Series(k.Instrument, k.Labels, labels), labels).Add(value);
    }

    private sealed class Series(Instrument instrument, string key, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        private long total;

        public Instrument Instrument { get; } = instrument;

        /// <summary>The labels as written, unique per label set.</summary>
        public string Key { get; } = key;

        public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

        public long Total => Interlocked.Read(ref total);

        public void Add(long value) => Interlocked.Add(ref total, value);
    }
}
