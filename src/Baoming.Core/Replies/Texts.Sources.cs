using System.Globalization;
using System.Text;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

// Sources (organizers): /link KEY SOURCE, a deep link that records where sign-ups come from, and its QR code.
public sealed partial class Texts
{
    /// <summary>How many upcoming sessions /link lists when it needs a key.</summary>
    public const int LinkKeysShown = 10;

    /// <summary>
    /// The link as text (copyable), what the source does, a warning when readers opening it would not find
    /// the session open, and for a link without a source how to add one.
    /// </summary>
    public Reply LinkMade(Session session, string link, string? source, DateTimeOffset now)
    {
        var text = new StringBuilder(Pick(
            $"🔗「{ClipTo(session.Title, 200)}」（{When(session)}）的报名链接：",
            $"🔗 Sign-up link for \"{ClipTo(session.Title, 200)}\" ({When(session)}):"));
        text.Append("\n\n").Append(link).Append("\n\n");
        if (source is not null)
        {
            text.Append(Pick(
                $"通过这个链接报名的人，名单导出的 source 列会记下「{source}」。二维码图片在下面，可以打印或转发。",
                $"Sign-ups through this link are recorded with the source \"{source}\" (the export's source column). The QR code follows, to print or post."));
        }
        else
        {
            var max = DeepLinks.MaxSourceLength(session.Key);
            text.Append(Pick("二维码图片在下面，可以打印或转发。", "The QR code follows, to print or post."));
            if (max > 0)
            {
                text.Append('\n').Append(Pick(
                    $"想知道报名的人从哪里来？给每个发布渠道一个来源：/link {session.Key} 来源，例如 /link {session.Key} wx36kr（来源用字母、数字、_ 和 -，最长 {max} 个字符）。",
                    $"To see where sign-ups come from, give each place you post a source: /link {session.Key} SOURCE, e.g. /link {session.Key} wx36kr (letters, digits, _ and -, at most {max} characters)."));
            }
        }

        if (session.IsCancelled)
        {
            text.Append("\n\n").Append(Pick(
                "⚠️ 这一场已取消：读者打开链接只会看到其他可报名的场次。",
                "⚠️ This session is cancelled: readers opening the link only see the other sessions open for sign-up."));
        }
        else if (session.StartsAt <= now)
        {
            text.Append("\n\n").Append(Pick(
                "⚠️ 这一场已经开始或结束：读者打开链接只会看到其他可报名的场次。",
                "⚠️ This session has already started or ended: readers opening the link only see the other sessions open for sign-up."));
        }

        return Reply.Plain(text.ToString());
    }

    /// <summary>The QR code's caption: the session and the link (Telegram allows 1024 characters; the title is clipped).</summary>
    public string LinkCaption(Session session, string link) => Pick(
        $"「{ClipTo(session.Title, 200)}」（{When(session)}）\n{link}",
        $"\"{ClipTo(session.Title, 200)}\" ({When(session)})\n{link}");

    /// <summary><c>/link</c> alone: how to use it, and the keys of the upcoming sessions.</summary>
    public Reply LinkUsage(IReadOnlyList<Session> upcoming) => Reply.Plain(AppendKeys(new StringBuilder(Pick(
        "用法：/link KEY 来源\n例如 /link metaverse wx36kr：回复报名链接和可打印的二维码，通过它报名的人会记下来源「wx36kr」。不写来源就是普通链接。",
        "Usage: /link KEY SOURCE\ne.g. /link metaverse wx36kr: answers the sign-up link and a QR code to print; sign-ups through it are recorded with the source \"wx36kr\". Without a source, a plain link.")), upcoming).ToString());

    public Reply LinkUnknownKey(string key, IReadOnlyList<Session> upcoming) => Reply.Plain(AppendKeys(new StringBuilder(Pick(
        $"没有 KEY 为「{Clip(key)}」的场次。",
        $"No session has the key \"{Clip(key)}\".")), upcoming).ToString());

    /// <summary>A source with other characters than A–Z a–z 0–9 _ -, or too long for this key: the rule, and the room left.</summary>
    public Reply LinkBadSource(string key, int maxLength) => Reply.Plain(maxLength > 0
        ? Pick(
            $"来源只能用字母 A–Z a–z、数字 0–9、_ 和 -，而且「KEY-来源」合起来最多 {DeepLinks.MaxPayloadLength} 个字符（Telegram 的限制）：「{key}」这一场的来源最长 {maxLength} 个字符。",
            $"A source may only use letters A–Z a–z, digits 0–9, _ and -, and \"KEY-SOURCE\" together may be at most {DeepLinks.MaxPayloadLength} characters (Telegram's limit): a source for \"{key}\" may be at most {maxLength} characters.")
        : Pick(
            $"「{key}」这一场的 KEY 太长，链接里放不下来源（「KEY-来源」最多 {DeepLinks.MaxPayloadLength} 个字符）。发送 /link {key} 获取不带来源的链接。",
            $"The key \"{key}\" leaves no room for a source (\"KEY-SOURCE\" may be at most {DeepLinks.MaxPayloadLength} characters). Send /link {key} for a link without one."));

    /// <summary>A key a start payload cannot carry (a configured key with other characters): no link opens it.</summary>
    public Reply LinkKeyUnfit(string key) => Reply.Plain(Pick(
        $"「{Clip(key)}」这一场的 KEY 含有链接带不了的字符（只能用字母、数字、_ 和 -，最多 {DeepLinks.MaxPayloadLength} 个），没法生成链接。",
        $"The key \"{Clip(key)}\" has characters a link cannot carry (only letters, digits, _ and -, at most {DeepLinks.MaxPayloadLength}), so there is no link to it."));

    /// <summary>"ai" with the source "2027-qr" reads first as the session "ai-2027": the link would open the other session.</summary>
    public Reply LinkSourceTaken(string key, string source, string otherKey) => Reply.Plain(Pick(
        $"链接「{key}-{source}」会被读成另一场（KEY「{otherKey}」）的链接。请换一个来源。",
        $"The link \"{key}-{source}\" would be read as a link to another session (key \"{otherKey}\"). Please choose another source."));

    private StringBuilder AppendKeys(StringBuilder text, IReadOnlyList<Session> upcoming)
    {
        if (upcoming.Count == 0)
        {
            return text.Append('\n').Append(Pick("现在没有即将开始的场次。", "There are no upcoming sessions."));
        }

        text.Append("\n\n").Append(Pick("即将开始的场次：", "Upcoming sessions:"));
        foreach (var session in upcoming.Take(LinkKeysShown))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n· {session.Key} — {ClipTo(session.Title, 30)}");
        }

        if (upcoming.Count > LinkKeysShown)
        {
            text.Append("\n…");
        }

        return text;
    }
}
