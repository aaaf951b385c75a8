using System.Diagnostics;
using System.Text.Json;
using Baoming.Core;
using Baoming.Roles;
using Dapper;
using Npgsql;

namespace Baoming.Chat;

/// <summary>An open dialogue: the member's next plain text answers it (e.g. the text of a broadcast).</summary>
public sealed record Dialogue(long MemberId, string Kind, JsonElement State);

/// <summary>
/// A feature's multi-message step, recognised by <see cref="Kind"/>. While a member has one open,
/// their plain texts go to it instead of the message parser. The handler closes it when done.
/// </summary>
public interface IDialogueHandler
{
    string Kind { get; }

    Role Requires { get; }

    Task<Response> HandleAsync(ChatContext context, string text, JsonElement state, CancellationToken cancellationToken);
}

/// <summary>
/// The <c>dialogs</c> table: at most one open dialogue per member, forgotten after an hour. Every
/// text a reader sends asks it, so the ids with a dialogue are cached for a second: a member without
/// one costs no query. Opening or closing here clears the cache at once; another instance sees the
/// change within that second.
/// </summary>
public sealed class DialogueStore(NpgsqlDataSource dataSource)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Expiry = TimeSpan.FromHours(1);

    private volatile OpenIds? cache;

    public async Task OpenAsync(long memberId, string kind, object state, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into dialogs (member_id, kind, state) values (@memberId, @kind, @state::jsonb)
            on conflict (member_id) do update set kind = excluded.kind, state = excluded.state, updated_at = now()
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { memberId, kind, state = JsonSerializer.Serialize(state) }, cancellationToken: cancellationToken));
        cache = null;
    }

    public async Task CloseAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("delete from dialogs where member_id = @memberId", new { memberId }, cancellationToken: cancellationToken));
        cache = null;
    }

    public async Task<Dialogue?> FindAsync(long memberId, CancellationToken cancellationToken)
    {
        const string IdsSql = "select member_id from dialogs where updated_at > now() - @expiry";
        const string Sql = "select kind, state::text from dialogs where member_id = @memberId and updated_at > now() - @expiry";
        var known = cache;
        if (known is not null && Stopwatch.GetElapsedTime(known.ReadAt) <= CacheLifetime && !known.Ids.Contains(memberId))
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (known is null || Stopwatch.GetElapsedTime(known.ReadAt) > CacheLifetime)
        {
            var ids = await connection.QueryAsync<long>(new CommandDefinition(IdsSql, new { expiry = Expiry }, cancellationToken: cancellationToken));
            known = new OpenIds([.. ids], Stopwatch.GetTimestamp());
            cache = known;
            if (!known.Ids.Contains(memberId))
            {
                return null;
            }
        }

        var row = await connection.QuerySingleOrDefaultAsync<(string Kind, string State)?>(new CommandDefinition(Sql, new { memberId, expiry = Expiry }, cancellationToken: cancellationToken));
        return row is { } found ? new Dialogue(memberId, found.Kind, JsonDocument.Parse(found.State).RootElement.Clone()) : null;
    }

    private sealed record OpenIds(HashSet<long> Ids, long ReadAt);
}
