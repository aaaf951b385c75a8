using System.ComponentModel.DataAnnotations;

namespace Baoming.Community;

public sealed class CommunityOptions
{
    public const string Section = "Community";

    /// <summary>IANA zone for showing and parsing times; the community is in Beijing time.</summary>
    [Required(ErrorMessage = "Community:TimeZone is required (an IANA zone such as Asia/Shanghai).")]
    [CustomValidation(typeof(CommunityOptions), nameof(ValidateZone))]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public List<long> Admins { get; set; } = [];

    public List<long> Organizers { get; set; } = [];

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public static ValidationResult? ValidateZone(string zone, ValidationContext context) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)
            ? ValidationResult.Success
            : new ValidationResult($"Community:TimeZone '{zone}' is not a known time zone (use an IANA id such as Asia/Shanghai).");
}

[OptionsValidator]
public sealed partial class CommunityOptionsValidator : IValidateOptions<CommunityOptions>;

/// <summary>The bot's own Telegram username, learned from getMe at start-up; used for deep links.</summary>
public sealed class BotIdentity
{
    public string Username { get; set; } = "BaomingBot";

    public string DeepLink(string payload) => $"https://t.me/{Username}?start={payload}";
}
