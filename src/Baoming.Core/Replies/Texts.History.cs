using System.Globalization;
using System.Text;

namespace Baoming.Core.Replies;

/// <summary>How one of a member's registrations ended, or stands.</summary>
public enum HistoryOutcome
{
    /// <summary>Confirmed, and the session has not ended yet.</summary>
    Upcoming,

    /// <summary>Attendance recorded (link, 我已入会, or an organizer's import), whatever the status.</summary>
    Attended,

    /// <summary>Confirmed, never recorded as attending, and the session is over.</summary>
    NoShow,

    /// <summary>The member cancelled, or the organizers cancelled the session.</summary>
    Cancelled,

    /// <summary>Still on the waitlist (never a no-show: no seat was theirs).</summary>
    Waitlisted,
}

/// <summary>One of a member's sessions as <c>/member</c> lists it.</summary>
public sealed record HistoryEntry(string Title, DateTimeOffset StartsAt, HistoryOutcome Outcome);

/// <summary>
/// A member's totals over every registration they ever had. The show rate is over the sessions that
/// could be attended and are over: attended / (attended + no-shows), null while there are none.
/// </summary>
public sealed record HistoryCounts(int SignedUp, int Attended, int NoShows, int Cancelled)
{
    public double? ShowRate => Attended + NoShows == 0 ? null : (double)Attended / (Attended + NoShows);

    public static HistoryCounts Of(IReadOnlyCollection<HistoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new(
            entries.Count,
            entries.Count(e => e.Outcome == HistoryOutcome.Attended),
            entries.Count(e => e.Outcome == HistoryOutcome.NoShow),
            entries.Count(e => e.Outcome == HistoryOutcome.Cancelled));
    }
}

/// <summary>
/// Who a member is and every session they signed up for, newest first, as organizers see it with
/// <c>/member</c>. <paramref name="Role"/> is "reader", "organizer" or "admin".
/// </summary>
public sealed record MemberHistory(
    long MemberId, string DisplayName, string? Username, string Role, DateTimeOffset FirstSeenAt, IReadOnlyList<HistoryEntry> Sessions)
{
    public HistoryCounts Counts { get; } = HistoryCounts.Of(Sessions);
}

// Member history (organizers): /member @username or /member ID. Plain text: names and titles are shown as typed.
public sealed partial class Texts
{
    /// <summary>How many sessions <c>/member</c> lists; older ones are counted in one closing line.</summary>
    public const int MemberHistoryMaxSessions = 20;

    /// <summary>Titles are clipped so twenty lines stay readable on a phone.</summary>
    private const int HistoryTitleClip = 30;

    public Reply MemberUsage() => Reply.Plain(Pick(
        "用法：/member @用户名 或 /member 用户ID —— 查看成员的报名、出席和未到记录。",
        "Usage: /member @username or /member USER_ID: a member's sign-ups, attendance and no-shows."));

    /// <summary>A numeric id nobody with that id has ever written to the bot (so there is no history either).</summary>
    public Reply MemberUnknownId(long memberId) => Reply.Plain(Pick(
        $"没有 ID 为 {memberId.ToString(CultureInfo.InvariantCulture)} 的成员：这个人还没有给机器人发过消息，也没有任何报名记录。",
        $"No member has the id {memberId.ToString(CultureInfo.InvariantCulture)}: they have never written to the bot, so they have no sign-ups either."));

    /// <summary>
    /// The member card: name, @username, Telegram id, channel, role, first seen; the totals and show rate;
    /// then at most <see cref="MemberHistoryMaxSessions"/> sessions, newest first, and how many more there are.
    /// </summary>
    public Reply MemberHistory(MemberHistory member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var id = member.MemberId.ToString(CultureInfo.InvariantCulture);
        var name = ClipTo(member.DisplayName, 40);
        var username = member.Username is { Length: > 0 } u ? " @" + u : "";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"👤 {name}{username}\n")
            .Append(Pick(
                $"Telegram ID：{id} · 渠道：Telegram · 角色：{RoleName(member.Role)}\n首次出现：{TimeFormat.Format(member.FirstSeenAt, zone, language)}\n",
                $"Telegram id: {id} · channel: Telegram · role: {RoleName(member.Role)}\nFirst seen: {TimeFormat.Format(member.FirstSeenAt, zone, language)}\n"));

        var counts = member.Counts;
        if (counts.SignedUp == 0)
        {
            return Reply.Plain(text.Append(Pick("还没有报名过任何场次。", "Has not signed up for any session yet.")).ToString());
        }

        var rate = counts.ShowRate is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(r * 100)}%") + Pick($"（{counts.Attended}/{counts.Attended + counts.NoShows}）", $" ({counts.Attended}/{counts.Attended + counts.NoShows})")
            : "—";
        text.Append(Pick(
                $"报名 {counts.SignedUp} 场：出席 {counts.Attended} · 未到 {counts.NoShows} · 已取消 {counts.Cancelled} · 出席率 {rate}\n",
                $"Signed up {counts.SignedUp}: attended {counts.Attended} · no-shows {counts.NoShows} · cancelled {counts.Cancelled} · show rate {rate}\n"))
            .Append(Pick("场次（最近的在前）：", "Sessions, newest first:"));
        foreach (var entry in member.Sessions.Take(MemberHistoryMaxSessions))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n· {TimeFormat.Format(entry.StartsAt, zone, language)} {ClipTo(entry.Title, HistoryTitleClip)} — {OutcomeName(entry.Outcome)}");
        }

        var more = member.Sessions.Count - MemberHistoryMaxSessions;
        if (more > 0)
        {
            text.Append('\n').Append(Pick($"…及另外 {more} 场", $"…and {more} more"));
        }

        return Reply.Plain(text.ToString());
    }

    /// <summary>出席 / 未到 / 已取消 / 候补 / 待开始.</summary>
    public string OutcomeName(HistoryOutcome outcome) => outcome switch
    {
        HistoryOutcome.Attended => Pick("出席", "attended"),
        HistoryOutcome.NoShow => Pick("未到", "no-show"),
        HistoryOutcome.Cancelled => Pick("已取消", "cancelled"),
        HistoryOutcome.Waitlisted => Pick("候补", "waitlisted"),
        _ => Pick("待开始", "upcoming"),
    };
}
