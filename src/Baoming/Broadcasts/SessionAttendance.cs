namespace Baoming.Broadcasts;

/// <summary>
/// A session's members split by attendance (<c>registrations.attended_at</c>, migration 0015), as conditions on
/// <c>registrations r</c>: the one definition the broadcast audiences and the after-session follow-ups share.
/// Meaningful once the session has started; a no-show is final once it has ended.
/// </summary>
public static class SessionAttendance
{
    /// <summary>Attendance was recorded (link, 我已入会 button or an organizer's import), whatever happened to the seat since.</summary>
    public const string AttendedSql = "r.attended_at is not null";

    /// <summary>Held a confirmed seat and no attendance was recorded.</summary>
    public const string NoShowSql = "r.status = 'confirmed' and r.attended_at is null";
}
