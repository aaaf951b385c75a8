namespace Baoming.Core.Attendance;

/// <summary>
/// When a click on the personal join link or a press of 我已入会 counts as attendance: from half an hour
/// before the start (people open the meeting early to test their audio) until the session's end. A click
/// outside it is still recorded as a click, not as attendance.
/// </summary>
public static class AttendanceWindow
{
    public static readonly TimeSpan OpensBefore = TimeSpan.FromMinutes(30);

    public static bool Contains(DateTimeOffset startsAt, int durationMinutes, DateTimeOffset now) =>
        now >= startsAt - OpensBefore && now < startsAt.AddMinutes(durationMinutes);
}
