using Baoming.Chat;
using Baoming.Storage;
using Npgsql;

namespace Baoming.Telegram.Intake;

/// <summary>A chat's turn: its unhandled updates, oldest first, for this instance alone until it ends.</summary>
/// <param name="Dialogue">The member's dialogue as read after the lock (for <see cref="DialogueStore.BeginTurn"/>).</param>
public sealed record ChatTurn(long ChatId, IReadOnlyList<InboxItem> Updates, TurnDialogue? Dialogue = null);

/// <summary>
/// One chat's updates are handled by one instance at a time, in update order, even when Telegram
/// delivers them to different instances. A turn is a session-level advisory lock on the chat, taken
/// on one of a few held connections; while it is held the instance handles everything the chat has
/// waiting in the inbox (whoever stored it), marks it handled and lets go in the same round trip.
/// If an instance dies its connections close and PostgreSQL frees its turns.
/// </summary>
public sealed partial class ChatTurns(NpgsqlDataSource dataSource, ILogger<ChatTurns> logger) : IAsyncDisposable
{
    /// <summary>Most updates one turn takes: a chat that writes a lot cannot hold its lane for long.</summary>
    public const int MaxUpdates = 20;

    /// <summary>Held connections; a chat always uses the same one, since only it can release the lock.</summary>
    private const int ConnectionCount = 4;

    private readonly Slot[] slots = [.. Enumerable.Range(0, ConnectionCount).Select(_ => new Slot())];

    /// <summary>The chat's turn, or null while another instance has it.</summary>
    /// <remarks>
    /// One round trip, two transactions (error barriers put a Sync after each statement): the read's
    /// snapshot is taken after the lock, so it sees everything the previous holder recorded.
    /// </remarks>
    public Task<ChatTurn?> TryBeginAsync(long chatId, CancellationToken cancellationToken) =>
        RunAsync(chatId, async (connection, ct) =>
        {
            await using var batch = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
            batch.BatchCommands.Add(LockCommand(LockSql, chatId));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(PendingSql) { Parameters = { new("chatId", chatId), new("MaxUpdates", MaxUpdates) } });
            // The member's open dialogue in the same round trip: the turn's texts need not ask for it one by one.
            batch.BatchCommands.Add(DialogueStore.TurnCommand(chatId));
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var taken = reader.GetBoolean(0);
            var updates = new List<InboxItem>();
            TurnDialogue dialogue;
            try
            {
                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    updates.Add(new InboxItem(reader.GetInt64(0), chatId, reader.GetString(1)));
                }

                await reader.NextResultAsync(ct);
                dialogue = await DialogueStore.ReadTurnAsync(chatId, reader, ct);
            }
            catch (Exception) when (taken && connection.State == System.Data.ConnectionState.Open)
            {
                // The lock was taken but the read failed: give the chat back, or it stays locked
                // for as long as this connection lives.
                await reader.DisposeAsync();
                await using var unlock = new NpgsqlBatch(connection) { BatchCommands = { LockCommand(UnlockSql, chatId) } };
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
                throw;
            }

            return taken ? new ChatTurn(chatId, updates, dialogue) : null;
        }, cancellationToken);

    /// <summary>
    /// Records the handled updates, then gives the chat back: one round trip, and the record is
    /// committed before the lock is released, so the next holder never handles them again.
    /// </summary>
    public Task EndAsync(ChatTurn turn, IReadOnlyCollection<long> handled, CancellationToken cancellationToken) =>
        RunAsync(turn.ChatId, async (connection, ct) =>
        {
            await using var batch = new NpgsqlBatch(connection) { EnableErrorBarriers = true };
            batch.BatchCommands.Add(new NpgsqlBatchCommand(InboxRepository.MarkProcessedSql) { Parameters = { new("updateIds", handled.ToArray()) } });
            batch.BatchCommands.Add(LockCommand(UnlockSql, turn.ChatId));
            return await batch.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    /// <summary>The statements of a turn, public so the benchmark's pgbench script issues exactly what the bot does.</summary>
    public const string LockSql = "select pg_try_advisory_lock(@High, @Low)";

    /// <inheritdoc cref="LockSql"/>
    public const string PendingSql = "select update_id, payload::text from inbox where chat_id = @chatId and processed_at is null order by update_id limit @MaxUpdates";

    /// <inheritdoc cref="LockSql"/>
    public const string UnlockSql = "select pg_advisory_unlock(@High, @Low)";

    /// <summary>The chat's turn key (<see cref="AdvisoryLocks.ChatTurn"/>) as the statement's parameters.</summary>
    private static NpgsqlBatchCommand LockCommand(string sql, long chatId)
    {
        var (high, low) = AdvisoryLocks.ChatTurn(chatId);
        return new(sql) { Parameters = { new("High", high), new("Low", low) } };
    }

    private async Task<T> RunAsync<T>(long chatId, Func<NpgsqlConnection, CancellationToken, Task<T>> command, CancellationToken cancellationToken)
    {
        var slot = slots[(ulong)chatId % ConnectionCount];
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

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Lost a chat-turn connection ({Reason}); the turns held on it are released")]
    private partial void LogConnectionDropped(string reason);
}
