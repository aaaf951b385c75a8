using System.Globalization;
using System.Text;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

/// <summary>A member's sign-up of one session, as listed in 我的报名.</summary>
public sealed record MemberSignup(Session Session, RegistrationStatus Status, int? WaitlistPosition);

/// <summary>
/// Every sentence the bot says to a member, zh-CN first and English for members whose Telegram
/// language is English. Pure: the same inputs always give the same text.
/// </summary>
public sealed class Texts(Language language, TimeZoneInfo zone)
{
    private bool IsEnglish => language == Language.English;

    public Language Language => language;

    public string When(Session session) => TimeFormat.Format(session.StartsAt, zone, language);

    private string Day(Session session) => TimeFormat.FormatDate(session.StartsAt, zone, language);

    private string Pick(string zh, string en) => IsEnglish ? en : zh;

    public Reply SessionList(IReadOnlyList<Session> open, string? note = null)
    {
        var text = new StringBuilder();
        if (note is not null)
        {
            text.Append(note).Append("\n\n");
        }

        if (open.Count == 0)
        {
            text.Append(Pick("目前没有开放报名的场次，敬请关注。", "There are no sessions open for sign-up right now. Stay tuned!"));
            return Reply.Plain(text.ToString());
        }

        text.Append(Pick("近期可以报名的选题会：", "Upcoming sessions open for sign-up:")).Append('\n');
        AppendNumbered(text, open, s => When(s));
        text.Append('\n').Append(Pick(
            "点下面的按钮报名，或直接发送「报名 元宇宙」「报名 2月17日」这样的消息。",
            "Tap a button to sign up, or send e.g. \"sign up metaverse\"."));
        return Reply.WithButtons(text.ToString(), open.Select(SignUpButton));
    }

    public Reply NoMatch(string query, IReadOnlyList<Session> open) =>
        SessionList(open, Pick($"没有找到和「{Clip(query)}」对应的场次。", $"No session matches \"{Clip(query)}\"."));

    public Reply Ambiguous(string query, IReadOnlyList<Session> matches)
    {
        var text = new StringBuilder(Pick($"「{Clip(query)}」对应多个场次，请选择要报名的一场：", $"\"{Clip(query)}\" matches several sessions; which one?"))
            .Append('\n');
        AppendNumbered(text, matches, s => When(s));
        return Reply.WithButtons(text.ToString().TrimEnd(), matches.Select(SignUpButton));
    }

    public Button SignUpButton(Session session) =>
        new(Pick($"报名：{session.Title}（{Day(session)}）", $"Sign up: {session.Title} ({Day(session)})"), CallbackData.SignUp(session.Id));

    public Reply Confirmed(Session session, bool includeJoinUrl)
    {
        var text = new StringBuilder(Pick("✅ 报名成功！", "✅ You're signed up!")).Append('\n')
            .Append('「').Append(session.Title).Append("」\n")
            .Append(Pick("时间：", "Time: ")).Append(When(session)).Append('\n');
        if (includeJoinUrl && !string.IsNullOrEmpty(session.JoinUrl))
        {
            text.Append(Pick("入会链接：", "Join link: ")).Append(session.JoinUrl).Append('\n');
        }

        text.Append(Pick("开始前我们会提醒你。发送「取消报名」可以取消。", "We'll remind you before it starts. Send \"cancel\" to cancel."));
        return Reply.WithButtons(text.ToString(), [CalendarButton(session)]);
    }

    public Button CalendarButton(Session session) => new(Pick("📅 加入日历", "📅 Add to calendar"), CallbackData.Calendar(session.Id));

    /// <summary>A reminder before a session: the join link only for confirmed members, never the waitlisted.</summary>
    public Reply Reminder(Session session, TimeSpan before, bool isConfirmed)
    {
        var text = new StringBuilder(Pick($"⏰ 提醒：选题会还有 {Span(before)} 开始", $"⏰ Reminder: starts in {Span(before)}")).Append('\n')
            .Append('「').Append(session.Title).Append("」\n")
            .Append(Pick("时间：", "Time: ")).Append(When(session)).Append('\n');
        if (!isConfirmed)
        {
            text.Append(Pick("你目前在候补名单中，有空位时会立刻通知你。", "You're on the waitlist; we'll tell you at once if a seat frees up."));
            return Reply.WithButtons(text.ToString().TrimEnd(), [CantComeButton(session), CalendarButton(session)]);
        }

        if (!string.IsNullOrEmpty(session.JoinUrl))
        {
            text.Append(Pick("入会链接：", "Join link: ")).Append(session.JoinUrl).Append('\n');
        }

        return new Reply(text.ToString().TrimEnd(),
        [
            [new Button(Pick("👍 我会参加", "👍 I'll be there"), CallbackData.Attend(session.Id)), CantComeButton(session)],
            [CalendarButton(session)],
        ]);
    }

    private Button CantComeButton(Session session) => new(Pick("🙅 来不了了", "🙅 Can't make it"), CallbackData.Cancel(session.Id));

    public string CalendarSent() => Pick("日历文件已发送，打开即可添加。", "Calendar file sent: open it to add the session.");

    public Reply Attending(Session session) => Reply.Plain(Pick(
        $"好的，「{session.Title}」{When(session)} 见！",
        $"Great, see you at \"{session.Title}\" on {When(session)}!"));

    public Reply Moved(Session session, DateTimeOffset previousStart) => Reply.WithButtons(
        Pick(
            $"📅 时间变更：「{session.Title}」改到 {When(session)}（原定 {TimeFormat.Format(previousStart, zone, language)}）。你的报名保留不变，提醒也会按新时间发送。",
            $"📅 Time change: \"{session.Title}\" moves to {When(session)} (was {TimeFormat.Format(previousStart, zone, language)}). Your sign-up stays; reminders follow the new time."),
        [CantComeButton(session), CalendarButton(session)]);

    public Reply SessionCancelled(Session session) => Reply.Plain(Pick(
        $"❌ 很抱歉，「{session.Title}」（{When(session)}）已取消，不会再发送提醒。",
        $"❌ Sorry, \"{session.Title}\" ({When(session)}) has been cancelled. No reminders will follow."));

    /// <summary>For organizers after a fan-out: who was reached.</summary>
    public Reply DeliveryReport(string what, int sent, int blocked, int failed, int unknown) => Reply.Plain(Pick(
        $"📊 {what}\n已送达 {sent} · 已屏蔽机器人 {blocked} · 失败 {failed} · 结果未知 {unknown}",
        $"📊 {what}\nDelivered {sent} · blocked the bot {blocked} · failed {failed} · unknown {unknown}"));

    public string ReminderReportTitle(Session session, TimeSpan before) => Pick(
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

        var minutes = Math.Max(1, (int)Math.Round(span.TotalMinutes));
        return Pick($"{minutes} 分钟", Plural(minutes, "minute"));
    }

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";

    public Reply Waitlisted(Session session, int position) => Reply.Plain(Pick(
        $"⏳「{session.Title}」名额已满，你已进入候补名单，目前排第 {position} 位。有人取消时会按顺序递补，并第一时间通知你。",
        $"⏳ \"{session.Title}\" is full. You're on the waitlist at position {position}; we'll tell you as soon as a seat frees up."));

    public Reply AlreadyConfirmed(Session session) => Reply.Plain(Pick(
        $"你已经报名了「{session.Title}」（{When(session)}），不用重复报名。",
        $"You're already signed up for \"{session.Title}\" ({When(session)})."));

    public Reply AlreadyWaitlisted(Session session, int position) => Reply.Plain(Pick(
        $"你已经在「{session.Title}」的候补名单中了，目前排第 {position} 位。",
        $"You're already on the waitlist for \"{session.Title}\" at position {position}."));

    public Reply Closed(Session session) => Reply.Plain(session.IsCancelled
        ? Pick($"「{session.Title}」已取消，不能报名了。", $"\"{session.Title}\" has been cancelled.")
        : Pick($"「{session.Title}」已经开始或结束，不能再报名了。", $"\"{session.Title}\" has already started; sign-up is closed."));

    public Reply Promoted(Session session) => Reply.Plain(Pick(
        $"🎉 好消息！有人取消了报名，你已从候补转为正式报名「{session.Title}」（{When(session)}）。",
        $"🎉 Good news! A seat freed up: you're now confirmed for \"{session.Title}\" ({When(session)})."));

    public Reply Cancelled(Session session) => Reply.Plain(Pick(
        $"已取消「{session.Title}」的报名。欢迎下次再来！",
        $"Your sign-up for \"{session.Title}\" is cancelled. Hope to see you another time!"));

    public Reply NotSignedUp(Session session) => Reply.Plain(Pick(
        $"你没有报名「{session.Title}」，无需取消。",
        $"You're not signed up for \"{session.Title}\"."));

    public Reply TooLateToCancel(Session session) => Reply.Plain(Pick(
        $"「{session.Title}」已经开始，无法再取消。",
        $"\"{session.Title}\" has already started; it can't be cancelled any more."));

    public Reply NothingToCancel() => Reply.Plain(Pick(
        "你目前没有报名任何场次，无需取消。发送「报名」查看可以报名的场次。",
        "You have no sign-ups to cancel. Send \"sign up\" to see the sessions."));

    public Reply ChooseToCancel(IReadOnlyList<Session> sessions) => Reply.WithButtons(
        Pick("你报名了多个场次，要取消哪一场？", "You're signed up for several sessions. Which one do you want to cancel?"),
        sessions.Select(s => new Button(
            Pick($"取消：{s.Title}（{Day(s)}）", $"Cancel: {s.Title} ({Day(s)})"), CallbackData.Cancel(s.Id))));

    public Reply MySignups(IReadOnlyList<MemberSignup> signups)
    {
        if (signups.Count == 0)
        {
            return Reply.Plain(Pick(
                "你目前没有报名任何场次。发送「报名」查看可以报名的场次。",
                "You haven't signed up for anything yet. Send \"sign up\" to see the sessions."));
        }

        var text = new StringBuilder(Pick("你的报名：", "Your sign-ups:")).Append('\n');
        for (var i = 0; i < signups.Count; i++)
        {
            var signup = signups[i];
            var status = signup.Status == RegistrationStatus.Waitlisted
                ? Pick($"候补第 {signup.WaitlistPosition} 位", $"waitlist #{signup.WaitlistPosition}")
                : Pick("已报名", "confirmed");
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {signup.Session.Title} — {When(signup.Session)} — {status}\n");
        }

        text.Append(Pick("发送「取消报名」可以取消。", "Send \"cancel\" to cancel one."));
        return Reply.Plain(text.ToString());
    }

    /// <summary>The card a deep link (<c>/start KEY</c>) opens onto.</summary>
    public Reply SessionCard(Session session, int confirmed)
    {
        var text = new StringBuilder('「' + session.Title + "」\n")
            .Append(Pick("时间：", "Time: ")).Append(When(session)).Append('\n');
        if (!string.IsNullOrWhiteSpace(session.Description))
        {
            text.Append(session.Description).Append('\n');
        }

        if (session.Capacity > 0)
        {
            var left = Math.Max(0, session.Capacity - confirmed);
            text.Append(left > 0
                ? Pick($"剩余名额：{left}", $"Seats left: {left}")
                : Pick("名额已满，可以报名候补。", "Full: you can join the waitlist.")).Append('\n');
        }

        return Reply.WithButtons(text.ToString().TrimEnd(), [SignUpButton(session)]);
    }

    public Reply Help() => Reply.Plain(Pick(
        "你好！我是选题会报名助手：\n" +
        "· 发送「报名」查看近期的选题会，点按钮报名\n" +
        "· 发送「报名 元宇宙」或「报名 2月17日」直接报名\n" +
        "· 发送「取消报名」取消，「我的报名」查看已报名的场次",
        "Hi! I handle sign-ups for our online sessions:\n" +
        "· send \"sign up\" to see upcoming sessions and tap one\n" +
        "· send \"sign up metaverse\" or \"sign up 2/17\" to sign up directly\n" +
        "· send \"cancel\" to cancel, \"my\" to see your sign-ups"));

    public Reply NotAllowed() => Reply.Plain(Pick(
        "这个操作只有组织者或管理员可以使用。",
        "Only organizers or admins can do that."));

    public Reply NotUnderstood() => Reply.Plain(Pick(
        "没看懂这条消息 🤔 发送「报名」查看可以报名的选题会，发送「帮助」查看全部用法。",
        "Sorry, I didn't get that 🤔 Send \"sign up\" to see the sessions, or \"help\" for everything I can do."));

    public Reply TextOnly() => Reply.Plain(Pick(
        "我只看得懂文字消息哦。发送「报名」查看可以报名的选题会。",
        "I only understand text messages. Send \"sign up\" to see the sessions."));

    public string StaleButton() => Pick("这个按钮已失效，请发送「报名」重新查看。", "This button has expired. Send \"sign up\" to see the sessions again.");

    public Reply SomethingWentWrong() => Reply.Plain(Pick(
        "抱歉，刚才出了点问题，你的消息没有处理成功，请稍后再试一次。",
        "Sorry, something went wrong and your message wasn't processed. Please try again in a moment."));

    /// <summary>"报名" in a group: nothing personal here, a button into the private chat instead.</summary>
    public Reply GoToPrivateChat(string deepLink) => Reply.WithButtons(
        Pick("报名请点下面的按钮，在私聊里完成 👇", "Please sign up in a private chat with me 👇"),
        [new Button(Pick("去私聊报名", "Sign up privately"), Url: deepLink)]);

    private static void AppendNumbered(StringBuilder text, IReadOnlyList<Session> sessions, Func<Session, string> detail)
    {
        for (var i = 0; i < sessions.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {sessions[i].Title} — {detail(sessions[i])}\n");
        }
    }

    /// <summary>Echo at most a short piece of what the member wrote: a 4096-character query is not worth repeating.</summary>
    private static string Clip(string query)
    {
        const int Max = 20;
        if (query.Length <= Max)
        {
            return query;
        }

        // Never cut an emoji in half: a lone surrogate is invalid text for Telegram.
        var length = char.IsHighSurrogate(query[Max - 1]) ? Max - 1 : Max;
        return string.Concat(query.AsSpan(0, length), "…");
    }
}
