using Baoming.Platform;

namespace Baoming.AfterSession;

public sealed class AfterSessionOptions
{
    public const string Section = "AfterSession";

    /// <summary>
    /// How long after a session's end (start + duration) its follow-ups and the feedback request go out. Leave
    /// room for an organizer to import attendance from the meeting platform first: whoever is not marked as
    /// attended by then gets the no-show follow-up.
    /// </summary>
    [SettingRange("00:00:00", "7.00:00:00", ErrorMessage = "AfterSession:Delay must be between 0 and 7 days (e.g. 00:30:00 for half an hour).")]
    public TimeSpan Delay { get; set; } = TimeSpan.FromMinutes(30);
}

[OptionsValidator]
public sealed partial class AfterSessionOptionsValidator : IValidateOptions<AfterSessionOptions>;
