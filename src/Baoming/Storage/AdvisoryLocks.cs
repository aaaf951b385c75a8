using Dapper;
using Npgsql;

namespace Baoming.Storage;

/// <summary>
/// Every PostgreSQL advisory lock Baoming takes, named here so no two uses can share a key by accident.
/// PostgreSQL keeps two key spaces that never meet: one <c>bigint</c>, and a pair of <c>int4</c>.
/// <list type="bullet">
/// <item>bigint: <see cref="Migrations"/>, and keys hashed from text with <c>hashtextextended</c>, each text
/// starting with its owner's prefix (a fan-out topic such as "broadcast:7", or "reminders:&lt;session&gt;").</item>
/// <item>int4 pair: a chat's turn (the chat id's high and low halves) and the polling lease
/// (<see cref="PollingClass"/>, 0), far above any chat id's high half: Telegram ids stay within 52 bits.</item>
/// </list>
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>Held while the schema changes: migrations, then Hangfire's installer ("baoming").</summary>
    public const long Migrations = 0x6261_6f6d_696e_67;

    /// <summary>SQL key of a fan-out topic's run (parameter <c>@topic</c>): one run per topic across instances.</summary>
    public const string TopicKeySql = "hashtextextended(@topic, 0)";

    /// <summary>SQL key of one session's reminder slots (parameter <c>@sessionId</c>), taken for a transaction.</summary>
    public const string ReminderSlotsKeySql = "hashtextextended('reminders:' || @sessionId, 0)";

    /// <summary>The polling lease's class in the int4-pair space ("Poll"): one instance calls getUpdates.</summary>
    public const int PollingClass = 0x506F_6C6C;

    /// <summary>A chat's turn key in the int4-pair space: the whole 64-bit id, so no two chats share a turn.</summary>
    public static (int High, int Low) ChatTurn(long chatId) => ((int)(chatId >> 32), (int)chatId);

    /// <summary>
    /// Runs <paramref name="work"/> holding a session-level lock on <paramref name="connection"/>, waiting
    /// for it as long as it takes; released even when the work fails or is cancelled.
    /// </summary>
    public static async Task<T> HoldingAsync<T>(NpgsqlConnection connection, long key, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_lock(@key)", new { key }, cancellationToken: cancellationToken));
        try
        {
            return await work(cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_unlock(@key)", new { key }, cancellationToken: CancellationToken.None));
        }
    }
}
