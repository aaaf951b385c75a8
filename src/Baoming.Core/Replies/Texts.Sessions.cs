using System.Globalization;
using System.Text;
using Baoming.Core.Organizers;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

/// <summary>A session with its seat counts, as organizers see it.</summary>
public sealed record SessionCounts(Session Session, int Confirmed, int Waitlisted, bool IsFromConfiguration = false);

// Sessions (organizers): /sessions, /newsession, /editsession, /cancelsession.
public sealed partial class Texts
{
    /// <param name="facts">Lines other features add under a session (show rate, feedback…), by session id.</param>
    public Reply SessionsOverview(IReadOnlyList<SessionCounts> upcoming, IReadOnlyList<SessionCounts> recent, IReadOnlyDictionary<long, IReadOnlyList<string>>? facts = null)
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

        AppendCounts(text, upcoming, facts);
        if (recent.Count > 0)
        {
            text.Append('\n').Append(Pick("🕘 最近结束或取消的场次：", "🕘 Recent and cancelled sessions:")).Append('\n');
            AppendCounts(text, recent, facts);
        }

        text.Append('\n').Append(Pick(
            "命令：/newsession 新建 · /editsession 修改 · /cancelsession 取消 · /broadcast 群发\n" +
            "会后：/answers KEY 报名问题 · /attendance KEY 导入出席 · /feedback KEY 反馈 · /member @用户 成员记录",
            "Commands: /newsession · /editsession · /cancelsession · /broadcast\n" +
            "After: /answers KEY · /attendance KEY · /feedback KEY · /member @user"));
        return Reply.Plain(text.ToString());
    }

    private void AppendCounts(StringBuilder text, IReadOnlyList<SessionCounts> sessions, IReadOnlyDictionary<long, IReadOnlyList<string>>? facts)
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
            foreach (var line in facts?.GetValueOrDefault(s.Session.Id) ?? [])
            {
                text.Append("  ").Append(line).Append('\n');
            }
        }
    }

    public Reply NewSessionUsage(string? problem = null) => Reply.Plain(Prefix(problem) + Pick(
        "用法：/newsession KEY 日期 时间 时长(分钟) 名额 标题\n例如：/newsession ev 2027-03-03 19:30 90 100 电动车的下一个十年\n时间为北京时间；名额 0 表示不限；KEY 只能用字母、数字、_ 和 -。",
        "Usage: /newsession KEY DATE TIME MINUTES CAPACITY TITLE\ne.g. /newsession ev 2027-03-03 19:30 90 100 The next decade of EVs\nTimes are Beijing time; capacity 0 means unlimited; KEY is letters, digits, _ and -."));

    public Reply EditSessionUsage(string? problem = null) => Reply.Plain(Prefix(problem) + Pick(
        "用法：/editsession KEY 字段 新值\n字段：title 标题 · time 2027-03-03 19:30 · capacity 名额 · link 入会链接（- 清除）· aliases 别名1,别名2（- 清除）\n· questions 报名问题（- 清除）· followup_attended / followup_noshow 会后消息（HTML，- 清除）",
        "Usage: /editsession KEY FIELD VALUE\nfields: title TEXT · time 2027-03-03 19:30 · capacity N · link URL (- to clear) · aliases a,b (- to clear)\n· questions QUESTIONS (- to clear) · followup_attended / followup_noshow HTML after the session (- to clear)"));

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
