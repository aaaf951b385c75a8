using Dapper;
using Npgsql;

namespace Baoming.Metrics;

/// <summary>The state all instances share, as one scrape sees it.</summary>
public sealed record DatabaseState(long InboxUnprocessed, double InboxLagSeconds, long DeliveriesPending, long JobsEnqueued, double SendRatePerSecond);

/// <summary>Reads <see cref="DatabaseState"/> in one round trip, so every instance reports the same numbers.</summary>
public sealed class DatabaseGauges(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Every part reads a partial index (inbox_unprocessed, deliveries_pending, deliveries_recently_sent);
    /// Hangfire's jobqueue holds only queued and running jobs. The send rate counts ledger rows sent in the
    /// last 10 s: the ledger is the only record of sends shared by every instance (the rate limiter's row
    /// keeps just the next free slot; replies are not recorded).
    /// </summary>
    public const string Sql = """
        select (select count(*) from inbox where processed_at is null) as InboxUnprocessed,
               coalesce((select greatest(extract(epoch from now() - min(received_at)), 0)
                           from inbox where processed_at is null), 0)::float8 as InboxLagSeconds,
               (select count(*) from deliveries where state in ('pending', 'sending')) as DeliveriesPending,
               (select count(*) from hangfire.jobqueue where fetchedat is null) as JobsEnqueued,
               ((select count(*) from deliveries
                  where state = 'sent' and updated_at > now() - interval '10 seconds') / 10.0)::float8 as SendRatePerSecond
        """;

    public async Task<DatabaseState> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<DatabaseState>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
    }
}
