using System.Globalization;

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

/// <summary>
/// Callback data of the organizers' buttons, "prefix:payload" with ids only (Telegram allows 64 bytes).
/// The conversation checks the presser's role before any of them runs.
/// </summary>
public static class OrganizerButtons
{
    public const string CancelSessionPrefix = "cs";
    public const string AudiencePrefix = "ba";
    public const string SendPrefix = "bs";
    public const string StopPrefix = "bc";
    public const string NotReachedPrefix = "bn";

    public const string SendNow = "now";
    public const string SendLater = "at";
    public const string Discard = "x";

    public static string ConfirmCancelSession(long sessionId) => $"{CancelSessionPrefix}:{Id(sessionId)}";

    public static string KeepSession() => $"{CancelSessionPrefix}:no";

    /// <summary>"ba:c" (then a session), "ba:c:42", "ba:u", "ba:e".</summary>
    public static string ChooseAudience(Audience audience, long? sessionId = null) =>
        sessionId is { } id ? $"{AudiencePrefix}:{Code(audience)}:{Id(id)}" : $"{AudiencePrefix}:{Code(audience)}";

    public static string Send(long broadcastId, string how) => $"{SendPrefix}:{Id(broadcastId)}:{how}";

    public static string Stop(long broadcastId) => $"{StopPrefix}:{Id(broadcastId)}";

    public static string NotReached(long broadcastId) => $"{NotReachedPrefix}:{Id(broadcastId)}";

    public static bool TryParseAudience(string payload, out Audience audience, out long? sessionId)
    {
        sessionId = null;
        var parts = payload.Split(':');
        audience = default;
        if (parts.Length is < 1 or > 2 || !TryParseCode(parts[0], out audience))
        {
            return false;
        }

        if (parts.Length == 2)
        {
            if (!TryParseId(parts[1], out var id) || audience is Audience.Upcoming or Audience.Everyone)
            {
                return false;
            }

            sessionId = id;
        }

        return true;
    }

    public static bool TryParseSend(string payload, out long broadcastId, out string how)
    {
        var parts = payload.Split(':');
        how = parts.Length == 2 ? parts[1] : "";
        broadcastId = 0;
        return parts.Length == 2 && how is SendNow or SendLater or Discard && TryParseId(parts[0], out broadcastId);
    }

    public static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    public static string Code(Audience audience) => audience switch
    {
        Audience.Confirmed => "c",
        Audience.Waitlisted => "w",
        Audience.Upcoming => "u",
        _ => "e",
    };

    /// <summary>How an audience is stored in the broadcasts table.</summary>
    public static string Name(Audience audience) => audience.ToString().ToLowerInvariant();

    public static Audience FromName(string name) => Enum.Parse<Audience>(name, ignoreCase: true);

    private static bool TryParseCode(string code, out Audience audience)
    {
        audience = code switch
        {
            "c" => Audience.Confirmed,
            "w" => Audience.Waitlisted,
            "u" => Audience.Upcoming,
            _ => Audience.Everyone,
        };
        return code is "c" or "w" or "u" or "e";
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
