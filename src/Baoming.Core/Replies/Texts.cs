namespace Baoming.Core.Replies;

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

    public Reply DialogueAbandoned() => Reply.Plain(Pick("已放弃，什么也没发送。", "Dropped; nothing was sent."));

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
}
