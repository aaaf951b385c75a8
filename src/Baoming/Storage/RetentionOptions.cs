using Baoming.Platform;

namespace Baoming.Storage;

/// <summary>
/// How long the daily retention job (<see cref="RetentionJob"/>) keeps rows that have done their work.
/// A value is a number of days (<c>90</c>) or a time span (<c>1.12:00:00</c>).
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Handled updates (to answer "did the bot get my message?"; they hold no text once handled).</summary>
    [SettingRange("01:00:00", "3650.00:00:00", ErrorMessage = "Retention:Inbox must be between 1 hour and 3650 days (e.g. 7 for a week).")]
    public TimeSpan Inbox { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Delivery-ledger rows of topics with nothing left to send. At least a week: while a topic's
    /// ledger is there, a retried job cannot send its message to anyone a second time.
    /// </summary>
    [SettingRange("7.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:Deliveries must be between 7 days and 3650 days (e.g. 90).")]
    public TimeSpan Deliveries { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Organizer and admin actions.</summary>
    [SettingRange("1.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:AuditLog must be between 1 day and 3650 days (e.g. 365).")]
    public TimeSpan AuditLog { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Open dialogues nobody finished. Reads forget them after an hour already, so less than that
    /// would end a dialogue still in use.
    /// </summary>
    [SettingRange("01:00:00", "3650.00:00:00", ErrorMessage = "Retention:Dialogs must be between 1 hour and 3650 days (e.g. 1 for a day).")]
    public TimeSpan Dialogs { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Readers' 留言 once answered (unanswered ones stay until someone answers): their own words, kept a year.</summary>
    [SettingRange("7.00:00:00", "3650.00:00:00", ErrorMessage = "Retention:Notes must be between 7 days and 3650 days (e.g. 365).")]
    public TimeSpan Notes { get; set; } = TimeSpan.FromDays(365);
}

[OptionsValidator]
public sealed partial class RetentionOptionsValidator : IValidateOptions<RetentionOptions>;
