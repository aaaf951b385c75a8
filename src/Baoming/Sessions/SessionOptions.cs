using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Baoming.Core.Organizers;
using Baoming.Platform;

namespace Baoming.Sessions;

/// <summary>One entry of the <c>Sessions</c> configuration array, upserted by <see cref="Key"/> at start-up.</summary>
public sealed class SessionConfig : IValidatableObject
{
    [Required(ErrorMessage = "Sessions:N:Key is required.")]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Sessions:N:Key must be 1-64 characters of A-Z, a-z, 0-9, _ or - (it is used in deep links).")]
    public string Key { get; set; } = "";

    [Required(ErrorMessage = "Sessions:N:Title is required.")]
    [StringLength(SessionLimits.MaxTitleLength, MinimumLength = 1, ErrorMessage = "Sessions:N:Title must be {2}-{1} characters.")]
    public string Title { get; set; } = "";

    [MaxLength(SessionLimits.MaxAliases, ErrorMessage = "Sessions:N:Aliases may list at most {1} aliases.")]
    public List<string> Aliases { get; set; } = [];

    [Required(ErrorMessage = "Sessions:N:StartsAt is required (ISO 8601 with an offset, e.g. 2027-02-17T19:30:00+08:00).")]
    public DateTimeOffset? StartsAt { get; set; }

    [SettingRange(1, 7 * 24 * 60, ErrorMessage = "Sessions:N:DurationMinutes must be between 1 and 10080.")]
    public int DurationMinutes { get; set; } = 90;

    [SettingRange(0, 10_000_000, ErrorMessage = "Sessions:N:Capacity must be 0 (unlimited) or more.")]
    public int Capacity { get; set; }

    [Url(ErrorMessage = "Sessions:N:JoinUrl must be an absolute URL.")]
    public string? JoinUrl { get; set; }

    public string? Description { get; set; }

    /// <summary>Overrides <c>Reminders:Offsets</c> for this session.</summary>
    public List<TimeSpan>? ReminderOffsets { get; set; }

    /// <summary>Asked one by one after the seat is taken (Questions feature).</summary>
    [ValidateEnumeratedItems]
    public List<SessionQuestionConfig> Questions { get; set; } = [];

    /// <summary>Telegram HTML sent after the session to those who came (AfterSession feature).</summary>
    public string? FollowUpAttended { get; set; }

    /// <summary>Telegram HTML sent after the session to confirmed members who did not come.</summary>
    public string? FollowUpNoShow { get; set; }

    /// <summary>When sign-up opens (ISO 8601 with an offset); unset: at once. Followers of the series are invited then.</summary>
    public DateTimeOffset? OpensAt { get; set; }

    /// <summary>The key of the series (top-level <c>Series</c>) this session belongs to.</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Sessions:N:Series must be the Key of an entry of Series.")]
    public string? Series { get; set; }

    /// <summary>
    /// What the attributes cannot say: sign-up opens before the session starts (the source-generated
    /// validator calls this for each entry, after the attributes).
    /// </summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OpensAt is { } opensAt && StartsAt is { } startsAt && opensAt >= startsAt)
        {
            yield return new ValidationResult(
                string.Create(CultureInfo.InvariantCulture, $"Sessions:N:OpensAt ({opensAt:O}) of the session \"{Key}\" must be before its Sessions:N:StartsAt ({startsAt:O}): sign-up opens before the session starts."),
                [nameof(OpensAt)]);
        }
    }
}

/// <summary>One question of <c>Sessions:N:Questions</c>: free text when <see cref="Choices"/> is empty, else one of the choices.</summary>
public sealed class SessionQuestionConfig
{
    [Required(ErrorMessage = "Sessions:N:Questions:M:Text is required.")]
    public string Text { get; set; } = "";

    public List<string> Choices { get; set; } = [];

    public bool Required { get; set; }
}

public sealed class SessionCatalogOptions
{
    [ValidateEnumeratedItems]
    public List<SessionConfig> Sessions { get; set; } = [];
}

[OptionsValidator]
public sealed partial class SessionCatalogOptionsValidator : IValidateOptions<SessionCatalogOptions>;
