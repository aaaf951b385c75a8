namespace Baoming.Core.Signup;

/// <summary>One reminder: how long before the start, and when that is.</summary>
public sealed record ReminderSlot(TimeSpan Offset, DateTimeOffset DueAt);

public static class ReminderRules
{
    /// <summary>
    /// The reminders a session should still get: one per distinct offset, due at the start minus the
    /// offset, and only those still ahead of <paramref name="now"/> (a slot that has passed is not sent
    /// late). An offset of zero is the "starting now" message (<see cref="IsStartingNow"/>); a negative
    /// one is ignored. A cancelled or started session gets none.
    /// </summary>
    public static IReadOnlyList<ReminderSlot> Slots(Session session, IEnumerable<TimeSpan> offsets, DateTimeOffset now)
    {
        if (session.IsCancelled || session.StartsAt <= now)
        {
            return [];
        }

        return [.. offsets
            .Where(o => o >= TimeSpan.Zero)
            .Distinct()
            .Select(o => new ReminderSlot(o, session.StartsAt - o))
            .Where(s => s.DueAt > now)
            .OrderBy(s => s.DueAt)];
    }

    /// <summary>The slot at the start itself: confirmed members get the join link and 我已入会, the waitlisted nothing.</summary>
    public static bool IsStartingNow(TimeSpan offset) => offset == TimeSpan.Zero;

    /// <summary>Within this much of the start, a new sign-up gets the join link in its confirmation.</summary>
    public static readonly TimeSpan JoinLinkWindow = TimeSpan.FromHours(1);
}
