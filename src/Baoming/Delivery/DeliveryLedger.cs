using Dapper;
using Npgsql;

namespace Baoming.Delivery;

/// <summary>A ledger row claimed for sending: to whom, in which wording and language.</summary>
public sealed record Claimed(long Id, long MemberId, short Variant, string? LanguageCode);

/// <summary>How one send ended, to be written back to the ledger.</summary>
public readonly record struct Completion(long Id, string State, long? MessageId);

/// <summary>Counts of a topic's deliveries by state.</summary>
public sealed record DeliveryStats(int Pending, int Sent, int Blocked, int Failed, int Unknown)
{
    public int Total => Pending + Sent + Blocked + Failed + Unknown;
}

/// <summary>
/// The per-recipient delivery ledger (pending → sending → sent | blocked | failed | unknown).
/// Claiming moves rows to <c>sending</c> with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent
/// senders never take the same row; a row left in <c>sending</c> by a dead process is marked
/// <c>unknown</c>, never resent.
/// </summary>
public sealed class DeliveryLedger(NpgsqlDataSource dataSource)
{
    public const string ClaimSql = """
        with next as (
            select id from deliveries
             where topic = @topic and state = 'pending'
             order by id
             limit @limit
             for update skip locked
        )
        update deliveries d set state = 'sending', updated_at = now()
          from next, members m
         where d.id = next.id and m.id = d.member_id
        returning d.id, d.member_id as MemberId, d.variant, m.language_code as LanguageCode
        """;

    public const string CompleteSql = """
        update deliveries d
           set state = c.state, telegram_message_id = c.message_id, updated_at = now()
          from unnest(@ids, @states, @messageIds) as c(id, state, message_id)
         where d.id = c.id and d.state = 'sending'
        """;

    /// <summary>
    /// An export column's SQL: the state of <paramref name="topic"/>'s delivery to the row's member
    /// (<c>r.member_id</c>), null when it did not go to them. The topic is built from ids only.
    /// </summary>
    public static string StateColumnSql(string topic) =>
        $"(select d.state from deliveries d where d.topic = '{topic}' and d.member_id = r.member_id)";

    /// <summary>The exclusive right to run <paramref name="topic"/>'s fan-out, or null if another run holds it.</summary>
    public async Task<IAsyncDisposable?> TryLeaseAsync(string topic, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var taken = false;
        try
        {
            taken = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select pg_try_advisory_lock(hashtextextended(@topic, 0))", new { topic }, cancellationToken: cancellationToken));
            return taken ? new Lease(connection, topic) : null;
        }
        finally
        {
            if (!taken)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Holds the advisory lock on its connection. Disposing unlocks before the connection goes back
    /// to the pool; if the process dies, PostgreSQL ends the session and the lock with it.
    /// </summary>
    private sealed class Lease(NpgsqlConnection connection, string topic) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("select pg_advisory_unlock(hashtextextended(@topic, 0))", new { topic });
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    public async Task<IReadOnlyList<Claimed>> ClaimAsync(string topic, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Claimed>(new CommandDefinition(ClaimSql, new { topic, limit }, cancellationToken: cancellationToken))];
    }

    public async Task CompleteAsync(IReadOnlyList<Completion> completions, CancellationToken cancellationToken)
    {
        if (completions.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(CompleteSql, new
        {
            ids = completions.Select(c => c.Id).ToArray(),
            states = completions.Select(c => c.State).ToArray(),
            messageIds = completions.Select(c => c.MessageId).ToArray(),
        }, cancellationToken: cancellationToken));
    }

    /// <summary>Claimed but never attempted (shutting down): back to pending for the next run.</summary>
    public async Task ReleaseAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        const string Sql = "update deliveries set state = 'pending', updated_at = now() where id = any(@ids) and state = 'sending'";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { ids = ids.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Rows a previous run of this topic left in <c>sending</c>: the request may have reached
    /// Telegram, so they become <c>unknown</c> and are reported, not resent.
    /// </summary>
    public async Task<int> MarkAbandonedAsync(string topic, CancellationToken cancellationToken)
    {
        const string Sql = "update deliveries set state = 'unknown', updated_at = now() where topic = @topic and state = 'sending'";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(Sql, new { topic }, cancellationToken: cancellationToken));
    }

    public async Task<DeliveryStats> StatsAsync(string topic, CancellationToken cancellationToken)
    {
        const string Sql = """
            select count(*) filter (where state in ('pending', 'sending'))::int as Pending,
                   count(*) filter (where state = 'sent')::int as Sent,
                   count(*) filter (where state = 'blocked')::int as Blocked,
                   count(*) filter (where state = 'failed')::int as Failed,
                   count(*) filter (where state = 'unknown')::int as Unknown
              from deliveries where topic = @topic
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<DeliveryStats>(new CommandDefinition(Sql, new { topic }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Adds recipients to a topic; a member already in it is left alone (safe to run twice).
    /// Members known to be unreachable go straight to <c>blocked</c>: skipped and counted.
    /// <paramref name="recipientsSql"/> selects <c>member_id, variant</c>.
    /// </summary>
    public async Task<int> AddRecipientsAsync(string topic, string recipientsSql, object parameters, CancellationToken cancellationToken)
    {
        var sql = $"""
            insert into deliveries (topic, member_id, variant, state)
            select @topic, r.member_id, r.variant,
                   case when m.unreachable_at is null then 'pending' else 'blocked' end
              from ({recipientsSql}) r join members m on m.id = r.member_id
            on conflict (topic, member_id) do nothing
            """;
        var arguments = new DynamicParameters(parameters);
        arguments.Add("topic", topic);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, arguments, cancellationToken: cancellationToken, commandTimeout: 600));
    }

    /// <summary>
    /// Claims a single delivery (a report, a notice to one member) if it has not been claimed
    /// before; false when it already exists, so the caller must not send it.
    /// </summary>
    public async Task<long?> ClaimOnceAsync(string topic, long memberId, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into deliveries (topic, member_id, state) values (@topic, @memberId, 'sending')
            on conflict (topic, member_id) do nothing
            returning id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(Sql, new { topic, memberId }, cancellationToken: cancellationToken));
    }
}
