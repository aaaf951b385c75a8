using Baoming.Core.Organizers;

namespace Baoming.Broadcasts;

/// <summary>
/// <see cref="BroadcastState"/> as <c>broadcasts.state</c> holds it: the one mapping both ways. The values are
/// those of the table's CHECK constraint (<c>Storage/Migrations/0004_organizers.sql</c>); a test holds them to it.
/// SQL that names a state in its own text (the follow-up trigger of <c>0010_follow_ups.sql</c>) keeps the literal.
/// </summary>
public static class BroadcastStates
{
    /// <summary>The database value of <paramref name="state"/>.</summary>
    public static string ToDatabase(this BroadcastState state) => state switch
    {
        BroadcastState.Draft => "draft",
        BroadcastState.Scheduled => "scheduled",
        BroadcastState.Sending => "sending",
        BroadcastState.Done => "done",
        BroadcastState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "No database value for this broadcast state."),
    };

    /// <summary>The state a database value stands for; throws for a value the CHECK constraint would not allow.</summary>
    public static BroadcastState FromDatabase(string value) => value switch
    {
        "draft" => BroadcastState.Draft,
        "scheduled" => BroadcastState.Scheduled,
        "sending" => BroadcastState.Sending,
        "done" => BroadcastState.Done,
        "cancelled" => BroadcastState.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not a broadcast state."),
    };

    /// <summary>The database values of <paramref name="states"/>, for <c>state = any(@states)</c>.</summary>
    public static string[] ToDatabase(this IEnumerable<BroadcastState> states) => [.. states.Select(ToDatabase)];
}
