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

    /// <summary>
    /// Anything but text while the dialogue is open (a document, a sticker): null leaves it to the
    /// engine (the text-only hint, the dialogue stays open).
    /// </summary>
    Task<Response?> HandleOtherAsync(ChatContext context, JsonElement state, CancellationToken cancellationToken) => Task.FromResult<Response?>(null);
}

/// <summary>
/// The <c>dialogs</c> table: at most one open dialogue per member, forgotten after an hour. Every
/// text asks it, with one primary-key lookup and no cache: a dialogue opened on one instance must be
/// seen by the next message of that member even when it reaches another instance a moment later.
/// </summary>
public sealed class DialogueStore(NpgsqlDataSource dataSource)
{
    private static readonly TimeSpan Expiry = TimeSpan.FromHours(1);

    public async Task OpenAsync(long memberId, string kind, object state, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into dialogs (member_id, kind, state) values (@memberId, @kind, @state::jsonb)
            on conflict (member_id) do update set kind = excluded.kind, state = excluded.state, updated_at = now()
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { memberId, kind, state = JsonSerializer.Serialize(state) }, cancellationToken: cancellationToken));
    }

    public async Task CloseAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("delete from dialogs where member_id = @memberId", new { memberId }, cancellationToken: cancellationToken));
    }

    /// <summary>Public so the benchmark's pgbench script issues exactly what the bot does.</summary>
    public const string FindSql = "select kind, state::text from dialogs where member_id = @memberId and updated_at > now() - @expiry";

    public async Task<Dialogue?> FindAsync(long memberId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Kind, string State)?>(new CommandDefinition(FindSql, new { memberId, expiry = Expiry }, cancellationToken: cancellationToken));
        return row is { } found ? new Dialogue(memberId, found.Kind, JsonDocument.Parse(found.State).RootElement.Clone()) : null;
    }
}
