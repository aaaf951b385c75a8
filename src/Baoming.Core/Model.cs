namespace Baoming.Core;

/// <summary>The language a member is answered in: zh-CN unless their Telegram language is English.</summary>
public enum Language
{
    Chinese,
    English,
}

public static class Languages
{
    public static Language FromTelegramCode(string? languageCode) =>
        languageCode is not null && languageCode.StartsWith("en", StringComparison.OrdinalIgnoreCase)
            ? Language.English
            : Language.Chinese;
}

/// <summary>A session as the core sees it: enough to match it, decide a sign-up and describe it.</summary>
public sealed record Session
{
    public required long Id { get; init; }
    public required string Key { get; init; }
    public required string Title { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required DateTimeOffset StartsAt { get; init; }
    public int DurationMinutes { get; init; } = 90;

    /// <summary>Confirmed seats; 0 means unlimited.</summary>
    public int Capacity { get; init; }

    public string? JoinUrl { get; init; }
    public string? Description { get; init; }
    public bool IsCancelled { get; init; }

    /// <summary>When sign-up opens (issue 18); null: open as soon as the session exists.</summary>
    public DateTimeOffset? OpensAt { get; init; }

    public bool IsOpenAt(DateTimeOffset now) => !IsCancelled && StartsAt > now;
}

public enum RegistrationStatus
{
    Confirmed,
    Waitlisted,
    Cancelled,
}
