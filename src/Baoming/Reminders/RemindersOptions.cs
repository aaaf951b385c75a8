using Baoming.Platform;

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

    /// <summary>
    /// How long before a slot's due time its job starts and writes the recipients to the delivery ledger
    /// (not sendable yet), so the first reminder goes out at the due time rather than after the inserts:
    /// about 2 s for 100,000 registrants on a 2-core machine, plus the job scheduler's poll (1 s) and a
    /// busy worker's delay. The job then holds one job worker until the due time. Between 0 (no
    /// preparation: the job starts at the due time) and 10 minutes.
    /// </summary>
    [SettingRange("00:00:00", "00:10:00", ErrorMessage = "Reminders:PrepareAhead must be between 0 and 10 minutes.")]
    public TimeSpan PrepareAhead { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The default when the configuration gives no offsets: a day before and an hour before.</summary>
    public IReadOnlyList<TimeSpan> EffectiveOffsets => Offsets.Count > 0 ? Offsets : [TimeSpan.FromDays(1), TimeSpan.FromHours(1)];

    /// <summary>The offsets of a session: its own when it has some, else the configured ones, and the start itself when <see cref="AtStart"/>.</summary>
    public IEnumerable<TimeSpan> OffsetsFor(IReadOnlyList<TimeSpan>? own) =>
        (own is { Count: > 0 } ? own : EffectiveOffsets).Concat(AtStart ? [TimeSpan.Zero] : []);
}

[OptionsValidator]
public sealed partial class RemindersOptionsValidator : IValidateOptions<RemindersOptions>;
