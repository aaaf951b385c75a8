using System.Text;
using Baoming.Core.Organizers;

namespace Baoming.Core.Replies;

// After the session (organizers): the follow-up texts set with /editsession, and the report once they went out.
public sealed partial class Texts
{
    /// <summary>Who a follow-up goes to, as the organizer reads it.</summary>
    public string FollowUpAudience(bool isForAttended) =>
        isForAttended ? Pick("来了的人", "those who came") : Pick("报名了却没来的人", "confirmed no-shows");

    /// <summary>Why a follow-up text was refused, naming the piece at fault.</summary>
    public string FollowUpProblem(InputError error, string? detail) => error switch
    {
        InputError.Empty => Pick(
            "会后消息是空的。要删除会后消息请写 -。",
            "The follow-up is empty. Write - to remove the follow-up."),
        InputError.TooLong => Pick(
            $"会后消息有 {detail} 个字符，超过了 Telegram 的 {TelegramHtml.MaxLength} 字上限。",
            $"The follow-up is {detail} characters, over Telegram's {TelegramHtml.MaxLength} limit."),
        _ => Pick($"会后消息的格式有问题：{detail}", $"The follow-up's formatting is broken: {detail}"),
    };

    /// <param name="sendsAt">When the planned follow-up goes out; null when none is planned.</param>
    /// <param name="sentAt">When the follow-up went out already (an edit now changes nothing that was sent).</param>
    public Reply FollowUpEdited(Session session, bool isForAttended, bool isCleared, DateTimeOffset? sendsAt, DateTimeOffset? sentAt, bool isFromConfiguration)
    {
        var audience = FollowUpAudience(isForAttended);
        var text = new StringBuilder(isCleared
            ? Pick($"✅ 已删除「{session.Title}」给{audience}的会后消息：他们不会收到会后消息。", $"✅ Removed the follow-up of \"{session.Title}\" for {audience}: they get none.")
            : Pick($"⬆️ 以上是预览。✅ 已保存「{session.Title}」给{audience}的会后消息。", $"⬆️ That is the preview. ✅ Saved the follow-up of \"{session.Title}\" for {audience}."));
        if (sentAt is { } sent)
        {
            text.Append('\n').Append(Pick(
                $"这一场的会后消息已在 {TimeFormat.Format(sent, zone, language)} 发出，这次修改不会再发送。",
                $"This session's follow-ups went out at {TimeFormat.Format(sent, zone, language)}; this change is not sent again."));
        }
        else if (sendsAt is { } at && !isCleared)
        {
            text.Append('\n').Append(Pick(
                $"将在 {TimeFormat.Format(at, zone, language)}（结束后）发出，每人一次。",
                $"It goes out at {TimeFormat.Format(at, zone, language)} (after the end), once to each."));
        }

        if (isFromConfiguration)
        {
            text.Append('\n').Append(Pick(
                "注意：这一场来自配置文件，配置里的会后消息在下次启动时会覆盖这次修改。",
                "Note: this session comes from the configuration; its follow-ups there replace this change at the next start."));
        }

        return Reply.Plain(text.ToString());
    }

    /// <summary>The line under a session in /sessions: who gets a follow-up, and when it goes out or went out.</summary>
    public string FollowUpFact(bool toAttended, bool toNoShows, DateTimeOffset? sendsAt, DateTimeOffset? sentAt)
    {
        var sides = Pick(
            $"会后消息：来了的人 {(toAttended ? "✓" : "—")} · 没来的人 {(toNoShows ? "✓" : "—")}",
            $"Follow-ups: those who came {(toAttended ? "✓" : "—")} · no-shows {(toNoShows ? "✓" : "—")}");
        return (sentAt, sendsAt) switch
        {
            ({ } sent, _) => sides + Pick($" · 已于 {TimeFormat.Format(sent, zone, language)}发出", $" · sent {TimeFormat.Format(sent, zone, language)}"),
            (_, { } at) => sides + Pick($" · {TimeFormat.Format(at, zone, language)}发出", $" · going out {TimeFormat.Format(at, zone, language)}"),
            _ => sides,
        };
    }

    /// <summary>Telegram refused to show the follow-up's preview: it was not kept, so it can never fail for every recipient.</summary>
    public Reply FollowUpPreviewRefused() => Reply.Plain(Pick(
        "Telegram 拒绝显示这条会后消息（多半是格式不被接受），所以没有保存。请改正后重新发送。",
        "Telegram refused to show this follow-up (most likely its formatting), so it was not kept. Fix it and send it again."));

    /// <summary>The organizers' report once a session's follow-ups have gone out.</summary>
    public Reply FollowUpReport(Session session, int attended, int noShows, int sent, int blocked, int failed, int unknown) => Reply.Plain(Pick(
        $"📊 会后消息已发出：「{session.Title}」\n来了的 {attended} 人 · 没来的 {noShows} 人\n已送达 {sent} · 已屏蔽机器人 {blocked} · 失败 {failed} · 结果未知 {unknown}",
        $"📊 Follow-ups sent: \"{session.Title}\"\nto {attended} who came · {noShows} no-shows\nDelivered {sent} · blocked the bot {blocked} · failed {failed} · unknown {unknown}"));
}
