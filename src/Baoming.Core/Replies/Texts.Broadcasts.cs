using System.Globalization;
using System.Text;
using Baoming.Core.Organizers;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

/// <summary>One broadcast in <c>/broadcasts</c>: its state and its delivery counts.</summary>
public sealed record BroadcastSummary(
    long Id,
    Audience Audience,
    string? SessionTitle,
    BroadcastState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ScheduledAt,
    string Preview,
    int Total,
    int Sent,
    int Blocked,
    int Failed,
    int Unknown)
{
    public bool CanStop => State is BroadcastState.Scheduled or BroadcastState.Sending;
}

// Broadcasts (organizers): /broadcast, its dialogue and progress, /broadcasts, the not-reached list.
public sealed partial class Texts
{
    public Reply BroadcastChooseAudience(int upcoming, int everyone) => new(
        Pick("📣 群发给谁？", "📣 Who should the broadcast go to?"),
        [
            [new Button(Pick("某一场的已报名者", "One session's confirmed members"), CallbackData.Broadcasts.ChooseAudience(Audience.Confirmed))],
            [new Button(Pick("某一场的候补名单", "One session's waitlist"), CallbackData.Broadcasts.ChooseAudience(Audience.Waitlisted))],
            [new Button(Pick("某一场来了的人", "Those who came to a session"), CallbackData.Broadcasts.ChooseAudience(Audience.Attended))],
            [new Button(Pick("某一场报名了却没来的人", "A session's confirmed no-shows"), CallbackData.Broadcasts.ChooseAudience(Audience.NoShows))],
            [new Button(Pick($"所有近期场次的报名者（{upcoming} 人）", $"Everyone signed up for an upcoming session ({upcoming})"), CallbackData.Broadcasts.ChooseAudience(Audience.Upcoming))],
            [new Button(Pick($"所有用过机器人的人（{everyone} 人）", $"Everyone who ever started the bot ({everyone})"), CallbackData.Broadcasts.ChooseAudience(Audience.Everyone))],
        ]);

    /// <summary>The sessions to choose from for a per-session audience, each with that audience's size there.</summary>
    public Reply BroadcastChooseSession(Audience audience, IReadOnlyList<(Session Session, int Count)> sessions)
    {
        if (sessions.Count == 0)
        {
            return Reply.Plain(audience.IsByAttendance()
                ? Pick("还没有已经开始的场次可选。", "No session has started yet.")
                : Pick("没有可选的场次。", "There are no sessions to choose from."));
        }

        var question = audience switch
        {
            Audience.Waitlisted => Pick("发给哪一场的候补名单？", "The waitlist of which session?"),
            Audience.Attended => Pick("发给哪一场来了的人？", "Those who came to which session?"),
            Audience.NoShows => Pick("发给哪一场报名了却没来的人？", "The no-shows of which session?"),
            _ => Pick("发给哪一场的已报名者？", "The confirmed members of which session?"),
        };
        return Reply.WithButtons(
            question,
            sessions.Select(s => new Button($"{s.Session.Title}（{Day(s.Session)}）· {s.Count}", CallbackData.Broadcasts.ChooseAudience(audience, s.Session.Id))));
    }

    public string AudienceName(Audience audience, string? sessionTitle) => audience switch
    {
        Audience.Confirmed => Pick($"「{sessionTitle}」的已报名者", $"confirmed members of \"{sessionTitle}\""),
        Audience.Waitlisted => Pick($"「{sessionTitle}」的候补名单", $"the waitlist of \"{sessionTitle}\""),
        Audience.Attended => Pick($"「{sessionTitle}」来了的人", $"those who came to \"{sessionTitle}\""),
        Audience.NoShows => Pick($"「{sessionTitle}」报名了却没来的人", $"the confirmed no-shows of \"{sessionTitle}\""),
        Audience.Upcoming => Pick("所有近期场次的报名者", "everyone signed up for an upcoming session"),
        _ => Pick("所有用过机器人的人", "everyone who ever started the bot"),
    };

    public Reply BroadcastEmptyAudience(string audience) => Reply.Plain(Pick(
        $"{audience}目前一个人也没有，没有可发送的对象。", $"There is nobody in {audience} right now, so there is no one to send to."));

    public Reply BroadcastAskText(string audience, int count) => Reply.Plain(Pick(
        $"将发给{audience}，共 {count} 人。\n请发送要群发的消息（可用 Telegram HTML 格式：<b>粗体</b>、<i>斜体</i>、<a href=\"https://…\">链接</a>；要显示 < 或 & 请写 &lt; &amp;）。发送 /cancel 放弃。",
        $"It goes to {audience}: {count} people.\nSend the message now (Telegram HTML allowed: <b>bold</b>, <i>italic</i>, <a href=\"https://…\">link</a>; write &lt; and &amp; for < and &). Send /cancel to give up."));

    public Reply BroadcastEmptyText() => Reply.Plain(Pick("消息是空的，什么也没发送。请重新发送消息内容，或 /cancel 放弃。", "The message is empty; nothing was sent. Send the text again, or /cancel."));

    public Reply BroadcastTooLong(int length) => Reply.Plain(Pick(
        $"消息有 {length} 个字符，超过了 Telegram 的 {TelegramHtml.MaxLength} 字上限，什么也没发送。请缩短后重新发送，或 /cancel 放弃。",
        $"The message is {length} characters, over Telegram's {TelegramHtml.MaxLength} limit; nothing was sent. Shorten it and send it again, or /cancel."));

    public Reply BroadcastBadHtml(string problem) => Reply.Plain(Pick(
        $"消息的格式有问题：{problem}\n什么也没发送。请改正后重新发送，或 /cancel 放弃。",
        $"The formatting is broken: {problem}\nNothing was sent. Fix it and send it again, or /cancel."));

    public Reply BroadcastConfirm(long broadcastId, string audience, int count) => new(
        Pick($"⬆️ 以上是预览，收件人看到的就是这样。将发给{audience}，共 {count} 人。", $"⬆️ That is the preview, exactly as recipients will see it. It goes to {audience}: {count} people."),
        [[
            new Button(Pick("立即发送", "Send now"), CallbackData.Broadcasts.Send(broadcastId, CallbackData.Broadcasts.SendNow)),
            new Button(Pick("定时发送", "Schedule"), CallbackData.Broadcasts.Send(broadcastId, CallbackData.Broadcasts.SendLater)),
            new Button(Pick("取消", "Cancel"), CallbackData.Broadcasts.Send(broadcastId, CallbackData.Broadcasts.Discard)),
        ]]);

    public Reply BroadcastAskTime() => Reply.Plain(Pick(
        "请发送发送时间（北京时间），例如 2027-03-01 20:00。发送 /cancel 放弃。",
        "Send the time to send it (Beijing time), e.g. 2027-03-01 20:00. Send /cancel to give up."));

    public Reply BroadcastBadTime(string problem) => Reply.Plain(Pick(
        $"{problem}\n请重新发送时间，例如 2027-03-01 20:00，或 /cancel 放弃。",
        $"{problem}\nSend the time again, e.g. 2027-03-01 20:00, or /cancel."));

    public Reply BroadcastScheduled(long broadcastId, DateTimeOffset at, int count) => Reply.WithButtons(
        Pick($"🕗 群发 #{broadcastId} 已定时：{TimeFormat.Format(at, zone, language)} 发给 {count} 人。", $"🕗 Broadcast #{broadcastId} scheduled for {TimeFormat.Format(at, zone, language)} to {count} people."),
        [new Button(Pick("取消这次群发", "Cancel this broadcast"), CallbackData.Broadcasts.Stop(broadcastId))]);

    public Reply BroadcastDiscarded() => Reply.Plain(Pick("已取消这次群发，什么也没发送。", "Broadcast dropped; nothing was sent."));

    public string BroadcastNoLongerDraft() => Pick("这次群发已经处理过了。", "This broadcast has already been handled.");

    public Reply BroadcastProgress(long broadcastId, int done, int total, double perSecond)
    {
        var left = perSecond > 0 ? TimeSpan.FromSeconds((total - done) / perSecond) : (TimeSpan?)null;
        var leftText = left is { } l ? Clock(l) : "—";
        return Reply.WithButtons(
            Pick(
                $"📣 群发 #{broadcastId} 发送中：已发送 {done} / {total}\n速度 {perSecond:0.#} 条/秒 · 预计还需 {leftText}",
                $"📣 Broadcast #{broadcastId} sending: {done} / {total} sent\n{perSecond:0.#} per second · about {leftText} left"),
            [new Button(Pick("⏹ 停止发送", "⏹ Stop"), CallbackData.Broadcasts.Stop(broadcastId))]);
    }

    public Reply BroadcastReport(long broadcastId, int sent, int blocked, int failed, int unknown, int notSent, bool isStopped)
    {
        var text = new StringBuilder(isStopped
            ? Pick($"⏹ 群发 #{broadcastId} 已停止。", $"⏹ Broadcast #{broadcastId} stopped.")
            : Pick($"✅ 群发 #{broadcastId} 已完成。", $"✅ Broadcast #{broadcastId} finished."));
        text.Append('\n').Append(Pick(
            $"送达 {sent} · 已屏蔽机器人 {blocked} · 失败 {failed} · 结果未知 {unknown}",
            $"delivered {sent} · blocked {blocked} · failed {failed} · unknown {unknown}"));
        if (notSent > 0)
        {
            text.Append(Pick($" · 未发送 {notSent}", $" · not sent {notSent}"));
        }

        var unreached = blocked + failed + unknown + notSent;
        return unreached == 0
            ? Reply.Plain(text.ToString())
            : Reply.WithButtons(text.ToString(), [new Button(Pick($"📋 未送达名单（{unreached} 人）", $"📋 People not reached ({unreached})"), CallbackData.Broadcasts.NotReached(broadcastId))]);
    }

    public Reply BroadcastSending(long broadcastId, int count) => BroadcastProgress(broadcastId, 0, count, 0);

    public Reply BroadcastStopped(long broadcastId) => Reply.Plain(Pick(
        $"已停止群发 #{broadcastId}：还没发出的不会再发送。", $"Broadcast #{broadcastId} stopped: nothing more goes out."));

    public Reply BroadcastNotStoppable(long broadcastId) => Reply.Plain(Pick(
        $"群发 #{broadcastId} 已经结束或取消，无需停止。", $"Broadcast #{broadcastId} has already finished or was cancelled."));

    public string NotReachedCaption(long broadcastId, int count) => Pick(
        $"群发 #{broadcastId} 未送达的 {count} 人", $"Broadcast #{broadcastId}: {count} people not reached");

    public Reply EveryoneReached(long broadcastId) => Reply.Plain(Pick(
        $"群发 #{broadcastId} 的收件人都已送达。", $"Everyone was reached by broadcast #{broadcastId}."));

    public Reply BroadcastList(IReadOnlyList<BroadcastSummary> broadcasts)
    {
        if (broadcasts.Count == 0)
        {
            return Reply.Plain(Pick("还没有群发过。用 /broadcast 开始。", "No broadcasts yet. Start one with /broadcast."));
        }

        var text = new StringBuilder(Pick("📣 最近的群发：", "📣 Recent broadcasts:")).Append('\n');
        foreach (var b in broadcasts)
        {
            var when = b.ScheduledAt is { } at && b.State == BroadcastState.Scheduled
                ? Pick($"定时 {TimeFormat.Format(at, zone, language)}", $"scheduled {TimeFormat.Format(at, zone, language)}")
                : TimeFormat.Format(b.CreatedAt, zone, language);
            text.Append(CultureInfo.InvariantCulture, $"#{b.Id} · {StateName(b.State)} · {when}\n  {AudienceName(b.Audience, b.SessionTitle)}：{Clip(b.Preview)}\n  ")
                .Append(Pick(
                    $"送达 {b.Sent} / {b.Total} · 屏蔽 {b.Blocked} · 失败 {b.Failed} · 未知 {b.Unknown}",
                    $"delivered {b.Sent} / {b.Total} · blocked {b.Blocked} · failed {b.Failed} · unknown {b.Unknown}"))
                .Append('\n');
        }

        return Reply.WithButtons(text.ToString().TrimEnd(), broadcasts.Where(b => b.CanStop).Select(b =>
            new Button(Pick($"⏹ 取消 #{b.Id}", $"⏹ Cancel #{b.Id}"), CallbackData.Broadcasts.Stop(b.Id))));
    }

    // ── Who sees what ──────────────────────────────────────────────────────────────────────────

    /// <summary>The not-reached list names people: only the broadcast's author and admins may have it.</summary>
    public Reply NotReachedNotYours(long broadcastId) => Reply.Plain(Pick(
        $"群发 #{broadcastId} 的未送达名单只有这次群发的发起人或管理员可以查看。",
        $"Only the author of broadcast #{broadcastId} or an admin can see who it did not reach."));

    private string StateName(BroadcastState state) => state switch
    {
        BroadcastState.Draft => Pick("草稿", "draft"),
        BroadcastState.Scheduled => Pick("已定时", "scheduled"),
        BroadcastState.Sending => Pick("发送中", "sending"),
        BroadcastState.Done => Pick("已完成", "done"),
        _ => Pick("已取消", "cancelled"),
    };

    private static string Clock(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");

    /// <summary>A send button of a draft whose preview Telegram refused: the draft was never kept, so it cannot go out.</summary>
    public Reply BroadcastPreviewRefused(long broadcastId) => Reply.Plain(Pick(
        $"Telegram 拒绝显示群发 #{broadcastId} 的预览（多半是格式不被接受），所以它没有保存，也不能发送。请改正后用 /broadcast 重新开始。",
        $"Telegram refused to show the preview of broadcast #{broadcastId} (most likely its formatting), so it was not kept and cannot be sent. Fix it and start again with /broadcast."));
}
