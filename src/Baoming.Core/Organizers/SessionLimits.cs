namespace Baoming.Core.Organizers;

/// <summary>
/// Caps on what a session may carry, the same whether it comes from the configuration or is typed in
/// chat: one absurd title must not make the 报名 list too long for Telegram to send.
/// </summary>
public static class SessionLimits
{
    public const int MaxTitleLength = 200;

    public const int MaxAliasLength = 32;

    public const int MaxAliases = 20;
}
