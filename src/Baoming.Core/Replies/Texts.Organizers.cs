using System.Globalization;
using System.Text;
using Baoming.Core.Organizers;

namespace Baoming.Core.Replies;

/// <summary>A session with its seat counts, as organizers see it.</summary>
public sealed record SessionCounts(Session Session, int Confirmed, int Waitlisted, bool IsFromConfiguration = false);

/// <summary>One broadcast in <c>/broadcasts</c>: its state and its delivery counts.</summary>
public sealed record BroadcastSummary(
    long Id,
    Audience Audience,
    string? SessionTitle,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ScheduledAt,
    string Preview,
    int Total,
    int Sent,
    int Blocked,
    int Failed,
    int Unknown)
{
    public bool CanStop => State is "scheduled" or "sending";
}

public sealed partial class Texts
{
    // ── Sessions (organizers) ──────────────────────────────────────────────────────────────────

    public Reply SessionsOverview(IReadOnlyList<SessionCounts> upcoming, IReadOnlyList<SessionCounts> recent)
    {
        var text = new StringBuilder();
        if (upcoming.Count == 0 && recent.Count == 0)
        {
            return Reply.Plain(Pick("还没有任何场次。用 /newsession 创建一场。", "No sessions yet. Create one with /newsession."));
        }

        text.Append(Pick("📋 即将开始的场次：", "📋 Upcoming sessions:")).Append('\n');
        if (upcoming.Count == 0)
        {
            text.Append(Pick("（无）", "(none)")).Append('\n');
        }

        AppendCounts(text, upcoming);
        if (recent.Count > 0)
        {
            text.Append('\n').Append(Pick("🕘 最近结束或取消的场次：", "🕘 Recent and cancelled sessions:")).Append('\n');
            AppendCounts(text, recent);
        }

        text.Append('\n').Append(Pick(
            "命令：/newsession 新建 · /editsession 修改 · /cancelsession 取消 · /broadcast 群发",
            "Commands: /newsession · /editsession · /cancelsession · /broadcast"));
        return Reply.Plain(text.ToString());
    }

    private void AppendCounts(StringBuilder text, IReadOnlyList<SessionCounts> sessions)
    {
        foreach (var s in sessions)
        {
            var capacity = s.Session.Capacity == 0 ? Pick("不限", "unlimited") : s.Session.Capacity.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"· {s.Session.Key} — {s.Session.Title}\n  {When(s.Session)}\n  ")
                .Append(Pick(
                    $"已报名 {s.Confirmed} / 名额 {capacity} · 候补 {s.Waitlisted}",
                    $"confirmed {s.Confirmed} / capacity {capacity} · waitlisted {s.Waitlisted}"));
            if (s.Session.IsCancelled)
            {
                text.Append(Pick(" · ❌ 已取消", " · ❌ cancelled"));
            }

            text.Append('\n');
        }
    }

    public Reply NewSessionUsage(string? problem = null) => Reply.Plain(Prefix(problem) + Pick(
        "用法：/newsession KEY 日期 时间 时长(分钟) 名额 标题\n例如：/newsession ev 2027-03-03 19:30 90 100 电动车的下一个十年\n时间为北京时间；名额 0 表示不限；KEY 只能用字母、数字、_ 和 -。",
        "Usage: /newsession KEY DATE TIME MINUTES CAPACITY TITLE\ne.g. /newsession ev 2027-03-03 19:30 90 100 The next decade of EVs\nTimes are Beijing time; capacity 0 means unlimited; KEY is letters, digits, _ and -."));

    public Reply EditSessionUsage(string? problem = null) => Reply.Plain(Prefix(problem) + Pick(
        "用法：/editsession KEY 字段 新值\n字段：title 标题 · time 2027-03-03 19:30 · capacity 名额 · link 入会链接（- 清除）· aliases 别名1,别名2（- 清除）",
        "Usage: /editsession KEY FIELD VALUE\nfields: title TEXT · time 2027-03-03 19:30 · capacity N · link URL (- to clear) · aliases a,b (- to clear)"));

    public Reply CancelSessionUsage(string? problem = null) => Reply.Plain(Prefix(problem) + Pick(
        "用法：/cancelsession KEY", "Usage: /cancelsession KEY"));

    /// <summary>Why an organizer's input was refused, in one sentence that names the offending piece.</summary>
    public string InputProblem(InputError error, string? detail) => error switch
    {
        InputError.BadKey => Pick($"KEY「{Clip(detail ?? "")}」无效：只能用 1–64 个字母、数字、_ 或 -。", $"The key \"{Clip(detail ?? "")}\" is invalid: use 1–64 letters, digits, _ or -."),
        InputError.BadDate => Pick($"日期「{Clip(detail ?? "")}」看不懂，请写成 2027-03-03 这样。", $"Can't read the date \"{Clip(detail ?? "")}\"; write it like 2027-03-03."),
        InputError.BadTime => Pick($"时间「{Clip(detail ?? "")}」看不懂，请写成 19:30 这样（北京时间，24 小时制）。", $"Can't read the time \"{Clip(detail ?? "")}\"; write it like 19:30 (Beijing time, 24-hour)."),
        InputError.InThePast => Pick($"{detail}（北京时间）已经过去了，请给一个将来的时间。", $"{detail} (Beijing time) is in the past; give a time in the future."),
        InputError.BadMinutes => Pick($"时长「{Clip(detail ?? "")}」无效：请写 1–1440 之间的分钟数。", $"The duration \"{Clip(detail ?? "")}\" is invalid: minutes between 1 and 1440."),
        InputError.BadCapacity => Pick($"名额「{Clip(detail ?? "")}」无效：请写 0 或正整数（0 表示不限）。", $"The capacity \"{Clip(detail ?? "")}\" is invalid: 0 (unlimited) or a positive number."),
        InputError.MissingTitle => Pick("缺少标题。", "The title is missing."),
        InputError.BadLink => Pick($"链接「{Clip(detail ?? "")}」无效：请给 https:// 开头的完整链接，或 - 清除。", $"The link \"{Clip(detail ?? "")}\" is invalid: give a full https:// link, or - to clear it."),
        InputError.UnknownField => Pick($"不认识的字段「{Clip(detail ?? "")}」。", $"Unknown field \"{Clip(detail ?? "")}\"."),
        _ => LimitProblem(error, detail),
    };

    public Reply DuplicateKey(string key) => Reply.Plain(Pick(
        $"KEY「{key}」已经被另一场使用了，请换一个。发送 /sessions 查看现有场次。",
        $"The key \"{key}\" is already taken; choose another. Send /sessions to see the existing ones."));

    public Reply UnknownSessionKey(string key) => Reply.Plain(Pick(
        $"没有 KEY 为「{Clip(key)}」的场次。发送 /sessions 查看现有场次。",
        $"No session has the key \"{Clip(key)}\". Send /sessions to see them."));

    public Reply SessionCreated(Session session) => Reply.Plain(Pick(
        $"✅ 已创建场次「{session.Title}」\nKEY：{session.Key}\n时间：{When(session)}\n时长：{session.DurationMinutes} 分钟 · 名额：{CapacityText(session)}\n提醒已按默认时间安排。报名链接：/start {session.Key}",
        $"✅ Created \"{session.Title}\"\nkey: {session.Key}\ntime: {When(session)}\n{session.DurationMinutes} minutes · capacity {CapacityText(session)}\nReminders are scheduled. Deep link payload: {session.Key}"));

    public Reply SessionEdited(Session session, string field, int promoted, bool isFromConfiguration)
    {
        var text = new StringBuilder(Pick($"✅ 已更新「{session.Title}」的 {field}。", $"✅ Updated {field} of \"{session.Title}\"."));
        text.Append('\n').Append(Pick("时间：", "Time: ")).Append(When(session))
            .Append(Pick($" · 名额：{CapacityText(session)}", $" · capacity {CapacityText(session)}"));
        if (field == "time")
        {
            text.Append('\n').Append(Pick("提醒已按新时间重新安排，报名者会收到一次变更通知。", "Reminders follow the new time; registrants get one notice of the change."));
        }

        if (promoted > 0)
        {
            text.Append('\n').Append(Pick($"已从候补名单递补 {promoted} 人，并通知了他们。", $"{promoted} promoted from the waitlist and told."));
        }

        if (isFromConfiguration)
        {
            text.Append('\n').Append(Pick(
                "注意：这一场来自配置文件，配置里的值在下次启动时会覆盖这次修改。",
                "Note: this session comes from the configuration; its values there replace this change at the next start."));
        }

        return Reply.Plain(text.ToString());
    }

    public Reply PromotedByMoreSeats(Session session) => Reply.Plain(Pick(
        $"🎉 好消息！「{session.Title}」增加了名额，你已从候补转为正式报名（{When(session)}）。",
        $"🎉 Good news! \"{session.Title}\" has more seats: you're now confirmed ({When(session)})."));

    public Reply SessionIsCancelled(Session session) => Reply.Plain(Pick(
        $"「{session.Title}」已经取消了，不能再修改。", $"\"{session.Title}\" is cancelled and can't be edited."));

    public Reply ConfirmCancelSession(SessionCounts session) => new(
        Pick(
            $"确定要取消「{session.Session.Title}」（{When(session.Session)}）吗？\n已报名 {session.Confirmed} 人、候补 {session.Waitlisted} 人都会收到取消通知，提醒不再发送。",
            $"Cancel \"{session.Session.Title}\" ({When(session.Session)})?\nAll {session.Confirmed} confirmed and {session.Waitlisted} waitlisted members are told, and no reminders go out."),
        [[
            new Button(Pick("❌ 确认取消这一场", "❌ Yes, cancel it"), OrganizerButtons.ConfirmCancelSession(session.Session.Id)),
            new Button(Pick("不取消", "Keep it"), OrganizerButtons.KeepSession()),
        ]]);

    public Reply SessionCancelledByOrganizer(Session session) => Reply.Plain(Pick(
        $"已取消「{session.Title}」。报名者会收到取消通知，提醒已撤销。",
        $"\"{session.Title}\" is cancelled. Registrants are being told; reminders are withdrawn."));

    public Reply SessionAlreadyCancelled(Session session) => Reply.Plain(Pick(
        $"「{session.Title}」之前已经取消了。", $"\"{session.Title}\" was already cancelled."));

    public string SessionKept() => Pick("好的，不取消。", "OK, nothing cancelled.");

    // ── Broadcasts (organizers) ────────────────────────────────────────────────────────────────

    public Reply BroadcastChooseAudience(int upcoming, int everyone) => new(
        Pick("📣 群发给谁？", "📣 Who should the broadcast go to?"),
        [
            [new Button(Pick("某一场的已报名者", "One session's confirmed members"), OrganizerButtons.ChooseAudience(Audience.Confirmed))],
            [new Button(Pick("某一场的候补名单", "One session's waitlist"), OrganizerButtons.ChooseAudience(Audience.Waitlisted))],
            [new Button(Pick($"所有近期场次的报名者（{upcoming} 人）", $"Everyone signed up for an upcoming session ({upcoming})"), OrganizerButtons.ChooseAudience(Audience.Upcoming))],
            [new Button(Pick($"所有用过机器人的人（{everyone} 人）", $"Everyone who ever started the bot ({everyone})"), OrganizerButtons.ChooseAudience(Audience.Everyone))],
        ]);

    public Reply BroadcastChooseSession(Audience audience, IReadOnlyList<SessionCounts> sessions)
    {
        if (sessions.Count == 0)
        {
            return Reply.Plain(Pick("没有可选的场次。", "There are no sessions to choose from."));
        }

        var isWaitlist = audience == Audience.Waitlisted;
        return Reply.WithButtons(
            Pick(isWaitlist ? "发给哪一场的候补名单？" : "发给哪一场的已报名者？", isWaitlist ? "The waitlist of which session?" : "The confirmed members of which session?"),
            sessions.Select(s => new Button(
                $"{s.Session.Title}（{Day(s.Session)}）· {(isWaitlist ? s.Waitlisted : s.Confirmed)}",
                OrganizerButtons.ChooseAudience(audience, s.Session.Id))));
    }

    public string AudienceName(Audience audience, string? sessionTitle) => audience switch
    {
        Audience.Confirmed => Pick($"「{sessionTitle}」的已报名者", $"confirmed members of \"{sessionTitle}\""),
        Audience.Waitlisted => Pick($"「{sessionTitle}」的候补名单", $"the waitlist of \"{sessionTitle}\""),
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

    public Reply DialogueAbandoned() => Reply.Plain(Pick("已放弃，什么也没发送。", "Dropped; nothing was sent."));

    public Reply BroadcastConfirm(long broadcastId, string audience, int count) => new(
        Pick($"⬆️ 以上是预览，收件人看到的就是这样。将发给{audience}，共 {count} 人。", $"⬆️ That is the preview, exactly as recipients will see it. It goes to {audience}: {count} people."),
        [[
            new Button(Pick("立即发送", "Send now"), OrganizerButtons.Send(broadcastId, OrganizerButtons.SendNow)),
            new Button(Pick("定时发送", "Schedule"), OrganizerButtons.Send(broadcastId, OrganizerButtons.SendLater)),
            new Button(Pick("取消", "Cancel"), OrganizerButtons.Send(broadcastId, OrganizerButtons.Discard)),
        ]]);

    public Reply BroadcastAskTime() => Reply.Plain(Pick(
        "请发送发送时间（北京时间），例如 2027-03-01 20:00。发送 /cancel 放弃。",
        "Send the time to send it (Beijing time), e.g. 2027-03-01 20:00. Send /cancel to give up."));

    public Reply BroadcastBadTime(string problem) => Reply.Plain(Pick(
        $"{problem}\n请重新发送时间，例如 2027-03-01 20:00，或 /cancel 放弃。",
        $"{problem}\nSend the time again, e.g. 2027-03-01 20:00, or /cancel."));

    public Reply BroadcastScheduled(long broadcastId, DateTimeOffset at, int count) => Reply.WithButtons(
        Pick($"🕗 群发 #{broadcastId} 已定时：{TimeFormat.Format(at, zone, language)} 发给 {count} 人。", $"🕗 Broadcast #{broadcastId} scheduled for {TimeFormat.Format(at, zone, language)} to {count} people."),
        [new Button(Pick("取消这次群发", "Cancel this broadcast"), OrganizerButtons.Stop(broadcastId))]);

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
            [new Button(Pick("⏹ 停止发送", "⏹ Stop"), OrganizerButtons.Stop(broadcastId))]);
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
            : Reply.WithButtons(text.ToString(), [new Button(Pick($"📋 未送达名单（{unreached} 人）", $"📋 People not reached ({unreached})"), OrganizerButtons.NotReached(broadcastId))]);
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
            var when = b.ScheduledAt is { } at && b.State == "scheduled"
                ? Pick($"定时 {TimeFormat.Format(at, zone, language)}", $"scheduled {TimeFormat.Format(at, zone, language)}")
                : TimeFormat.Format(b.CreatedAt, zone, language);
            text.Append(CultureInfo.InvariantCulture, $"#{b.Id} · {StateName(b.State)} · {when}\n  {AudienceName(b.Audience, b.SessionTitle)}：{Clip(b.Preview)}\n  ")
                .Append(Pick(
                    $"送达 {b.Sent} / {b.Total} · 屏蔽 {b.Blocked} · 失败 {b.Failed} · 未知 {b.Unknown}",
                    $"delivered {b.Sent} / {b.Total} · blocked {b.Blocked} · failed {b.Failed} · unknown {b.Unknown}"))
                .Append('\n');
        }

        return Reply.WithButtons(text.ToString().TrimEnd(), broadcasts.Where(b => b.CanStop).Select(b =>
            new Button(Pick($"⏹ 取消 #{b.Id}", $"⏹ Cancel #{b.Id}"), OrganizerButtons.Stop(b.Id))));
    }

    private string StateName(string state) => state switch
    {
        "draft" => Pick("草稿", "draft"),
        "scheduled" => Pick("已定时", "scheduled"),
        "sending" => Pick("发送中", "sending"),
        "done" => Pick("已完成", "done"),
        _ => Pick("已取消", "cancelled"),
    };

    private string CapacityText(Session session) =>
        session.Capacity == 0 ? Pick("不限", "unlimited") : session.Capacity.ToString(CultureInfo.InvariantCulture);

    private static string Clock(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");

    private static string Prefix(string? problem) => problem is { Length: > 0 } ? problem + "\n\n" : "";

    // ── Job dashboard ──────────────────────────────────────────────────────────────────────────

    /// <summary>The login link for the job dashboard: personal, so it is said not to be shared.</summary>
    public Reply DashboardLink(string link, int minutes, bool canChange) => Reply.Plain(Pick(
        $"任务面板登录链接（{minutes} 分钟内有效，仅限本人使用，请勿转发）：\n{link}\n\n" +
            (canChange ? "你是管理员，可以在面板里重试或删除任务。" : "你是组织者，面板对你是只读的。"),
        $"Your login link for the job dashboard (valid for {minutes} minutes; it is yours alone, don't forward it):\n{link}\n\n" +
            (canChange ? "As an admin you can retry or delete jobs there." : "As an organizer you have read-only access.")));

    // ── Who sees what ──────────────────────────────────────────────────────────────────────────

    /// <summary>The not-reached list names people: only the broadcast's author and admins may have it.</summary>
    public Reply NotReachedNotYours(long broadcastId) => Reply.Plain(Pick(
        $"群发 #{broadcastId} 的未送达名单只有这次群发的发起人或管理员可以查看。",
        $"Only the author of broadcast #{broadcastId} or an admin can see who it did not reach."));
}
