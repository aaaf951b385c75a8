namespace Baoming.Core.Tests;

/// <summary>The seed's two sessions, as appsettings.sample.json and the test harness have them, with their aliases.</summary>
internal static class CommunitySessions
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static readonly Session Auto = new()
    {
        Id = 1,
        Key = "auto",
        Title = "汽车产业的话题交流",
        Aliases = ["汽车", "车", "auto", "automotive"],
        StartsAt = new DateTimeOffset(2027, 2, 10, 19, 30, 0, TimeSpan.FromHours(8)),
    };

    public static readonly Session Metaverse = new()
    {
        Id = 2,
        Key = "metaverse",
        Title = "到底什么是\"元宇宙\"",
        Aliases = ["元宇宙", "metaverse", "meta"],
        StartsAt = new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8)),
    };
}
