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

    /// <summary>
    /// Every organizer and admin as SQL, one <c>id</c> column: the configured ones (parameter <c>@staff</c>,
    /// <see cref="ConfiguredStaff"/>) and those granted a role in chat (<c>member_roles</c>). Reports and
    /// readers' notes go to them.
    /// </summary>
    public const string StaffSql = "select unnest(@staff::bigint[]) as id union select member_id from member_roles";

    /// <summary>The <c>@staff</c> parameter of <see cref="StaffSql"/>.</summary>
    public long[] ConfiguredStaff() => [.. Admins.Concat(Organizers)];

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
