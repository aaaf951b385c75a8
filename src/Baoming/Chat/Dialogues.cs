using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Baoming.Core;
using Dapper;
using Npgsql;

namespace Baoming.Chat;

/// <summary>An open dialogue: the member's next plain text answers it (e.g. the text of a broadcast).</summary>
public sealed record Dialogue(long MemberId, string Kind, JsonElement State);

/// <summary>What a chat turn read of its member's dialogue when it began (<see cref="DialogueStore.ReadTurnAsync"/>).</summary>
/// <param name="Open">The open dialogue, or null when there is none.</param>
/// <param name="Remaining">How long <paramref name="Open"/> had left before it expires (the database's clock; timed here in real time).</param>
public sealed record TurnDialogue(Dialogue? Open, TimeSpan Remaining);

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
/// The <c>dialogs</c> table: at most one open dialogue per member, forgotten after an hour. A dialogue
/// opened on one instance must be seen by the member's next message even when it reaches another
/// instance a moment later, so nothing is cached across turns. Within a chat turn it is different: a
/// member's dialogue is opened and closed only by the handlers of that member's own chat (texts, and
/// button presses, which are ordered with the presser's private chat), and only the instance holding
/// the turn runs them. So the turn reads the dialogue in its opening round trip
/// (<see cref="TurnCommand"/>), hands it here (<see cref="BeginTurn"/>), and until the turn ends
/// <see cref="FindAsync"/> answers from it without a round trip of its own; an open or a close during
/// the turn makes the next lookup read the table again. Without a turn in hand (the shell, another
/// member's id) every lookup reads the table, as before.
/// </summary>
public sealed class DialogueStore(NpgsqlDataSource dataSource)
{
    private static readonly TimeSpan Expiry = TimeSpan.FromHours(1);

    /// <summary>What the chat turns in hand know of their member's dialogue; an entry lives from a turn's start to its end.</summary>
    private readonly ConcurrentDictionary<long, Known> inTurn = new();

    public async Task OpenAsync(long memberId, string kind, object state, CancellationToken cancellationToken)
    {
        const string Sql = """
            insert into dialogs (member_id, kind, state) values (@memberId, @kind, @state::jsonb)
            on conflict (member_id) do update set kind = excluded.kind, state = excluded.state, updated_at = now()
            """;
        // The next lookup reads the table: what jsonb gives back is what every reader has always seen.
        Forget(memberId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, new { memberId, kind, state = JsonSerializer.Serialize(state) }, cancellationToken: cancellationToken));
    }

    public async Task CloseAsync(long memberId, CancellationToken cancellationToken)
    {
        // The next lookup reads the table (a failed delete's outcome is not known; a close is rarely followed by a text in the same turn).
        Forget(memberId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("delete from dialogs where member_id = @memberId", new { memberId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The member's open dialogue and how long it has left. Public so the benchmark's pgbench script issues
    /// exactly what the bot does.
    /// </summary>
    public const string FindSql = """
        select kind, state::text, updated_at + @expiry - now() as remaining
          from dialogs where member_id = @memberId and updated_at > now() - @expiry
        """;

    public async Task<Dialogue?> FindAsync(long memberId, CancellationToken cancellationToken)
    {
        if (inTurn.TryGetValue(memberId, out var known) && known.IsKnown)
        {
            return known.Open is { } open && Stopwatch.GetTimestamp() < known.ExpiresAt ? open : null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Kind, string State, TimeSpan Remaining)?>(
            new CommandDefinition(FindSql, new { memberId, expiry = Expiry }, cancellationToken: cancellationToken));
        return row is { } found ? new Dialogue(memberId, found.Kind, Parse(found.State)) : null;
    }

    /// <summary>
    /// <see cref="FindSql"/> for a chat turn's opening round trip, run after the chat's lock is taken (so it sees
    /// what the previous holder recorded). A private chat's id is its member's; for a group it finds nothing.
    /// </summary>
    public static NpgsqlBatchCommand TurnCommand(long chatId) =>
        new(FindSql) { Parameters = { new("memberId", chatId), new("expiry", Expiry) } };

    /// <summary>Reads <see cref="TurnCommand"/>'s result; the reader stands at its result set.</summary>
    public static async Task<TurnDialogue> ReadTurnAsync(long chatId, NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new TurnDialogue(null, TimeSpan.Zero);
        }

        var open = new Dialogue(chatId, reader.GetString(0), Parse(reader.GetString(1)));
        return new TurnDialogue(open, reader.GetFieldValue<TimeSpan>(2));
    }

    /// <summary>
    /// The chat turn of <paramref name="memberId"/> has begun on this instance with <paramref name="known"/>
    /// read after its lock: lookups for the member are answered from it until <see cref="EndTurn"/>.
    /// </summary>
    public void BeginTurn(long memberId, TurnDialogue known)
    {
        ArgumentNullException.ThrowIfNull(known);
        inTurn[memberId] = known.Open is null
            ? Known.None
            : new Known(true, known.Open, Stopwatch.GetTimestamp() + (long)(known.Remaining.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>The turn is over (before its lock is let go): the next turn may be another instance's.</summary>
    public void EndTurn(long memberId) => inTurn.TryRemove(memberId, out _);

    /// <summary>Makes the member's dialogue unknown for the rest of their turn, if one is in hand: the next lookup reads the table.</summary>
    private void Forget(long memberId)
    {
        if (inTurn.ContainsKey(memberId))
        {
            inTurn[memberId] = Known.Unknown;
        }
    }

    private static JsonElement Parse(string state)
    {
        using var document = JsonDocument.Parse(state);
        return document.RootElement.Clone();
    }

    private sealed record Known(bool IsKnown, Dialogue? Open, long ExpiresAt)
    {
        public static readonly Known None = new(true, null, 0);

        public static readonly Known Unknown = new(false, null, 0);
    }
}
