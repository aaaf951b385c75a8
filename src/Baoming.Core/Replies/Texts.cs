using System.Globalization;
using System.Text;
using Baoming.Core.Export;
using Baoming.Core.Organizers;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

/// <summary>A member's sign-up of one session, as listed in 我的报名.</summary>
public sealed record MemberSignup(Session Session, RegistrationStatus Status, int? WaitlistPosition);

/// <summary>
/// Every sentence the bot says to a member, zh-CN first and English for members whose Telegram
/// language is English. Pure: the same inputs always give the same text.
/// </summary>
public sealed partial class Texts(Language language, TimeZoneInfo zone)
{
    private bool IsEnglish => language == Language.English;

    public Language Language => language;

    public string When(Session session) => TimeFormat.Format(session.StartsAt, zone, language);

    private string Day(Session session) => TimeFormat.FormatDate(session.StartsAt, zone, language);

    private string Pick(string zh, string en) => IsEnglish ? en : zh;

    /// <summary>
    /// The open sessions, soonest first, a page at a time: Telegram refuses a keyboard that is too large,
    /// so twenty sessions show eight buttons and 更多场次 for the next page. A forged page shows the last one.
    /// </summary>
    public Reply SessionList(IReadOnlyList<Session> open, string? note = null, int page = 0)
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
        AppendNumbered(text, shown, s => When(s), first: page * SessionPageSize + 1);
        text.Append('\n').Append(Pick(
            "点下面的按钮报名，或直接发送「报名 元宇宙」「报名 2月17日」这样的消息。",
            "Tap a button to sign up, or send e.g. \"sign up metaverse\"."));
        var buttons = shown.Select(SignUpButton).ToList();
        if (page < pages - 1)
        {
            buttons.Add(new Button(Pick($"更多场次（{page + 2}/{pages}）", $"More sessions ({page + 2}/{pages})"), CallbackData.SessionPage(page + 1)));
        }

        return Reply.WithButtons(text.ToString(), buttons);
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

    /// <summary>A question that names one session ("元宇宙那场怎么报名？"): say what was understood and offer its button, never guess.</summary>
    public Reply OfferSignUp(Session session) => Reply.WithButtons(
        Pick($"要报名「{session.Title}」（{When(session)}）吗？点下面的按钮即可报名。", $"Sign up for \"{session.Title}\" ({When(session)})? Tap the button to sign up."),
        [SignUpButton(session)]);

    public Button SignUpButton(Session session) => TitledButton(Pick("报名：", "Sign up: "), session, CallbackData.SignUp(session.Id));

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

        if (span.Ticks % TimeSpan.TicksPerMinute != 0 && span < TimeSpan.FromMinutes(10))
        {
            var seconds = Math.Max(1, (int)span.TotalSeconds);
            return Pick($"{seconds} 秒", Plural(seconds, "second"));
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

    /// <summary>A question about cancelling one session ("元宇宙能取消吗？"): nothing is cancelled until the button is pressed.</summary>
    public Reply OfferCancel(Session session) => Reply.WithButtons(
        Pick($"要取消「{session.Title}」（{When(session)}）的报名吗？点下面的按钮即可取消。", $"Cancel your sign-up for \"{session.Title}\" ({When(session)})? Tap the button to cancel."),
        [TitledButton(Pick("取消：", "Cancel: "), session, CallbackData.Cancel(session.Id))]);

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

    /// <summary>A member sending many messages a second: said once, then their messages wait a minute.</summary>
    public Reply SlowDown() => Reply.Plain(Pick(
        "你发消息太快了，我先歇一分钟。之前发的消息已经收到，一分钟后再发就好。",
        "You're sending messages too fast, so I'll pause for a minute. What you sent before has been received; please try again in a minute."));

    public string StaleButton() => Pick("这个按钮已失效，请发送「报名」重新查看。", "This button has expired. Send \"sign up\" to see the sessions again.");

    public Reply SomethingWentWrong() => Reply.Plain(Pick(
        "抱歉，刚才出了点问题，你的消息没有处理成功，请稍后再试一次。",
        "Sorry, something went wrong and your message wasn't processed. Please try again in a moment."));

    /// <summary>"报名" in a group: nothing personal here, a button into the private chat instead.</summary>
    public Reply GoToPrivateChat(string deepLink) => Reply.WithButtons(
        Pick("报名请点下面的按钮，在私聊里完成 👇", "Please sign up in a private chat with me 👇"),
        [new Button(Pick("去私聊报名", "Sign up privately"), Url: deepLink)]);

    // ── Exports (admins) ──────────────────────────────────────────────────────────────────────

    public Reply ExportChooseSession(IReadOnlyList<ExportChoice> choices, int more, string? note = null)
    {
        var text = new StringBuilder();
        if (note is not null)
        {
            text.Append(note).Append("\n\n");
        }

        if (choices.Count == 0)
        {
            text.Append(Pick("还没有任何场次可以导出。", "There are no sessions to export yet."));
            return Reply.Plain(text.ToString());
        }

        text.Append(Pick("导出哪一场的报名名单？", "Export the attendee list of which session?"));
        if (more > 0)
        {
            text.Append('\n').Append(Pick(
                $"（只列出最近的 {choices.Count} 场；更早的场次请发送「/export 场次key」。）",
                $"(Showing the latest {choices.Count}; for older ones send \"/export KEY\".)"));
        }

        return Reply.WithButtons(text.ToString(), choices.Select(c => new Button(
            Pick($"{c.Session.Title}（{Day(c.Session)}）· {c.Confirmed} 人", $"{c.Session.Title} ({Day(c.Session)}) · {c.Confirmed}"),
            ExportFiles.SessionButton(c.Session.Id))));
    }

    public Reply ExportUnknownSession(string key, IReadOnlyList<ExportChoice> choices, int more) =>
        ExportChooseSession(choices, more, Pick($"没有 key 为「{Clip(key)}」的场次。", $"No session has the key \"{Clip(key)}\"."));

    public Reply ExportChooseFormat(Session session) => Reply.WithButtons(
        Pick($"「{session.Title}」的名单导出为哪种格式？", $"Which format for \"{session.Title}\"?"),
        [
            new Button(Pick("CSV（Excel 可直接打开）", "CSV (opens in Excel)"), ExportFiles.FormatButton(session.Id, ExportFileFormat.Csv)),
            new Button(Pick("XLSX（Excel 工作簿）", "XLSX (Excel workbook)"), ExportFiles.FormatButton(session.Id, ExportFileFormat.Xlsx)),
        ]);

    /// <summary>The document's caption: Telegram allows 1024 characters, so the title is clipped.</summary>
    public string ExportCaption(Session session, ExportSummary summary)
    {
        var title = session.Title.Length > 200 ? session.Title[..200] + "…" : session.Title;
        return Pick(
            $"「{title}」报名名单（{When(session)}）\n已报名 {summary.Confirmed} 人，候补 {summary.Waitlisted} 人，已取消 {summary.Cancelled} 人，共 {summary.Total} 行。",
            $"\"{title}\" attendee list ({When(session)})\n{summary.Confirmed} confirmed, {summary.Waitlisted} waitlisted, {summary.Cancelled} cancelled; {summary.Total} rows.");
    }

    public string ExportSent() => Pick("名单已发送 📎", "List sent 📎");

    public Reply ExportTooLarge(Session session, long bytes, long limit) => Reply.Plain(Pick(
        $"「{session.Title}」的名单文件有 {Megabytes(bytes)} MB，超过了 Telegram 文件 {Megabytes(limit)} MB 的上限，无法在聊天中发送。" +
        $"请在服务器上用命令行导出：\nbaoming export --session {session.Key} --format csv --output {session.Key}.csv",
        $"The list for \"{session.Title}\" is {Megabytes(bytes)} MB, over Telegram's {Megabytes(limit)} MB limit for files, so it can't be sent in chat. " +
        $"Export it on the server from the command line:\nbaoming export --session {session.Key} --format csv --output {session.Key}.csv"));

    public Reply ExportNotSent() => Reply.Plain(Pick(
        "名单文件没能发送出去，请稍后再试，或在服务器上用命令行 baoming export 导出。",
        "The file could not be sent. Try again in a moment, or export it on the server with baoming export."));

    // ── Roles (admins) ────────────────────────────────────────────────────────────────────────

    public Reply GrantUsage() => Reply.Plain(Pick(
        "用法：/grant organizer <用户ID或@用户名>，或 /grant admin <用户ID或@用户名>",
        "Usage: /grant organizer <user id or @username>, or /grant admin <user id or @username>"));

    public Reply RevokeUsage() => Reply.Plain(Pick(
        "用法：/revoke <用户ID或@用户名>",
        "Usage: /revoke <user id or @username>"));

    public Reply WhoAmIUsage() => Reply.Plain(Pick(
        "用法：/whoami 查看自己；管理员可以用 /whoami <用户ID或@用户名> 查看别人。",
        "Usage: /whoami for yourself; admins may use /whoami <user id or @username> for someone else."));

    public Reply UnknownUsername(string username) => Reply.Plain(Pick(
        $"不认识 @{Clip(username)}：这个人还没有给机器人发过消息。请让对方先发一条消息，或直接使用对方的数字 ID。",
        $"I don't know @{Clip(username)}: they haven't written to the bot yet. Ask them to send a message first, or use their numeric id."));

    public Reply AmbiguousUsername(string username, IReadOnlyList<long> ids) => Reply.Plain(Pick(
        $"有多个成员曾使用 @{Clip(username)}（ID：{string.Join("、", ids)}），请改用数字 ID。",
        $"Several members have used @{Clip(username)} (ids {string.Join(", ", ids)}); please use the numeric id."));

    public Reply Granted(RoleCard member) => Reply.Plain(Pick(
        $"✅ 已授予 {MemberLabel(member)}「{RoleName(member.GrantedRole!)}」角色。现在的角色：{RoleName(member.Role)}。",
        $"✅ {MemberLabel(member)} is now granted {RoleName(member.GrantedRole!)}. Their role: {RoleName(member.Role)}."));

    public Reply Revoked(RoleCard member, string revokedRole) => Reply.Plain(Pick(
        $"已收回 {MemberLabel(member)} 的「{RoleName(revokedRole)}」角色。现在的角色：{RoleName(member.Role)}。",
        $"Revoked {RoleName(revokedRole)} from {MemberLabel(member)}. Their role now: {RoleName(member.Role)}."));

    public Reply NothingToRevoke(RoleCard member) => Reply.Plain(member.ConfiguredRole == "reader"
        ? Pick($"{MemberLabel(member)} 没有在聊天中被授予的角色。", $"{MemberLabel(member)} has no role granted in chat.")
        : Pick(
            $"{MemberLabel(member)} 的{RoleName(member.ConfiguredRole)}角色来自配置文件（Community:Admins / Community:Organizers），只能在配置中修改。",
            $"{MemberLabel(member)} is {RoleName(member.ConfiguredRole)} by configuration (Community:Admins / Community:Organizers); change it there."));

    public Reply WhoAmI(RoleCard member, bool isSelf)
    {
        var text = new StringBuilder(isSelf ? Pick("你的信息：", "About you:") : Pick("成员信息：", "Member:")).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"ID: {member.MemberId}\n");
        if (member.Username is { Length: > 0 } username)
        {
            text.Append(Pick("用户名：@", "Username: @")).Append(username).Append('\n');
        }

        if (member.DisplayName is { Length: > 0 } name)
        {
            text.Append(Pick("名字：", "Name: ")).Append(name).Append('\n');
        }

        text.Append(Pick("角色：", "Role: ")).Append(RoleName(member.Role));
        var sources = new List<string>();
        if (member.ConfiguredRole != "reader")
        {
            sources.Add(Pick($"配置文件：{RoleName(member.ConfiguredRole)}", $"configured: {RoleName(member.ConfiguredRole)}"));
        }

        if (member.GrantedRole is { } granted)
        {
            sources.Add(Pick($"聊天中授予：{RoleName(granted)}", $"granted in chat: {RoleName(granted)}"));
        }

        if (sources.Count > 0)
        {
            text.Append(Pick("（", " (")).Append(string.Join(Pick("；", "; "), sources)).Append(Pick("）", ")"));
        }

        return Reply.Plain(text.ToString());
    }

    /// <summary>"reader" / "organizer" / "admin" as members read it.</summary>
    public string RoleName(string role) => role switch
    {
        "admin" => Pick("管理员", "admin"),
        "organizer" => Pick("组织者", "organizer"),
        _ => Pick("普通成员", "reader"),
    };

    private string MemberLabel(RoleCard member)
    {
        var id = member.MemberId.ToString(CultureInfo.InvariantCulture);
        var name = member.Username is { Length: > 0 } username ? "@" + username : member.DisplayName;
        return string.IsNullOrEmpty(name) ? id : Pick($"{name}（{id}）", $"{name} ({id})");
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture);

    private static void AppendNumbered(StringBuilder text, IReadOnlyList<Session> sessions, Func<Session, string> detail, int first = 1)
    {
        for (var i = 0; i < sessions.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{first + i}. {sessions[i].Title} — {detail(sessions[i])}\n");
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

    /// <summary>How many sessions one 报名 list shows before 更多场次.</summary>
    public const int SessionPageSize = 8;

    /// <summary>The longest button text we write: a title is clipped to fit, the date after it is kept.</summary>
    public const int ButtonTextMax = 40;

    /// <summary>"报名：TITLE（DATE）" with the title clipped so the whole stays within <see cref="ButtonTextMax"/>.</summary>
    private Button TitledButton(string verb, Session session, string data)
    {
        var date = Pick($"（{Day(session)}）", $" ({Day(session)})");
        return new Button(verb + ClipTo(session.Title, ButtonTextMax - verb.Length - date.Length) + date, data);
    }

    /// <summary>At most <paramref name="max"/> characters, the last being "…" when cut; never half an emoji.</summary>
    private static string ClipTo(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var length = Math.Max(max - 1, 0);
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return string.Concat(text.AsSpan(0, length), "…");
    }

    /// <summary>The caps shared with the configuration (<see cref="SessionLimits"/>), for <see cref="InputProblem"/>.</summary>
    private string LimitProblem(InputError error, string? detail) => error switch
    {
        InputError.TitleTooLong => Pick(
            $"标题太长了（{detail} 个字），最多 {SessionLimits.MaxTitleLength} 个字。",
            $"The title is too long ({detail} characters); at most {SessionLimits.MaxTitleLength}."),
        InputError.AliasTooLong => Pick(
            $"别名「{Clip(detail ?? "")}」太长了，每个别名最多 {SessionLimits.MaxAliasLength} 个字。",
            $"The alias \"{Clip(detail ?? "")}\" is too long; at most {SessionLimits.MaxAliasLength} characters each."),
        InputError.TooManyAliases => Pick(
            $"别名太多了（{detail} 个），最多 {SessionLimits.MaxAliases} 个。",
            $"Too many aliases ({detail}); at most {SessionLimits.MaxAliases}."),
        _ => "",
    };
}
