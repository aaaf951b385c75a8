using System.Collections.Concurrent;

namespace Baoming.Inbox;

/// <summary>
/// Many "报名" in one group within a few seconds get one answer: the group reply (a button into the
/// private chat) is the same for everyone, and Telegram allows a group about 20 messages a minute.
/// The same text to the same group within <see cref="Window"/> is sent once.
/// </summary>
public sealed class GroupReplies(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(long ChatId, string Text), long> lastSent = new();

    /// <summary>True when this reply should go out; false when the group just got the same one.</summary>
    public bool ShouldSend(long chatId, string text)
    {
        var now = clock.GetTimestamp();
        if (lastSent.Count > 10_000)
        {
            foreach (var (old, at) in lastSent)
            {
                if (clock.GetElapsedTime(at, now) > Window)
                {
                    lastSent.TryRemove(old, out _);
                }
            }
        }

        var key = (chatId, text);
        while (true)
        {
            if (!lastSent.TryGetValue(key, out var at))
            {
                if (lastSent.TryAdd(key, now))
                {
                    return true;
                }

                continue;
            }

            if (clock.GetElapsedTime(at, now) <= Window)
            {
                return false;
            }

            if (lastSent.TryUpdate(key, now, at))
            {
                return true;
            }
        }
    }
}
