namespace Baoming.Core.Replies;

/// <summary>An inline button: presses come back as <see cref="Data"/>, or it opens <see cref="Url"/>.</summary>
public sealed record Button(string Text, string? Data = null, string? Url = null);

/// <summary>A message the bot says, channel-agnostic: Telegram renders the keyboard inline, the shell as numbers.</summary>
public sealed record Reply(string Text, IReadOnlyList<IReadOnlyList<Button>> Keyboard)
{
    public static Reply Plain(string text) => new(text, []);

    public static Reply WithButtons(string text, IEnumerable<Button> buttons) =>
        new(text, [.. buttons.Select(b => (IReadOnlyList<Button>)[b])]);

    public IEnumerable<Button> Buttons => Keyboard.SelectMany(row => row);

    /// <summary>
    /// The text is Telegram HTML (<c>parse_mode=HTML</c>). Only broadcasts use it: every other reply is
    /// plain text, so a title with "&lt;" in it can never break a message.
    /// </summary>
    public bool IsHtml { get; init; }
}

/// <summary>A reply to someone: <see cref="ChatId"/> is a Telegram chat (a member's private chat is their user id).</summary>
public sealed record Outgoing(long ChatId, Reply Reply)
{
    /// <summary>
    /// Called by the channel once the send is over, with the sent message's id, or null when it was not sent
    /// (blocked, failed, unknown, or only queued). Lets a handler remember a message it will edit later
    /// (a broadcast's status message) without holding the channel itself.
    /// </summary>
    public Func<long?, CancellationToken, Task>? AfterSent { get; init; }

    /// <summary>
    /// Said instead when this message is not sent; the rest of the response is then dropped (a broadcast's
    /// confirmation buttons make no sense after Telegram refused its preview). Only with <see cref="AfterSent"/>,
    /// whose send is awaited.
    /// </summary>
    public Reply? IfNotSent { get; init; }
}
