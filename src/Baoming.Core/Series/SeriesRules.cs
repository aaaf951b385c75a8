using Baoming.Core.Understanding;

namespace Baoming.Core.Series;

/// <summary>The rules of a series' invitations that need no database.</summary>
public static class SeriesRules
{
    /// <summary>What a registration made from an invitation's button records as its source.</summary>
    public const string SourcePrefix = "series-";

    /// <summary>
    /// "series-KEY", the source an invitation's sign-up button carries. The button's data ("su:ID:SOURCE") has
    /// 64 bytes at most and the builder drops a source that does not fit, so a long key is clipped to fit:
    /// the registration still records that it came from the series.
    /// </summary>
    public static string InvitationSource(string seriesKey, long sessionId)
    {
        ArgumentNullException.ThrowIfNull(seriesKey);
        var room = CallbackData.MaxBytes - CallbackData.SignUp(sessionId).Length - 1 - SourcePrefix.Length;
        return SourcePrefix + (seriesKey.Length <= room ? seriesKey : seriesKey[..Math.Max(room, 1)]);
    }

    /// <summary>
    /// When a session's followers are invited: when sign-up opens, or at once when it is open already (no
    /// opening time, or one past). Whole seconds, so the time reads back the same from the database.
    /// </summary>
    public static DateTimeOffset InvitationDue(DateTimeOffset? opensAt, DateTimeOffset now)
    {
        var due = opensAt is { } opens && opens > now ? opens : now;
        return DateTimeOffset.FromUnixTimeSeconds(due.ToUnixTimeSeconds());
    }

    /// <summary>Whether a session is still worth an invitation: in a series, not cancelled, not started.</summary>
    public static bool IsInvitable(Session session, long? seriesId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        return seriesId is not null && !session.IsCancelled && session.StartsAt > now;
    }
}
