using System.Data.Common;

namespace Baoming.Metrics;

/// <summary>
/// What <c>GET /metrics</c> answers: this instance's counters, and the shared state read from PostgreSQL.
/// With the database down it still answers, with the counters and <c>baoming_database_up 0</c>.
/// </summary>
public sealed partial class MetricsExporter(BaomingMetrics metrics, DatabaseGauges database, ILogger<MetricsExporter> logger)
{
    /// <summary>Half Prometheus's default scrape timeout (10 s): a database that hangs must not cost the counters.</summary>
    private static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(5);

    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        var families = new List<MetricFamily>(metrics.Collect());
        families.AddRange(await ReadDatabaseAsync(cancellationToken));
        return PrometheusText.Write(families);
    }

    private async Task<IReadOnlyList<MetricFamily>> ReadDatabaseAsync(CancellationToken cancellationToken)
    {
        DatabaseState state;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(DatabaseTimeout);
            state = await database.ReadAsync(timeout.Token);
        }
        catch (Exception e) when (e is DbException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Expected during an outage, and the gauge says so: not worth a warning every scrape.
            LogDatabaseUnavailable(e);
            return [DatabaseUp(0)];
        }

        return
        [
            DatabaseUp(1),
            Gauge("baoming_inbox_unprocessed", "Stored Telegram updates not handled yet (all instances).", state.InboxUnprocessed),
            Gauge("baoming_inbox_lag_seconds", "Age of the oldest unhandled update in the inbox, 0 when there is none.", state.InboxLagSeconds),
            Gauge("baoming_deliveries_pending", "Delivery ledger rows pending or being sent (all fan-outs).", state.DeliveriesPending),
            Gauge("baoming_jobs_enqueued", "Hangfire jobs queued and not yet picked up by a worker.", state.JobsEnqueued),
            Gauge("baoming_send_rate_per_second", "Fan-out messages Telegram accepted per second over the last 10 s, all instances (delivery ledger).", state.SendRatePerSecond),
        ];
    }

    private static MetricFamily DatabaseUp(double value) =>
        Gauge("baoming_database_up", "1 when this scrape could read PostgreSQL, else 0 (and the database gauges are missing).", value);

    private static MetricFamily Gauge(string name, string help, double value) =>
        new(name, help, MetricType.Gauge, [MetricSample.Unlabelled(value)]);

    [LoggerMessage(EventId = 800, Level = LogLevel.Debug, Message = "Metrics scrape could not read the database")]
    private partial void LogDatabaseUnavailable(Exception exception);
}
