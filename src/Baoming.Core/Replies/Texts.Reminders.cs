using System.Text;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

// Notices the jobs send: reminders, a session moved or cancelled, promotions off the waitlist, delivery reports.
public sealed partial class Texts
{
    /// <summary>
    /// A reminder before a session: the join link only for confirmed members, never the waitlisted.
    /// <paramref name="joinUrl"/> replaces the session's own link (a member's personal link, or the
    /// fan-out's placeholder for it); null means the session's.
    /// </summary>
    public Reply Reminder(Session session, TimeSpan before, bool isConfirmed, string? joinUrl = null)
    {
        var text = new StringBuilder(Pick($"⏰ 提醒：选题会还有 {Span(before)}开始", $"⏰ Reminder: starts in {Span(before)}")).Append('\n')
            .Append('「').Append(session.Title).Append("」\n")
            .Append(Pick("时间：", "Time: ")).Append(When(session)).Append('\n');
        if (!isConfirmed)
        {
            text.Append(Pick("你目前在候补名单中，有空位时会立刻通知你。", "You're on the waitlist; we'll tell you at once if a seat frees up."));
            return Reply.WithButtons(text.ToString().TrimEnd(), [CantComeButton(session), CalendarButton(session)]);
        }

        if (!string.IsNullOrEmpty(session.JoinUrl))
        {
            text.Append(Pick("入会链接：", "Join link: ")).Append(joinUrl ?? session.JoinUrl).Append('\n');
        }

        return new Reply(text.ToString().TrimEnd(),
        [
            [new Button(Pick("👍 我会参加", "👍 I'll be there"), CallbackData.Attend(session.Id)), CantComeButton(session)],
            [CalendarButton(session)],
        ]);
    }

    /// <summary>
    /// The "starting now" message (the reminder slot at offset 0), for confirmed members only: the join
    /// link (personal when <paramref name="joinUrl"/> says so) and 我已入会, which records attendance.
    /// </summary>
    public Reply StartingNow(Session session, string? joinUrl = null)
    {
        var text = new StringBuilder(Pick("🔴 选题会现在开始！", "🔴 Starting now!")).Append('\n')
            .Append('「').Append(session.Title).Append("」\n");
        if (!string.IsNullOrEmpty(session.JoinUrl))
        {
            text.Append(Pick("入会链接：", "Join link: ")).Append(joinUrl ?? session.JoinUrl).Append('\n');
        }

        text.Append(Pick("进入会议后请点「我已入会」，方便组织者统计出席。", "Once you're in, tap \"I've joined\" so the organizers know you came."));
        return Reply.WithButtons(text.ToString(), [JoinedButton(session)]);
    }

    private Button CantComeButton(Session session) => new(Pick("🙅 来不了了", "🙅 Can't make it"), CallbackData.Cancel(session.Id));

    public Reply Moved(Session session, DateTimeOffset previousStart) => Reply.WithButtons(
        Pick(
            $"📅 时间变更：「{session.Title}」改到 {When(session)}（原定 {TimeFormat.Format(previousStart, zone, language)}）。你的报名保留不变，提醒也会按新时间发送。",
            $"📅 Time change: \"{session.Title}\" moves to {When(session)} (was {TimeFormat.Format(previousStart, zone, language)}). Your sign-up stays; reminders follow the new time."),
        [CantComeButton(session), CalendarButton(session)]);

    public Reply SessionCancelled(Session session) => Reply.Plain(Pick(
        $"❌ 很抱歉，「{session.Title}」（{When(session)}）已取消，不会再发送提醒。",
        $"❌ Sorry, \"{session.Title}\" ({When(session)}) has been cancelled. No reminders will follow."));

    public Reply Promoted(Session session) => Reply.Plain(Pick(
        $"🎉 好消息！有人取消了报名，你已从候补转为正式报名「{session.Title}」（{When(session)}）。",
        $"🎉 Good news! A seat freed up: you're now confirmed for \"{session.Title}\" ({When(session)})."));

    public Reply PromotedByMoreSeats(Session session) => Reply.Plain(Pick(
        $"🎉 好消息！「{session.Title}」增加了名额，你已从候补转为正式报名（{When(session)}）。",
        $"🎉 Good news! \"{session.Title}\" has more seats: you're now confirmed ({When(session)})."));

    /// <summary>For organizers after a fan-out: who was reached.</summary>
    public Reply DeliveryReport(string what, int sent, int blocked, int failed, int unknown) => Reply.Plain(Pick(
        $"📊 {what}\n已送达 {sent} · 已屏蔽机器人 {blocked} · 失败 {failed} · 结果未知 {unknown}",
        $"📊 {what}\nDelivered {sent} · blocked the bot {blocked} · failed {failed} · unknown {unknown}"));

    public string ReminderReportTitle(Session session, TimeSpan before) => before == TimeSpan.Zero
        ? Pick($"开始通知已发出：「{session.Title}」", $"Starting-now message sent: \"{session.Title}\"")
        : Pick(
            $"提醒已发出：「{session.Title}」（提前 {Span(before)}）",
            $"Reminder sent: \"{session.Title}\" ({Span(before)} before)");

    /// <summary>"1 天", "1 小时", "30 分钟" / "1 day", "1 hour", "30 minutes".</summary>
    public string Span(TimeSpan span)
    {
        if (span.TotalDays >= 1 && span.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return Pick($"{(int)span.TotalDays} 天", Plural((int)span.TotalDays, "day"));
        }

        if (span.TotalHours >= 1 && span.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return Pick($"{(int)span.TotalHours} 小时", Plural((int)span.TotalHours, "hour"));
        }

        if (span.Ticks % TimeSpan.TicksPerMinute != 0 && span < TimeSpan.FromMinutes(10))
        {
            var seconds = Math.Max(1, (int)span.TotalSeconds);
            return Pick($"{seconds} 秒", Plural(seconds, "second"));
        }

        var minutes = Math.Max(1, (int)Math.Round(span.TotalMinutes));
        return Pick($"{minutes} 分钟", Plural(minutes, "minute"));
    }

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
