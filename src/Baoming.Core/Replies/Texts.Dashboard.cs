namespace Baoming.Core.Replies;

// The job dashboard (organizers and admins).
public sealed partial class Texts
{
    /// <summary>The login link for the job dashboard: personal and single-use, so it is said not to be shared.</summary>
    public Reply DashboardLink(string link, int minutes, bool canChange) => Reply.Plain(Pick(
        $"任务面板登录链接（{minutes} 分钟内有效，只能用一次，仅限本人使用，请勿转发）：\n{link}\n\n" +
            (canChange ? "你是管理员，可以在面板里重试或删除任务。" : "你是组织者，面板对你是只读的。") +
            "\n用完后可以在面板里退出，或在这里发送 /logout。",
        $"Your login link for the job dashboard (valid for {minutes} minutes and once only; it is yours alone, don't forward it):\n{link}\n\n" +
            (canChange ? "As an admin you can retry or delete jobs there." : "As an organizer you have read-only access.") +
            "\nWhen you are done, log out on the dashboard or send /logout here."));

    /// <summary><c>/logout</c>: every dashboard session of the member has ended (<paramref name="ended"/> were open).</summary>
    public Reply DashboardLoggedOut(int ended) => Reply.Plain(ended == 0
        ? Pick("你没有登录中的任务面板。", "You were not logged in to the job dashboard.")
        : Pick($"已退出任务面板（结束了 {ended} 个登录）。", $"Logged out of the job dashboard ({ended} session{(ended == 1 ? "" : "s")} ended)."));
}
