using System.Globalization;
using System.Text;
using Baoming.Core.Signup;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

/// <summary>A member's sign-up of one session, as listed in 我的报名.</summary>
public sealed record MemberSignup(Session Session, RegistrationStatus Status, int? WaitlistPosition);

// Readers: the session list and cards, signing up, cancelling, 我的报名, help.
public sealed partial class Texts
{
    /// <summary>How many sessions one 报名 list shows before 更多场次.</summary>
    public const int SessionPageSize = 8;

    /// <summary>
    /// The open sessions, soonest first, a page at a time: Telegram refuses a keyboard that is too large,
    /// so twenty sessions show eight buttons and 更多场次 for the next page. A forged page shows the last one.
    /// </summary>
    /// <param name="now">
    /// Sessions whose sign-up opens after it are listed with their opening time and no button. Without it
    /// every session is taken as open (texts that list sessions for another reason).
    /// </param>
    public Reply SessionList(IReadOnlyList<Session> open, string? note = null, int page = 0, DateTimeOffset? now = null)
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

        var pages = (open.Count + SessionPageSize - 1) / SessionPageSize;
        page = Math.Clamp(page, 0, pages - 1);
        var shown = open.OrderBy(s => s.StartsAt).ThenBy(s => s.Id).Skip(page * SessionPageSize).Take(SessionPageSize).ToList();
        text.Append(Pick("近期可以报名的选题会：", "Upcoming sessions open for sign-up:")).Append('\n');
        AppendNumbered(text, shown, s => WhenAndOpening(s, now), first: page * SessionPageSize + 1);
        var signable = shown.Where(s => !WaitsForOpening(s, now)).ToList();
        text.Append('\n').Append(signable.Count > 0 || page < pages - 1
            ? Pick(
                "点下面的按钮报名，或直接发送「报名 元宇宙」「报名 2月17日」这样的消息。",
                "Tap a button to sign up, or send e.g. \"sign up metaverse\".")
            : Pick("开放报名后，发送「报名」即可报名。", "Once sign-up opens, send \"sign up\" to sign up."));
        var buttons = signable.Select(s => SignUpButton(s)).ToList();
        if (page < pages - 1)
        {
            buttons.Add(new Button(Pick($"更多场次（{page + 2}/{pages}）", $"More sessions ({page + 2}/{pages})"), CallbackData.SessionPage(page + 1)));
        }

        return Reply.WithButtons(text.ToString(), buttons);
    }

    public Reply NoMatch(string query, IReadOnlyList<Session> open, DateTimeOffset? now = null) =>
        SessionList(open, Pick($"没有找到和「{Clip(query)}」对应的场次。", $"No session matches \"{Clip(query)}\"."), now: now);

    /// <param name="now">As in <see cref="SessionList"/>: a session not open yet shows when it opens, and has no button.</param>
    public Reply Ambiguous(string query, IReadOnlyList<Session> matches, DateTimeOffset? now = null)
    {
        var text = new StringBuilder(Pick($"「{Clip(query)}」对应多个场次，请选择要报名的一场：", $"\"{Clip(query)}\" matches several sessions; which one?"))
            .Append('\n');
        AppendNumbered(text, matches, s => WhenAndOpening(s, now));
        return Reply.WithButtons(text.ToString().TrimEnd(), matches.Where(s => !WaitsForOpening(s, now)).Select(s => SignUpButton(s)));
    }

    /// <summary>"1月24日 周日 10:00（北京时间）开放报名": when a session's sign-up opens.</summary>
    public string Opening(DateTimeOffset opensAt) => Pick(
        $"{TimeFormat.Format(opensAt, zone, language)}开放报名",
        $"sign-up opens {TimeFormat.Format(opensAt, zone, language)}");

    /// <summary>
    /// 报名 (by name, by a button sent early or forged) before the session's sign-up opens: when it opens, and
    /// nothing stored. Distinct from <see cref="Closed"/>, which is for a session that started or was cancelled.
    /// </summary>
    public Reply NotYetOpen(Session session, DateTimeOffset opensAt) => Reply.Plain(Pick(
        $"「{session.Title}」（{When(session)}）还没有开放报名，将于 {TimeFormat.Format(opensAt, zone, language)}开放报名，到时再来报名吧。",
        $"Sign-up for \"{session.Title}\" ({When(session)}) isn't open yet: it opens {TimeFormat.Format(opensAt, zone, language)}. Come back then!"));

    private string WhenAndOpening(Session session, DateTimeOffset? now) =>
        WaitsForOpening(session, now) ? When(session) + " · " + Opening(session.OpensAt!.Value) : When(session);

    private static bool WaitsForOpening(Session session, DateTimeOffset? now) =>
        now is { } at && SignupRules.IsBeforeOpening(session, at);

    /// <summary>A question that names one session ("元宇宙那场怎么报名？"): say what was understood and offer its button, never guess.</summary>
    public Reply OfferSignUp(Session session) => Reply.WithButtons(
        Pick($"要报名「{session.Title}」（{When(session)}）吗？点下面的按钮即可报名。", $"Sign up for \"{session.Title}\" ({When(session)})? Tap the button to sign up."),
        [SignUpButton(session)]);

    public Button SignUpButton(Session session, string? source = null) => TitledButton(Pick("报名：", "Sign up: "), session, CallbackData.SignUp(session.Id, source));

    /// <param name="joinUrl">The member's own link when it is personal; the session's otherwise.</param>
    public Reply Confirmed(Session session, bool includeJoinUrl, string? joinUrl = null)
    {
        joinUrl ??= session.JoinUrl;
        var text = new StringBuilder(Pick("✅ 报名成功！", "✅ You're signed up!")).Append('\n')
            .Append('「').Append(session.Title).Append("」\n")
            .Append(Pick("时间：", "Time: ")).Append(When(session)).Append('\n');
        if (includeJoinUrl && !string.IsNullOrEmpty(joinUrl))
        {
            text.Append(Pick("入会链接：", "Join link: ")).Append(joinUrl).Append('\n');
        }

        text.Append(Pick("开始前我们会提醒你。发送「取消报名」可以取消。", "We'll remind you before it starts. Send \"cancel\" to cancel."));
        return Reply.WithButtons(text.ToString(), [CalendarButton(session)]);
    }

    public Button CalendarButton(Session session) => new(Pick("📅 加入日历", "📅 Add to calendar"), CallbackData.Calendar(session.Id));

    public string CalendarSent() => Pick("日历文件已发送，打开即可添加。", "Calendar file sent: open it to add the session.");

    public Reply Attending(Session session) => Reply.Plain(Pick(
        $"好的，「{session.Title}」{When(session)} 见！",
        $"Great, see you at \"{session.Title}\" on {When(session)}!"));

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

    /// <summary>A question about cancelling one session ("元宇宙能取消吗？"): nothing is cancelled until the button is pressed.</summary>
    public Reply OfferCancel(Session session) => Reply.WithButtons(
        Pick($"要取消「{session.Title}」（{When(session)}）的报名吗？点下面的按钮即可取消。", $"Cancel your sign-up for \"{session.Title}\" ({When(session)})? Tap the button to cancel."),
        [TitledButton(Pick("取消：", "Cancel: "), session, CallbackData.Cancel(session.Id))]);

    public Reply ChooseToCancel(IReadOnlyList<Session> sessions) => Reply.WithButtons(
        Pick("你报名了多个场次，要取消哪一场？", "You're signed up for several sessions. Which one do you want to cancel?"),
        sessions.Select(s => new Button(
            Pick($"取消：{s.Title}（{Day(s)}）", $"Cancel: {s.Title} ({Day(s)})"), CallbackData.Cancel(s.Id))));

    /// <summary>The member's sign-ups; <paramref name="buttons"/> are features' own (e.g. 修改回答), one per row.</summary>
    /// <param name="lines">What other features add below the list (e.g. the series the member follows), shown even with no sign-ups.</param>
    public Reply MySignups(IReadOnlyList<MemberSignup> signups, IReadOnlyList<Button>? buttons = null, IReadOnlyList<string>? lines = null)
    {
        var notes = lines is { Count: > 0 } ? "\n\n" + string.Join('\n', lines) : "";
        if (signups.Count == 0)
        {
            var none = Pick(
                "你目前没有报名任何场次。发送「报名」查看可以报名的场次。",
                "You haven't signed up for anything yet. Send \"sign up\" to see the sessions.");
            return Reply.WithButtons(none + notes, buttons ?? []);
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

        text.Append(Pick("发送「取消报名」可以取消。", "Send \"cancel\" to cancel one.")).Append(notes);
        return Reply.WithButtons(text.ToString(), buttons ?? []);
    }

    /// <summary>The card a deep link (<c>/start KEY</c>) opens onto.</summary>
    /// <param name="source">Where the deep link was posted: its sign-up button carries it, so the registration keeps it.</param>
    /// <param name="now">Before the session's sign-up opens the card says when, and has no button.</param>
    public Reply SessionCard(Session session, int confirmed, string? source = null, DateTimeOffset? now = null)
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

        if (WaitsForOpening(session, now))
        {
            // No button yet: one pressed early would only be refused. 报名 after the time, or the link again.
            var opens = TimeFormat.Format(session.OpensAt!.Value, zone, language);
            text.Append(Pick($"⏰ {opens}开放报名，到时再来报名吧。", $"⏰ Sign-up opens {opens}. Come back then!"));
            return Reply.Plain(text.ToString());
        }

        return Reply.WithButtons(text.ToString().TrimEnd(), [SignUpButton(session, source)]);
    }

    public Reply Help() => Reply.Plain(Pick(
        "你好！我是选题会报名助手：\n" +
        "· 发送「报名」查看近期的选题会，点按钮报名\n" +
        "· 发送「报名 元宇宙」或「报名 2月17日」直接报名\n" +
        "· 发送「取消报名」取消，「我的报名」查看已报名的场次\n" +
        "· 发送「留言 …」或「建议 …」把话转给组织者",
        "Hi! I handle sign-ups for our online sessions:\n" +
        "· send \"sign up\" to see upcoming sessions and tap one\n" +
        "· send \"sign up metaverse\" or \"sign up 2/17\" to sign up directly\n" +
        "· send \"cancel\" to cancel, \"my\" to see your sign-ups\n" +
        "· send \"留言\" and your message to reach the organizers"));

    /// <summary>"报名" in a group: nothing personal here, a button into the private chat instead.</summary>
    public Reply GoToPrivateChat(string deepLink) => Reply.WithButtons(
        Pick("报名请点下面的按钮，在私聊里完成 👇", "Please sign up in a private chat with me 👇"),
        [new Button(Pick("去私聊报名", "Sign up privately"), Url: deepLink)]);

    private static void AppendNumbered(StringBuilder text, IReadOnlyList<Session> sessions, Func<Session, string> detail, int first = 1)
    {
        for (var i = 0; i < sessions.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{first + i}. {sessions[i].Title} — {detail(sessions[i])}\n");
        }
    }
}
