using System.ComponentModel.DataAnnotations;
using Baoming.Platform;

namespace Baoming.Delivery;

/// <summary>
/// The channel's sending limit, read from <c>Telegram:MaxMessagesPerSecond</c> (the key stays where
/// operators know it; the other <c>Telegram</c> keys belong to <see cref="Telegram.TelegramOptions"/>).
/// </summary>
public sealed class SendRateOptions
{
    public const string Section = "Telegram";

    /// <summary>Bot API's documented bulk limit is about 30 messages per second; 25 leaves headroom.</summary>
    [SettingRange(1, 1000, ErrorMessage = "Telegram:MaxMessagesPerSecond must be between 1 and 1000.")]
    public int MaxMessagesPerSecond { get; set; } = 25;
}

[OptionsValidator]
public sealed partial class SendRateOptionsValidator : IValidateOptions<SendRateOptions>;
