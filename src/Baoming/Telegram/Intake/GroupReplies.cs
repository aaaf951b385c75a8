using Baoming.Hosting;
using Baoming.Platform;

namespace Baoming.Telegram.Intake;

/// <summary>
/// Many "报名" in one group within a few seconds get one answer: the group reply (a button into the
/// private chat) is the same for everyone, and Telegram allows a group about 20 messages a minute.
/// The same text to the same group within <see cref="Window"/> is sent once.
/// </summary>
public sealed class GroupReplies(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly OncePerWindow<(long ChatId, string Text)> sent = new(Window, capacity: 10_000, clock);

    /// <summary>True when this reply should go out; false when the group just got the same one.</summary>
    public bool ShouldSend(long chatId, string text) => sent.TryPass((chatId, text)) is not null;
}
