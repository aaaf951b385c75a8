namespace Baoming.Core.Organizers;

/// <summary>Who a broadcast goes to.</summary>
public enum Audience
{
    /// <summary>One session's confirmed members.</summary>
    Confirmed,

    /// <summary>One session's waitlist.</summary>
    Waitlisted,

    /// <summary>Everyone signed up (confirmed or waitlisted) for any upcoming session.</summary>
    Upcoming,

    /// <summary>Everyone who ever wrote to the bot.</summary>
    Everyone,
}

/// <summary>How an audience is stored in the broadcasts table and in a broadcast dialogue's state.</summary>
public static class AudienceNames
{
    public static string Of(Audience audience) => audience.ToString().ToLowerInvariant();

    public static Audience Parse(string name) => Enum.Parse<Audience>(name, ignoreCase: true);
}
