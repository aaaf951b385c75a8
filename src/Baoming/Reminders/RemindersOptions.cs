namespace Baoming.Reminders;

public sealed class RemindersOptions
{
    public const string Section = "Reminders";

    /// <summary>How long before a session's start reminders go out, unless the session says otherwise.</summary>
    public List<TimeSpan> Offsets { get; set; } = [];

    /// <summary>
    /// The "starting now" message at the start time (the join link and 我已入会), for every session on top
    /// of its offsets; the same as an offset of <c>00:00:00</c>. On unless set to false.
    /// </summary>
    public bool AtStart { get; set; } = true;

    /// <summary>The default when the configuration gives no offsets: a day before and an hour before.</summary>
    public IReadOnlyList<TimeSpan> EffectiveOffsets => Offsets.Count > 0 ? Offsets : [TimeSpan.FromDays(1), TimeSpan.FromHours(1)];

    /// <summary>The offsets of a session: its own when it has some, else the configured ones, and the start itself when <see cref="AtStart"/>.</summary>
    public IEnumerable<TimeSpan> OffsetsFor(IReadOnlyList<TimeSpan>? own) =>
        (own is { Count: > 0 } ? own : EffectiveOffsets).Concat(AtStart ? [TimeSpan.Zero] : []);
}
