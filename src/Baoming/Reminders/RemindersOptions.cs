namespace Baoming.Reminders;

public sealed class RemindersOptions
{
    public const string Section = "Reminders";

    /// <summary>How long before a session's start reminders go out, unless the session says otherwise.</summary>
    public List<TimeSpan> Offsets { get; set; } = [];

    /// <summary>The default when the configuration gives no offsets: a day before and an hour before.</summary>
    public IReadOnlyList<TimeSpan> EffectiveOffsets => Offsets.Count > 0 ? Offsets : [TimeSpan.FromDays(1), TimeSpan.FromHours(1)];
}
