using Baoming.Members;
using Baoming.Storage;
using Dapper;
using Npgsql;

namespace Baoming.Telegram.Intake;

/// <summary>An update as stored: its id, the chat that orders it, and Telegram's JSON.</summary>
public sealed record InboxItem(long UpdateId, long ChatId, string Payload);

public sealed class InboxRepository(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores a batch of updates and the members who sent them in one round trip (one implicit
    /// transaction). Returns the ids that were new: a re-delivered update_id is not returned, so it
    /// is never handled twice.
    /// </summary>
    public const string StoreSql = $"""
        insert into inbox (update_id, chat_id, payload)
        select u.update_id, u.chat_id, u.payload::jsonb
          from unnest(@UpdateIds, @ChatIds, @Payloads) as u(update_id, chat_id, payload)
        on conflict (update_id) do nothing
        returning update_id;
        {MemberRepository.UpsertSql};
        """;

    public async Task<IReadOnlyList<long>> StoreAsync(IReadOnlyList<InboxItem> items, IReadOnlyCollection<MemberProfile> senders, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(MemberRepository.UpsertParameters(senders));
        parameters.AddDynamicParams(new
        {
            UpdateIds = items.Select(i => i.UpdateId).ToArray(),
            ChatIds = items.Select(i => i.ChatId).ToArray(),
            Payloads = items.Select(i => i.Payload).ToArray(),
        });
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var stored = await connection.QueryAsync<long>(new CommandDefinition(StoreSql, parameters, cancellationToken: cancellationToken));
        return [.. stored];
    }

    /// <summary>
    /// Records an update that is not handled, with the reason: one PostgreSQL refused to store (its
    /// JSON is dropped), or one that could not be read when its turn came. It counts as handled.
    /// </summary>
    public async Task SkipAsync(long updateId, long chatId, string reason, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into inbox (update_id, chat_id, payload, processed_at, skipped)
            values (@updateId, @chatId, null, now(), @reason)
            on conflict (update_id) do update set processed_at = coalesce(inbox.processed_at, now()), skipped = excluded.skipped
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { updateId, chatId, reason = PostgresText.Clean(reason) }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Updates stored at least <paramref name="olderThan"/> ago and not yet handled, oldest first: what a
    /// restart, or an instance that stopped, left behind.
    /// </summary>
    public async Task<IReadOnlyList<InboxItem>> GetUnprocessedAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        const string Sql = """
            select update_id as UpdateId, chat_id as ChatId, payload::text as Payload
              from inbox where processed_at is null and received_at <= now() - @olderThan
             order by update_id limit 10000
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<InboxItem>(new CommandDefinition(Sql, new { olderThan }, cancellationToken: cancellationToken))];
    }

    /// <summary>Run by <see cref="ChatTurns"/> when a turn ends; public so the benchmark's pgbench script issues exactly what the bot does.</summary>
    public const string MarkProcessedSql = "update inbox set processed_at = now() where update_id = any(@updateIds) and processed_at is null";
}
