namespace Baoming.Core.Signup;

/// <summary>One reminder: how long before the start, and when that is.</summary>
public sealed record ReminderSlot(TimeSpan Offset, DateTimeOffset DueAt);

public static class ReminderRules
{
    /// <summary>
    /// The reminders a session should still get: one per distinct positive offset, due at the start
    /// minus the offset, and only those still ahead of <paramref name="now"/> (a slot that has
    /// passed is not sent late). A cancelled or started session gets none.
    /// </summary>
    public static IReadOnlyList<ReminderSlot> Slots(Session session, IEnumerable<TimeSpan> offsets, DateTimeOffset now)
    {
        if (session.IsCancelled || session.StartsAt <= now)
        {
            return [];
        }

        return [.. offsets
            .Where(o => o > TimeSpan.Zero)
            .Distinct()
            .Select(o => new ReminderSlot(o, session.StartsAt - o))
            .Where(s => s.DueAt > now)
            .OrderBy(s => s.DueAt)];
    }

    /// <summary>Within this much of the start, a new sign-up gets the join link in its confirmation.</summary>
    public static readonly TimeSpan JoinLinkWindow = TimeSpan.FromHours(1);
}
