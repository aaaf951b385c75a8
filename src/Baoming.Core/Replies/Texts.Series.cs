using System.Globalization;
using System.Text;
using Baoming.Core.Series;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

// Series (issue 18): following a series, its invitations, and the organizers' /series.
public sealed partial class Texts
{
    /// <summary>After a new sign-up of a session in a series the member does not follow: the one-tap follow.</summary>
    public Reply OfferFollow(SeriesInfo series) => Reply.WithButtons(
        Pick($"「{series.Title}」会定期举办。想在以后的场次开放报名时收到通知吗？", $"\"{series.Title}\" is held regularly. Want to hear when its next sessions open?"),
        [new Button(Pick("以后的场次也通知我", "Tell me about future sessions"), CallbackData.Series.Follow(series.Id))]);

    /// <summary>Followed (or already following: the same answer, nothing changes).</summary>
    public Reply Followed(SeriesInfo series) => Reply.Plain(Pick(
        $"好的，「{series.Title}」有新的场次开放报名时会通知你。不想再收到时，发送「退订 {series.Title}」。",
        $"Done: you'll hear when a new \"{series.Title}\" session opens. Send \"unsubscribe {series.Title}\" to stop."));

    public Reply Unfollowed(SeriesInfo series) => Reply.Plain(Pick(
        $"已退订「{series.Title}」，以后不会再收到它的新场次通知。",
        $"Unsubscribed from \"{series.Title}\": no more notices of its new sessions."));

    public Reply NotFollowing(SeriesInfo series) => Reply.Plain(Pick(
        $"你没有订阅「{series.Title}」，不需要退订。",
        $"You don't follow \"{series.Title}\"; nothing to stop."));

    /// <summary>"订阅" alone, ambiguous, or nothing matched (<paramref name="query"/> then says what was not found): every series as a button.</summary>
    public Reply ChooseSeriesToFollow(IReadOnlyList<SeriesInfo> series, string? query = null, bool isAmbiguous = false)
    {
        if (series.Count == 0)
        {
            return Reply.Plain(Pick("现在还没有可以订阅的系列。", "There is no series to follow yet."));
        }

        var text = new StringBuilder();
        if (query is not null)
        {
            text.Append(isAmbiguous
                ? Pick($"「{Clip(query)}」对应不止一个系列。", $"\"{Clip(query)}\" matches more than one series.")
                : Pick($"没有找到和「{Clip(query)}」对应的系列。", $"No series matches \"{Clip(query)}\".")).Append('\n');
        }

        text.Append(Pick("想订阅哪个系列？新场次开放报名时会通知你：", "Which series would you like to follow? You'll hear when its new sessions open:"));
        return Reply.WithButtons(text.ToString(), series.Select(s => new Button(ClipTo(Pick("订阅：", "Follow: ") + s.Title, ButtonTextMax), CallbackData.Series.Follow(s.Id))));
    }

    /// <summary>"退订" of a series: the member's follows as buttons; <paramref name="query"/> when it matched none or several.</summary>
    public Reply ChooseSeriesToUnfollow(IReadOnlyList<SeriesInfo> followed, string? query = null, bool isAmbiguous = false)
    {
        if (followed.Count == 0)
        {
            return Reply.Plain(Pick("你没有订阅任何系列。", "You don't follow any series."));
        }

        var text = new StringBuilder();
        if (query is not null)
        {
            text.Append(isAmbiguous
                ? Pick($"「{Clip(query)}」对应不止一个系列。", $"\"{Clip(query)}\" matches more than one series.")
                : Pick($"你订阅的系列里没有「{Clip(query)}」。", $"You don't follow a series matching \"{Clip(query)}\".")).Append('\n');
        }

        text.Append(Pick("要退订哪个系列？", "Which series would you like to stop following?"));
        return Reply.WithButtons(text.ToString(), followed.Select(UnfollowButton));
    }

    public Button UnfollowButton(SeriesInfo series) =>
        new(ClipTo(Pick("退订：", "Unsubscribe: ") + series.Title, ButtonTextMax), CallbackData.Series.Unfollow(series.Id));

    /// <summary>The line under 我的报名 naming what the member follows (none when nothing).</summary>
    public string FollowedSeriesLine(IReadOnlyList<SeriesInfo> followed) => Pick(
        $"你订阅的系列：{string.Join("、", followed.Select(s => s.Title))}（新场次开放报名时会通知你，点下方按钮可退订）",
        $"You follow: {string.Join(", ", followed.Select(s => s.Title))} (you'll hear of new sessions; the buttons below unsubscribe)");

    /// <summary>
    /// The invitation to a new session of a followed series: title, time, description, one tap to sign up
    /// (<paramref name="signUpData"/> carries the series as the source) and one to stop following.
    /// </summary>
    public Reply SeriesInvitation(SeriesInfo series, Session session, string signUpData)
    {
        var text = new StringBuilder(Pick($"📣「{series.Title}」新的一场开放报名了：\n", $"📣 A new \"{series.Title}\" session is open for sign-up:\n"))
            .Append('「').Append(session.Title).Append("」\n")
            .Append(Pick("时间：", "Time: ")).Append(When(session)).Append('\n');
        if (!string.IsNullOrWhiteSpace(session.Description))
        {
            text.Append('\n').Append(session.Description.Trim()).Append('\n');
        }

        text.Append('\n').Append(Pick("点「报名」即可报名。", "Tap \"Sign up\" to take a seat."));
        return Reply.WithButtons(text.ToString(), [new Button(Pick("报名", "Sign up"), signUpData), UnfollowButton(series)]);
    }

    /// <summary>The organizers' delivery report's title for an invitation.</summary>
    public string InvitationReportTitle(SeriesInfo series, Session session) => Pick(
        $"「{series.Title}」新场次邀请：「{session.Title}」（{When(session)}）",
        $"\"{series.Title}\" invitation: \"{session.Title}\" ({When(session)})");

    /// <summary>The line under a session in <c>/sessions</c> and an export's caption.</summary>
    public string SeriesFact(SeriesInfo series) => Pick($"系列：{series.Title}", $"Series: {series.Title}");

    /// <summary><c>/series</c>: each series, its followers and its sessions (upcoming first).</summary>
    public Reply SeriesOverview(IReadOnlyList<(SeriesInfo Series, int Followers, IReadOnlyList<Session> Upcoming, IReadOnlyList<Session> Past)> series)
    {
        if (series.Count == 0)
        {
            return Reply.Plain(Pick(
                "还没有系列。在配置的 Series 里添加，或发送 /newseries KEY 标题。",
                "No series yet. Add one to the Series configuration, or send /newseries KEY Title."));
        }

        var text = new StringBuilder(Pick("系列：", "Series:")).Append('\n');
        foreach (var (info, followers, upcoming, past) in series)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n• {info.Title}（{info.Key}）— ")
                .Append(Pick($"{followers} 人订阅", $"{followers} follower(s)")).Append('\n');
            if (upcoming.Count + past.Count == 0)
            {
                text.Append(Pick("  （还没有场次）", "  (no sessions yet)")).Append('\n');
            }

            foreach (var session in upcoming)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {session.Key} — {session.Title} — {When(session)}")
                    .Append(session.OpensAt is { } opens ? Pick($"（{TimeFormat.Format(opens, zone, language)} 开放报名）", $" (opens {TimeFormat.Format(opens, zone, language)})") : "")
                    .Append('\n');
            }

            foreach (var session in past)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {session.Key} — {session.Title} — {When(session)}")
                    .Append(session.IsCancelled ? Pick("（已取消）", " (cancelled)") : Pick("（已结束）", " (over)")).Append('\n');
            }
        }

        text.Append('\n').Append(Pick("设置场次的系列：/editsession KEY series 系列KEY（- 去掉）", "Set a session's series: /editsession KEY series SERIESKEY (- removes it)"));
        return Reply.Plain(text.ToString().TrimEnd());
    }

    /// <summary><c>/editsession KEY series …</c> done.</summary>
    public Reply SessionSeriesSet(Session session, SeriesInfo? series, bool isFromConfiguration) => Reply.Plain(
        (series is null
            ? Pick($"「{session.Title}」已不属于任何系列。", $"\"{session.Title}\" no longer belongs to a series.")
            : Pick($"「{session.Title}」已归入系列「{series.Title}」。它开放报名时，订阅者会收到一次邀请。", $"\"{session.Title}\" now belongs to \"{series.Title}\". Its followers are invited once when it opens."))
        + (isFromConfiguration
            ? Pick("\n注意：这场来自配置文件，下次启动时以配置为准。", "\nNote: this session comes from the configuration, which wins at the next start.")
            : ""));

    /// <summary>A series key nobody defined: the keys there are.</summary>
    public Reply UnknownSeries(string key, IReadOnlyList<SeriesInfo> series) => Reply.Plain(Pick(
        $"没有 KEY 为「{Clip(key)}」的系列。" + (series.Count == 0 ? "还没有任何系列（/newseries KEY 标题 可以新建）。" : $"现有：{string.Join("、", series.Select(s => s.Key))}"),
        $"No series has the key \"{Clip(key)}\". " + (series.Count == 0 ? "There is none yet (/newseries KEY Title makes one)." : $"There are: {string.Join(", ", series.Select(s => s.Key))}")));

    public Reply NewSeriesUsage() => Reply.Plain(Pick(
        "用法：/newseries KEY 标题（KEY 为 1–64 个字母、数字、_ 或 -）",
        "Usage: /newseries KEY Title (KEY: 1-64 of letters, digits, _ or -)"));

    public Reply SeriesCreated(SeriesInfo series, bool existed) => Reply.Plain(existed
        ? Pick($"系列「{series.Key}」已经存在：{series.Title}", $"Series \"{series.Key}\" exists already: {series.Title}")
        : Pick($"已新建系列「{series.Title}」（{series.Key}）。用 /editsession KEY series {series.Key} 把场次归入它。", $"Series \"{series.Title}\" ({series.Key}) created. Use /editsession KEY series {series.Key} to put sessions in it."));
}
