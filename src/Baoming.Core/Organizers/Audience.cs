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

    /// <summary>Those whose attendance of one session (that has started) was recorded.</summary>
    Attended,

    /// <summary>One started session's confirmed members whose attendance was not recorded.</summary>
    NoShows,
}

/// <summary>
/// How an audience is stored in the broadcasts table (its CHECK constraint lists the same names) and in a
/// broadcast dialogue's state: the one mapping both ways. Stored rows keep their name, so none may change.
/// </summary>
public static class AudienceNames
{
    public static string Of(Audience audience) => audience switch
    {
        Audience.Confirmed => "confirmed",
        Audience.Waitlisted => "waitlisted",
        Audience.Upcoming => "upcoming",
        Audience.Everyone => "everyone",
        Audience.Attended => "attended",
        Audience.NoShows => "no_shows",
        _ => throw new ArgumentOutOfRangeException(nameof(audience), audience, "No stored name for this audience."),
    };

    public static Audience Parse(string name) => name switch
    {
        "confirmed" => Audience.Confirmed,
        "waitlisted" => Audience.Waitlisted,
        "upcoming" => Audience.Upcoming,
        "everyone" => Audience.Everyone,
        "attended" => Audience.Attended,
        "no_shows" => Audience.NoShows,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not an audience."),
    };

    /// <summary>The audiences of one session, chosen with a session: the first two before it starts, the last two once it has.</summary>
    public static bool IsPerSession(this Audience audience) => audience is Audience.Confirmed or Audience.Waitlisted or Audience.Attended or Audience.NoShows;

    /// <summary>The halves of a session's members by attendance, offered only for sessions that have started.</summary>
    public static bool IsByAttendance(this Audience audience) => audience is Audience.Attended or Audience.NoShows;
}
