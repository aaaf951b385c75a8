using System.Text.Json;
using Baoming.Core;
using Baoming.Core.Replies;
using Dapper;
using Npgsql;

namespace Baoming.Telegram;

/// <summary>
/// Replies waiting for a chat that Telegram asked to slow down, kept in PostgreSQL so that a restart
/// loses none. <see cref="DeferredReplySender"/> sends them when due, oldest first per chat.
/// </summary>
public sealed class DeferredReplies(NpgsqlDataSource dataSource)
{
    /// <summary>A reply as stored: the parts of <see cref="Reply"/> Telegram needs.</summary>
    private sealed record Stored(string Text, bool IsHtml, Button[][] Keyboard);

    public sealed record Due(long Id, Outgoing Message);

    public async Task DeferAsync(Outgoing message, TimeSpan delay, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into deferred_replies (chat_id, payload, due_at)
            values (@ChatId, @Payload::jsonb, now() + make_interval(secs => @Seconds))
            """;
        var reply = message.Reply;
        var payload = JsonSerializer.Serialize(new Stored(reply.Text, reply.IsHtml, [.. reply.Keyboard.Select(row => row.ToArray())]));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { message.ChatId, Payload = payload, Seconds = delay.TotalSeconds }, cancellationToken: cancellationToken));
    }

    public async Task<bool> HasWaitingAsync(long chatId, CancellationToken cancellationToken)
    {
        const string Sql = "select exists (select 1 from deferred_replies where chat_id = @chatId)";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { chatId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Claims the replies that are due (for <see cref="ClaimFor"/>, so no other instance sends them
    /// meanwhile, and a crash hands them back), oldest first, at most a few per chat.
    /// </summary>
    public async Task<IReadOnlyList<Due>> ClaimDueAsync(CancellationToken cancellationToken)
    {
        const string Sql = """
            update deferred_replies set due_at = now() + @ClaimFor
             where id in (select id from deferred_replies where due_at <= now() order by id limit 50 for update skip locked)
            returning id, chat_id, payload::text
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, long ChatId, string Payload)>(new CommandDefinition(Sql, new { ClaimFor }, cancellationToken: cancellationToken));
        return [.. rows.OrderBy(r => r.Id).Select(r => new Due(r.Id, new Outgoing(r.ChatId, FromJson(r.Payload))))];
    }

    /// <summary>How long a claimed reply stays with its sender before another may take it.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    public async Task DoneAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("delete from deferred_replies where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Telegram asked the chat to wait again: all its replies move on, so none overtakes another.</summary>
    public async Task PostponeAsync(long chatId, TimeSpan wait, CancellationToken cancellationToken)
    {
        const string Sql = "update deferred_replies set due_at = now() + make_interval(secs => @seconds) where chat_id = @chatId";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { chatId, seconds = wait.TotalSeconds }, cancellationToken: cancellationToken));
    }

    private static Reply FromJson(string payload)
    {
        var stored = JsonSerializer.Deserialize<Stored>(payload)!;
        return new Reply(stored.Text, [.. stored.Keyboard.Select(row => (IReadOnlyList<Button>)row)]) { IsHtml = stored.IsHtml };
    }
}
