using System.Globalization;
using Dapper;
using Npgsql;

namespace Baoming.Delivery;

/// <summary>A ledger row claimed for sending: to whom, in which wording and language.</summary>
public sealed record Claimed(long Id, long MemberId, short Variant, string? LanguageCode);

/// <summary>How one send ended, to be written back to the ledger.</summary>
public readonly record struct Completion(long Id, DeliveryState State, long? MessageId);

/// <summary>Counts of a topic's deliveries by state.</summary>
public sealed record DeliveryStats(int Pending, int Sent, int Blocked, int Failed, int Unknown)
{
    public int Total => Pending + Sent + Blocked + Failed + Unknown;
}

/// <summary>What a new run found left behind by an earlier one: sends with an unknown outcome, and claims returned to pending.</summary>
public readonly record struct Abandoned(int Unknown, int Released);

/// <summary>
/// The per-recipient delivery ledger (pending → sending → sent | blocked | failed | unknown).
/// A run claims rows ahead with <c>FOR UPDATE SKIP LOCKED</c> by writing its id into
/// <c>claimed_by</c>; they stay <c>pending</c>, so a claim costs nothing if the run dies. A row moves
/// to <c>sending</c> only as its send starts (<see cref="StepAsync"/>), so a row left in
/// <c>sending</c> by a dead process was really in flight: it is marked <c>unknown</c>, never resent.
/// </summary>
public sealed class DeliveryLedger(NpgsqlDataSource dataSource)
{
    public const string ClaimSql = """
        with next as (
            select id from deliveries
             where topic = @topic and state = 'pending' and claimed_by is null
               and (not_before is null or not_before <= @now)
             order by id
             limit @limit
             for update skip locked
        )
        update deliveries d set claimed_by = @run
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
    /// Writes back the outcomes of finished sends and moves the next few claimed rows to <c>sending</c>,
    /// in one round trip. Idempotent, so a retry after a lost answer is safe: rows this run already moved
    /// count as started. A row whose claim a newer run took back is not started.
    /// </summary>
    public const string StepSql = """
        with completed as (
            update deliveries d
               set state = c.state, telegram_message_id = c.message_id, updated_at = now()
              from unnest(@ids, @states, @messageIds) as c(id, state, message_id)
             where d.id = c.id and d.state = 'sending'
        )
        update deliveries
           set state = 'sending', updated_at = now()
         where id = any(@starting) and claimed_by = @run and state in ('pending', 'sending')
        returning id
        """;

    /// <summary>
    /// An export column's SQL: the state of <paramref name="topic"/>'s delivery to the row's member
    /// (<c>r.member_id</c>), null when it did not go to them. A key's text is a kind and digits only, so it
    /// can stand in the SQL.
    /// </summary>
    /// <remarks>A row prepared ahead of its due time (<c>not_before</c> still to come) has not gone out: null.</remarks>
    public static string StateColumnSql(TopicKey topic) =>
        $"(select d.state from deliveries d where d.topic = '{topic}' and d.member_id = r.member_id and (d.not_before is null or d.not_before <= now()))";

    /// <summary><see cref="StateColumnSql(TopicKey)"/> on the rows of one session only (a reminder slot, a follow-up), null on the others.</summary>
    public static string StateColumnSql(long sessionId, TopicKey topic) =>
        string.Create(CultureInfo.InvariantCulture, $"case when r.session_id = {sessionId} then {StateColumnSql(topic)} end");

    /// <summary>The exclusive right to run <paramref name="topic"/>'s fan-out, or null if another run holds it.</summary>
    public async Task<IAsyncDisposable?> TryLeaseAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var taken = false;
        try
        {
            taken = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select pg_try_advisory_lock(hashtextextended(@topic, 0))", new { topic = topic.ToString() }, cancellationToken: cancellationToken));
            return taken ? new Lease(connection, topic.ToString()) : null;
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
            catch (Exception e) when (Platform.Retry.IsOutage(e))
            {
                // The connection is gone, and the lock went with its session: nothing to unlock.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending rows of <paramref name="topic"/> for <paramref name="run"/>; they
    /// stay pending. Rows prepared ahead whose <c>not_before</c> is after <paramref name="now"/> are not claimed.
    /// </summary>
    public async Task<IReadOnlyList<Claimed>> ClaimAsync(TopicKey topic, Guid run, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Claimed>(new CommandDefinition(ClaimSql, new { topic = topic.ToString(), run, limit, now = now.UtcDateTime }, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Writes <paramref name="completions"/> and moves <paramref name="starting"/> (claimed by <paramref name="run"/>)
    /// to <c>sending</c>; returns the ids that may be sent now.
    /// </summary>
    public async Task<IReadOnlySet<long>> StepAsync(Guid run, IReadOnlyCollection<long> starting, IReadOnlyList<Completion> completions, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var started = await connection.QueryAsync<long>(new CommandDefinition(StepSql, new
        {
            run,
            starting = starting.ToArray(),
            ids = completions.Select(c => c.Id).ToArray(),
            states = completions.Select(c => c.State.ToDatabase()).ToArray(),
            messageIds = completions.Select(c => c.MessageId).ToArray(),
        }, cancellationToken: cancellationToken));
        return started.ToHashSet();
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
            states = completions.Select(c => c.State.ToDatabase()).ToArray(),
            messageIds = completions.Select(c => c.MessageId).ToArray(),
        }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Rows <paramref name="run"/> claimed (or moved to <c>sending</c>) but never sent: back to pending,
    /// unclaimed, for this or the next run.
    /// </summary>
    public async Task ReleaseAsync(Guid run, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        const string Sql = """
            update deliveries set state = 'pending', claimed_by = null, updated_at = now()
             where id = any(@ids) and claimed_by = @run and state in ('pending', 'sending')
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { run, ids = ids.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// What earlier runs of this topic left behind: rows in <c>sending</c> may have reached Telegram, so
    /// they become <c>unknown</c> and are reported, not resent; rows only claimed go back to the pool.
    /// </summary>
    public async Task<Abandoned> MarkAbandonedAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        const string Sql = """
            update deliveries
               set state = case when state = 'sending' then 'unknown' else state end,
                   claimed_by = case when state = 'sending' then claimed_by end,
                   updated_at = now()
             where topic = @topic and (state = 'sending' or (state = 'pending' and claimed_by is not null))
            returning state
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var states = (await connection.QueryAsync<string>(new CommandDefinition(Sql, new { topic = topic.ToString() }, cancellationToken: cancellationToken))).ToList();
        var unknown = states.Count(s => DeliveryStates.FromDatabase(s) == DeliveryState.Unknown);
        return new Abandoned(unknown, states.Count - unknown);
    }

    public async Task<DeliveryStats> StatsAsync(TopicKey topic, CancellationToken cancellationToken)
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
        return await connection.QuerySingleAsync<DeliveryStats>(new CommandDefinition(Sql, new { topic = topic.ToString() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Adds recipients to a topic; a member already in it is left alone (safe to run twice).
    /// Members known to be unreachable go straight to <c>blocked</c>: skipped and counted.
    /// <paramref name="recipientsSql"/> selects <c>member_id, variant</c>.
    /// </summary>
    public async Task<int> AddRecipientsAsync(TopicKey topic, string recipientsSql, object parameters, CancellationToken cancellationToken)
    {
        var sql = $"""
            insert into deliveries (topic, member_id, variant, state)
            select @topic, r.member_id, r.variant,
                   case when m.unreachable_at is null then 'pending' else 'blocked' end
              from ({recipientsSql}) r join members m on m.id = r.member_id
            on conflict (topic, member_id) do nothing
            """;
        var arguments = new DynamicParameters(parameters);
        arguments.Add("topic", topic.ToString());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, arguments, cancellationToken: cancellationToken, commandTimeout: 600));
    }

    /// <summary>
    /// Writes a topic's recipients ahead of its due time: <c>pending</c> but not claimable before
    /// <paramref name="notBefore"/>, so the send at the due time starts from rows already in place. A member
    /// already in the topic is left alone (safe to run again).
    /// <paramref name="recipientsSql"/> selects <c>member_id, variant</c>. Returns the rows added.
    /// </summary>
    public async Task<int> PrepareRecipientsAsync(TopicKey topic, string recipientsSql, object parameters, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var sql = $"""
            insert into deliveries (topic, member_id, variant, state, not_before)
            select @topic, r.member_id, r.variant,
                   case when m.unreachable_at is null then 'pending' else 'blocked' end, @notBefore
              from ({recipientsSql}) r join members m on m.id = r.member_id
            on conflict (topic, member_id) do nothing
            """;
        var arguments = new DynamicParameters(parameters);
        arguments.Add("topic", topic.ToString());
        arguments.Add("notBefore", notBefore.UtcDateTime);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, arguments, cancellationToken: cancellationToken, commandTimeout: 600));
    }

    /// <summary>Whether <paramref name="topic"/> has any row yet (prepared ahead, or written by an earlier run).</summary>
    public async Task<bool> HasRowsAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        const string Sql = "select exists (select from deliveries where topic = @topic)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { topic = topic.ToString() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Deletes a topic's rows that were prepared ahead and never claimed nor started (its slot moved or was
    /// cancelled before it was due): nothing went out to them, and no run will send them.
    /// </summary>
    public const string DropPreparedSql = """
        delete from deliveries
         where topic = @topic and state = 'pending' and claimed_by is null and not_before is not null
        """;

    /// <summary>See <see cref="DropPreparedSql"/>; returns the rows deleted.</summary>
    public async Task<int> DropPreparedAsync(TopicKey topic, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(DropPreparedSql, new { topic = topic.ToString() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Claims the organizers' report on <paramref name="topic"/> to one member (under <see cref="TopicKey.ReportKey"/>)
    /// if it has not been claimed before; null when it already exists, so the caller must not send it.
    /// </summary>
    public async Task<long?> ClaimReportAsync(TopicKey topic, long memberId, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into deliveries (topic, member_id, state) values (@topic, @memberId, 'sending')
            on conflict (topic, member_id) do nothing
            returning id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(Sql, new { topic = topic.ReportKey, memberId }, cancellationToken: cancellationToken));
    }
}
