using System.Globalization;
using System.Text;
using Baoming.Core.Organizers;
using Baoming.Core.Signup;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

/// <summary>A session with its seat counts, as organizers see it.</summary>
public sealed record SessionCounts(Session Session, int Confirmed, int Waitlisted, bool IsFromConfiguration = false);

// Sessions (organizers): /sessions, /newsession, /editsession, /cancelsession.
public sealed partial class Texts
{
    /// <param name="facts">Lines other features add under a session (show rate, feedback…), by session id.</param>
    /// <param name="now">A session whose sign-up opens after it gets a line "开放报名：…".</param>
    public Reply SessionsOverview(
        IReadOnlyList<SessionCounts> upcoming, IReadOnlyList<SessionCounts> recent, IReadOnlyDictionary<long, IReadOnlyList<string>>? facts = null, DateTimeOffset? now = null)
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

        AppendCounts(text, upcoming, facts, now);
        if (recent.Count > 0)
        {
            text.Append('\n').Append(Pick("🕘 最近结束或取消的场次：", "🕘 Recent and cancelled sessions:")).Append('\n');
            AppendCounts(text, recent, facts, now);
        }

        text.Append('\n').Append(Pick(
            "命令：/newsession 新建 · /editsession 修改 · /cancelsession 取消 · /broadcast 群发 · /link KEY 来源 报名链接和二维码\n" +
            "会后：/answers KEY 报名问题 · /attendance KEY 导入出席 · /feedback KEY 反馈 · /member @用户 成员记录\n" +
            "统计：/stats [KEY] 报名趋势图和数据（KEY 为场次或系列，不填为下一场）",
            "Commands: /newsession · /editsession · /cancelsession · /broadcast · /link KEY SOURCE\n" +
            "After: /answers KEY · /attendance KEY · /feedback KEY · /member @user\n" +
            "Stats: /stats [KEY] (a session or a series; none: the next session)"));
        return Reply.Plain(text.ToString());
    }

    private void AppendCounts(StringBuilder text, IReadOnlyList<SessionCounts> sessions, IReadOnlyDictionary<long, IReadOnlyList<string>>? facts, DateTimeOffset? now)
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
            if (now is { } at && !s.Session.IsCancelled && SignupRules.IsBeforeOpening(s.Session, at))
            {
                text.Append("  ").Append(OpensLine(s.Session.OpensAt!.Value)).Append('\n');
            }

            foreach (var line in facts?.GetValueOrDefault(s.Session.Id) ?? [])
            {
                text.Append("  ").Append(line).Append('\n');
            }
        }
    }

    public Reply NewSessionUsage(string? problem = null) => Reply.Plain(Prefix(problem) + Pick(
        "用法：/newsession KEY 日期 时间 时长(分钟) 名额 [opens=日期T时间] [series=系列KEY] 标题\n例如：/newsession ev 2027-03-03 19:30 90 100 电动车的下一个十年\n" +
        "或：/newsession ev 2027-03-03 19:30 90 100 opens=2027-02-24T10:00 series=xuantihui 电动车的下一个十年\n" +
        "时间为北京时间；名额 0 表示不限；KEY 只能用字母、数字、_ 和 -。opens= 是开放报名的时间（日期和时间之间用 T，不留空格），不写则立即开放；series= 把这一场归入一个系列。",
        "Usage: /newsession KEY DATE TIME MINUTES CAPACITY [opens=DATETTIME] [series=SERIES] TITLE\ne.g. /newsession ev 2027-03-03 19:30 90 100 The next decade of EVs\n" +
        "or: /newsession ev 2027-03-03 19:30 90 100 opens=2027-02-24T10:00 series=xuantihui The next decade of EVs\n" +
        "Times are Beijing time; capacity 0 means unlimited; KEY is letters, digits, _ and -. opens= is when sign-up opens (a T, no space, between date and time; without it sign-up opens at once); series= puts the session in a series."));

    public Reply EditSessionUsage(string? problem = null) => Reply.Plain(Prefix(problem) + Pick(
        "用法：/editsession KEY 字段 新值\n字段：title 标题 · time 2027-03-03 19:30 · capacity 名额 · link 入会链接（- 清除）· aliases 别名1,别名2（- 清除）\n· opens 2027-02-24 10:00 开放报名时间（- 立即开放）\n· questions 报名问题（- 清除）· followup_attended / followup_noshow 会后消息（HTML，- 清除）",
        "Usage: /editsession KEY FIELD VALUE\nfields: title TEXT · time 2027-03-03 19:30 · capacity N · link URL (- to clear) · aliases a,b (- to clear)\n· opens 2027-02-24 10:00 when sign-up opens (- to open it now)\n· questions QUESTIONS (- to clear) · followup_attended / followup_noshow HTML after the session (- to clear)"));

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
        InputError.BadOpens => Pick(
            $"开放报名时间「{Clip(detail ?? "")}」看不懂，请写成 2027-02-24T10:00 这样（北京时间，日期和时间之间用 T）。",
            $"Can't read the opening time \"{Clip(detail ?? "")}\"; write it like 2027-02-24T10:00 (Beijing time, a T between date and time)."),
        InputError.OpensNotBeforeStart => Pick(
            $"开放报名的时间必须早于这一场的开始时间（{detail}，北京时间）。",
            $"Sign-up must open before the session starts ({detail}, Beijing time)."),
        InputError.StartNotAfterOpens => Pick(
            $"开始时间必须晚于开放报名的时间（{detail}，北京时间）；可以先用 opens 修改开放报名的时间。",
            $"The start must be after the time sign-up opens ({detail}, Beijing time); change opens first."),
        InputError.BadSeriesKey => Pick($"系列 KEY「{Clip(detail ?? "")}」无效：只能用 1–64 个字母、数字、_ 或 -。", $"The series key \"{Clip(detail ?? "")}\" is invalid: use 1–64 letters, digits, _ or -."),
        InputError.RepeatedOption => Pick($"{detail}= 只能写一次。", $"{detail}= may be given only once."),
        _ => LimitProblem(error, detail),
    };

    public Reply DuplicateKey(string key) => Reply.Plain(Pick(
        $"KEY「{key}」已经被另一场使用了，请换一个。发送 /sessions 查看现有场次。",
        $"The key \"{key}\" is already taken; choose another. Send /sessions to see the existing ones."));

    public Reply UnknownSessionKey(string key) => Reply.Plain(Pick(
        $"没有 KEY 为「{Clip(key)}」的场次。发送 /sessions 查看现有场次。",
        $"No session has the key \"{Clip(key)}\". Send /sessions to see them."));

    /// <param name="series">The key of the series it was put in (<c>series=</c>), if any.</param>
    public Reply SessionCreated(Session session, string? series = null)
    {
        var text = new StringBuilder(Pick(
            $"✅ 已创建场次「{session.Title}」\nKEY：{session.Key}\n时间：{When(session)}\n时长：{session.DurationMinutes} 分钟 · 名额：{CapacityText(session)}\n",
            $"✅ Created \"{session.Title}\"\nkey: {session.Key}\ntime: {When(session)}\n{session.DurationMinutes} minutes · capacity {CapacityText(session)}\n"));
        if (session.OpensAt is { } opensAt)
        {
            text.Append(OpensLine(opensAt)).Append('\n');
        }

        if (series is not null)
        {
            text.Append(Pick($"系列：{series}", $"series: {series}")).Append('\n');
        }

        return Reply.Plain(text.Append(Pick(
            $"提醒已按默认时间安排。报名链接：/start {session.Key}",
            $"Reminders are scheduled. Deep link payload: {session.Key}")).ToString());
    }

    /// <summary><c>series=</c> named no series: nothing was created; the series there are, to pick from.</summary>
    public Reply UnknownSeries(string key, IReadOnlyList<string> known) => Reply.Plain(Pick(
        $"没有 KEY 为「{Clip(key)}」的系列，这一场没有创建。",
        $"No series has the key \"{Clip(key)}\"; the session was not created.") + "\n" + (known.Count == 0
        ? Pick("目前还没有任何系列。", "There are no series yet.")
        : Pick("现有系列：", "Series: ") + string.Join(", ", known)));

    /// <summary>"开放报名：1月24日 周日 10:00（北京时间）" for organizers.</summary>
    private string OpensLine(DateTimeOffset opensAt) => Pick("开放报名：", "Sign-up opens: ") + TimeFormat.Format(opensAt, zone, language);

    public Reply SessionEdited(Session session, string field, int promoted, bool isFromConfiguration)
    {
        var text = new StringBuilder(Pick($"✅ 已更新「{session.Title}」的 {field}。", $"✅ Updated {field} of \"{session.Title}\"."));
        text.Append('\n').Append(Pick("时间：", "Time: ")).Append(When(session))
            .Append(Pick($" · 名额：{CapacityText(session)}", $" · capacity {CapacityText(session)}"));
        if (field == "time")
        {
            text.Append('\n').Append(Pick("提醒已按新时间重新安排，报名者会收到一次变更通知。", "Reminders follow the new time; registrants get one notice of the change."));
        }

        if (field == "opens")
        {
            text.Append('\n').Append(session.OpensAt is { } opensAt ? OpensLine(opensAt) : Pick("现在已开放报名。", "Sign-up is open now."));
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

    public Reply SessionIsCancelled(Session session) => Reply.Plain(Pick(
        $"「{session.Title}」已经取消了，不能再修改。", $"\"{session.Title}\" is cancelled and can't be edited."));

    public Reply ConfirmCancelSession(SessionCounts session) => new(
        Pick(
            $"确定要取消「{session.Session.Title}」（{When(session.Session)}）吗？\n已报名 {session.Confirmed} 人、候补 {session.Waitlisted} 人都会收到取消通知，提醒不再发送。",
            $"Cancel \"{session.Session.Title}\" ({When(session.Session)})?\nAll {session.Confirmed} confirmed and {session.Waitlisted} waitlisted members are told, and no reminders go out."),
        [[
            new Button(Pick("❌ 确认取消这一场", "❌ Yes, cancel it"), CallbackData.Sessions.ConfirmCancel(session.Session.Id)),
            new Button(Pick("不取消", "Keep it"), CallbackData.Sessions.Keep()),
        ]]);

    public Reply SessionCancelledByOrganizer(Session session) => Reply.Plain(Pick(
        $"已取消「{session.Title}」。报名者会收到取消通知，提醒已撤销。",
        $"\"{session.Title}\" is cancelled. Registrants are being told; reminders are withdrawn."));

    public Reply SessionAlreadyCancelled(Session session) => Reply.Plain(Pick(
        $"「{session.Title}」之前已经取消了。", $"\"{session.Title}\" was already cancelled."));

    public string SessionKept() => Pick("好的，不取消。", "OK, nothing cancelled.");

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

    private string CapacityText(Session session) =>
        session.Capacity == 0 ? Pick("不限", "unlimited") : session.Capacity.ToString(CultureInfo.InvariantCulture);

    private static string Prefix(string? problem) => problem is { Length: > 0 } ? problem + "\n\n" : "";
}
