using Baoming.Core;

namespace Baoming.Sessions;

/// <summary>
/// Seat keeping, which belongs to Signup: a new capacity takes the sign-ups' row lock and promotes from
/// the waitlist into the seats it opened. Sessions asks through this, so it never names Signup.
/// </summary>
public interface ISessionSeats
{
    /// <summary>Null when there is no such session; the promoted members are told through the ledger.</summary>
    Task<(Session Session, IReadOnlyList<long> Promoted)?> SetCapacityAsync(long sessionId, int capacity, CancellationToken cancellationToken);
}
