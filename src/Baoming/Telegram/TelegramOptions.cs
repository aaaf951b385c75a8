using System.ComponentModel.DataAnnotations;
using Baoming.Platform;

namespace Baoming.Telegram;

public enum TelegramMode
{
    Polling,
    Webhook,
}

public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>Never logged: it is part of every Bot API URL.</summary>
    [RegularExpression(@"^\d+:[A-Za-z0-9_-]+$", ErrorMessage = "Telegram:BotToken must look like 123456789:AAE... (as given by @BotFather).")]
    public string? BotToken { get; set; }

    [Required(ErrorMessage = "Telegram:ApiBaseUrl is required.")]
    [Url(ErrorMessage = "Telegram:ApiBaseUrl must be an absolute http(s) URL, e.g. https://api.telegram.org.")]
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    public TelegramMode Mode { get; set; } = TelegramMode.Polling;

    /// <summary>Webhook mode: the public URL Telegram posts to; this service answers on its path.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The webhook URL when it is an absolute http(s) URL (a local Bot API server may post over http).</summary>
    public Uri? WebhookUri =>
        Platform.HttpOptions.AsHttpUrl(WebhookUrl);

    /// <summary>
    /// Telegram allows 1-256 characters; fewer than 32 could be guessed by someone posting forged
    /// updates, so they are refused (<c>openssl rand -hex 32</c> gives 64).
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_-]{32,256}$", ErrorMessage = "Telegram:WebhookSecret must be 32-256 characters of A-Z, a-z, 0-9, _ or - (e.g. openssl rand -hex 32).")]
    public string? WebhookSecret { get; set; }

    /// <summary>Long-poll wait per getUpdates call.</summary>
    [SettingRange(0, 50, ErrorMessage = "Telegram:PollTimeoutSeconds must be between 0 and 50.")]
    public int PollTimeoutSeconds { get; set; } = 30;
}

[OptionsValidator]
public sealed partial class TelegramOptionsValidator : IValidateOptions<TelegramOptions>;
