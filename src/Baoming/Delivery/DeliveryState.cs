using Baoming.Messaging;

namespace Baoming.Delivery;

/// <summary>A ledger row's state: pending → sending → sent | blocked | failed | unknown.</summary>
public enum DeliveryState
{
    /// <summary>Waiting to be sent (perhaps claimed by a run, which has not started its send).</summary>
    Pending,

    /// <summary>Its send has started; left so by a dead process, it becomes <see cref="Unknown"/>.</summary>
    Sending,

    Sent,

    /// <summary>The member blocked the bot (or was known to be unreachable and skipped).</summary>
    Blocked,

    Failed,

    /// <summary>The send may or may not have reached Telegram: never resent.</summary>
    Unknown,
}

/// <summary>
/// <see cref="DeliveryState"/> as <c>deliveries.state</c> holds it: the one mapping both ways. The values are
/// those of the table's CHECK constraint (<c>Storage/Migrations/0003_delivery.sql</c>); a test holds them to it.
/// SQL that names a state in its own text (<c>state = 'pending'</c>) keeps the literal.
/// </summary>
public static class DeliveryStates
{
    /// <summary>The database value of <paramref name="state"/>.</summary>
    public static string ToDatabase(this DeliveryState state) => state switch
    {
        DeliveryState.Pending => "pending",
        DeliveryState.Sending => "sending",
        DeliveryState.Sent => "sent",
        DeliveryState.Blocked => "blocked",
        DeliveryState.Failed => "failed",
        DeliveryState.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "No database value for this delivery state."),
    };

    /// <summary>The state a database value stands for; throws for a value the CHECK constraint would not allow.</summary>
    public static DeliveryState FromDatabase(string value) => value switch
    {
        "pending" => DeliveryState.Pending,
        "sending" => DeliveryState.Sending,
        "sent" => DeliveryState.Sent,
        "blocked" => DeliveryState.Blocked,
        "failed" => DeliveryState.Failed,
        "unknown" => DeliveryState.Unknown,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not a delivery state."),
    };

    /// <summary>How a finished send leaves its row.</summary>
    public static DeliveryState FromSend(SendStatus status) => status switch
    {
        SendStatus.Sent => DeliveryState.Sent,
        SendStatus.Blocked => DeliveryState.Blocked,
        SendStatus.Failed => DeliveryState.Failed,
        SendStatus.Unknown => DeliveryState.Unknown,
        // Only chat replies are deferred (IMessenger.ReplyAsync), never a ledger's send.
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not the outcome of a ledger's send."),
    };
}
