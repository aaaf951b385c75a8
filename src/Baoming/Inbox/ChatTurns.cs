using Dapper;
using Npgsql;

namespace Baoming.Inbox;

/// <summary>A chat's turn: its unhandled updates, oldest first, for this instance alone until it ends.</summary>
public sealed record ChatTurn(long ChatId, IReadOnlyList<InboxItem> Updates);

/// <summary>
/// One chat's updates are handled by one instance at a time, in update order, even when Telegram
/// delivers them to different instances. A turn is a session-level advisory lock on the chat, taken
/// on one of a few held connections; while it is held the instance handles everything the chat has
/// waiting in the inbox (whoever stored it), marks it handled and lets go in the same round trip.
/// If an instance dies its connections close and PostgreSQL frees its turns.
/// </summary>
public sealed partial class ChatTurns(NpgsqlDataSource dataSource, ILogger<ChatTurns> logger) : IAsyncDisposable
{
    /// <summary>Advisory-lock class for chats (the two-integer key space: apart from the one-bigint keys used elsewhere).</summary>
    private const int LockClass = 0x4368_6174;

    /// <summary>Held connections; a chat always uses the same one, since only it can release the lock.</summary>
    private const int ConnectionCount = 4;

    private readonly Slot[] slots = [.. Enumerable.Range(0, ConnectionCount).Select(_ => new Slot())];

    /// <summary>The chat's turn, or null while another instance has it.</summary>
    public async Task<ChatTurn?> TryBeginAsync(long chatId, CancellationToken cancellationToken)
    {
        const string Sql = """
            with turn as (select pg_try_advisory_lock(@LockClass, @Key) as taken)
            select turn.taken as Taken, i.update_id as UpdateId, i.payload::text as Payload
              from turn left join inbox i on turn.taken and i.chat_id = @chatId and i.processed_at is null
             order by i.update_id
            """;
        var rows = await RunAsync(chatId, (connection, ct) => connection.QueryAsync<(bool Taken, long? UpdateId, string? Payload)>(
            new CommandDefinition(Sql, new { LockClass, Key = KeyOf(chatId), chatId }, cancellationToken: ct)), cancellationToken);
        var list = rows.AsList();
        return list.Count > 0 && list[0].Taken
            ? new ChatTurn(chatId, [.. list.Where(r => r.UpdateId is not null).Select(r => new InboxItem(r.UpdateId!.Value, chatId, r.Payload!))])
            : null;
    }

    /// <summary>Records the handled updates and gives the chat back, in one round trip.</summary>
    public Task EndAsync(ChatTurn turn, IReadOnlyCollection<long> handled, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            {InboxRepository.MarkProcessedSql};
            select pg_advisory_unlock(@LockClass, @Key);
            """;
        return RunAsync(turn.ChatId, (connection, ct) => connection.ExecuteAsync(
            new CommandDefinition(Sql, new { updateIds = handled.ToArray(), LockClass, Key = KeyOf(turn.ChatId) }, cancellationToken: ct)), cancellationToken);
    }

    private static int KeyOf(long chatId) => (int)chatId ^ (int)(chatId >> 32);

    private async Task<T> RunAsync<T>(long chatId, Func<NpgsqlConnection, CancellationToken, Task<T>> command, CancellationToken cancellationToken)
    {
        var slot = slots[(uint)KeyOf(chatId) % ConnectionCount];
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            slot.Connection ??= await dataSource.OpenConnectionAsync(cancellationToken);
            return await command(slot.Connection, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A broken connection: the next call opens a new one. The turns held on it went with it
            // (PostgreSQL released them), as they would if this instance had restarted.
            if (slot.Connection is { State: not System.Data.ConnectionState.Open } broken)
            {
                slot.Connection = null;
                LogConnectionDropped(e.GetBaseException().Message);
                await broken.DisposeAsync();
            }

            throw;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in slots)
        {
            if (slot.Connection is { } connection)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public NpgsqlConnection? Connection { get; set; }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Lost a chat-turn connection ({Reason}); the turns held on it are released")]
    private partial void LogConnectionDropped(string reason);
}
