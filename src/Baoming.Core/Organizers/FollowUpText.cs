using System.Globalization;

namespace Baoming.Core.Organizers;

/// <summary>
/// A session's follow-up text (sent after it to those who came, or to confirmed no-shows): Telegram HTML,
/// checked as a broadcast's text is, the same whether it comes from the configuration or from
/// <c>/editsession KEY followup_attended …</c>. Telegram would refuse a broken one for every recipient.
/// </summary>
public static class FollowUpText
{
    /// <summary>What <c>/editsession</c> takes to remove a follow-up, as for a link or aliases.</summary>
    public const string Clear = "-";

    /// <summary>
    /// The text as it will be sent, or null for <see cref="Clear"/>; refused when empty, over Telegram's
    /// 4096 visible characters, or with markup Telegram would refuse (the detail says where, in <paramref name="language"/>).
    /// </summary>
    public static Parsed<string?> Parse(string? text, Language language = Language.Chinese)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed == Clear)
        {
            return Parsed.Ok<string?>(null);
        }

        if (trimmed.Length == 0)
        {
            return Parsed.Fail<string?>(InputError.Empty);
        }

        var check = TelegramHtml.Check(trimmed, language);
        if (!check.IsValid)
        {
            return Parsed.Fail<string?>(InputError.BadHtml, check.Problem);
        }

        if (check.VisibleLength > TelegramHtml.MaxLength)
        {
            return Parsed.Fail<string?>(InputError.TooLong, check.VisibleLength.ToString(CultureInfo.InvariantCulture));
        }

        // Only tags (an empty link, say): Telegram refuses a message with nothing to show.
        return check.VisibleLength == 0 || TelegramHtml.ToPlain(trimmed).Trim().Length == 0
            ? Parsed.Fail<string?>(InputError.Empty)
            : Parsed.Ok<string?>(trimmed);
    }

    /// <summary>
    /// A configured follow-up (<c>Sessions:N:FollowUpAttended</c> / <c>FollowUpNoShow</c>): null when it is fine or
    /// absent, else the problem in one English sentence naming <paramref name="key"/>.
    /// </summary>
    public static string? ConfigurationProblem(string? text, string key)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var parsed = Parse(text, Language.English);
        return parsed.Error switch
        {
            null when parsed.Value is null => $"{key} is \"-\"; leave it out to send nothing.",
            null => null,
            InputError.Empty => $"{key} has nothing to show; leave it out to send nothing.",
            InputError.TooLong => $"{key} is {parsed.Detail} characters once formatted; Telegram allows at most {TelegramHtml.MaxLength}.",
            _ => $"{key} is not valid Telegram HTML: {parsed.Detail}",
        };
    }
}
