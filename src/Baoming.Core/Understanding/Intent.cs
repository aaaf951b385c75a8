namespace Baoming.Core.Understanding;

/// <summary>What a member's text message asks for.</summary>
public abstract record Intent
{
    private Intent()
    {
    }

    /// <summary>"报名", "/signup", "我要报名2月17日那场": <see cref="Query"/> is what follows, or null.</summary>
    public sealed record SignUp(string? Query) : Intent;

    /// <summary>
    /// "取消报名", "/cancel", "取消报名 元宇宙", "元宇宙那场去不了". <see cref="IsQuestion"/> ("能取消吗？"):
    /// offer the cancel buttons, cancel nothing yet.
    /// </summary>
    public sealed record Cancel(string? Query, bool IsQuestion = false) : Intent;

    /// <summary>
    /// A question about signing up or about the sign-ups ("元宇宙那场怎么报名？", "元宇宙还能报名吗",
    /// "报名人数多少"): offer the session's button (or the list), never sign up. <see cref="Query"/> as in <see cref="SignUp"/>.
    /// </summary>
    public sealed record Ask(string? Query) : Intent;

    /// <summary>"我的报名", "/my".</summary>
    public sealed record MySignups : Intent;

    /// <summary>"/start" with an optional deep-link payload (already validated: ≤ 64 of A-Za-z0-9_-).</summary>
    public sealed record Start(string? Payload) : Intent;

    /// <summary>"/help", "帮助".</summary>
    public sealed record Help : Intent;

    /// <summary>
    /// Any other well-formed slash command ("/export", "/grant organizer 42"): <see cref="Name"/> is
    /// lower-case without the bot suffix; <see cref="Arguments"/> keeps its case.
    /// </summary>
    public sealed record Command(string Name, string? Arguments) : Intent;

    /// <summary>
    /// A word to the organizers: "留言：希望下次聊聊自动驾驶", "建议 多办几场" (建議 too). <see cref="Text"/> is
    /// what follows the word, as typed (trimmed), or null for "留言" alone, when the bot asks for it.
    /// </summary>
    public sealed record Note(string? Text) : Intent;

    /// <summary>
    /// Follow a series ("订阅 选题会", "关注选题会", "follow …"): <see cref="Query"/> names it, or null for the
    /// list of series ("订阅" alone, or asked as a question).
    /// </summary>
    public sealed record Follow(string? Query) : Intent;

    /// <summary>
    /// Stop following a series ("取消订阅 选题会", "退订选题会系列", "unsubscribe"): <see cref="Query"/> names it,
    /// or null for the member's follows as buttons.
    /// </summary>
    public sealed record Unfollow(string? Query) : Intent;

    /// <summary>Anything else.</summary>
    public sealed record Unknown : Intent;
}
