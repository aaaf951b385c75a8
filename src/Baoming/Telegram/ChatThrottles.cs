using System.Collections.Concurrent;

namespace Baoming.Telegram;

/// <summary>
/// Telegram's 429 says "slow down" but not for what. Its limits are per chat (about 1 message a
/// second, 20 a minute in a group) and per bot (about 30 a second), and the shared
/// <see cref="Delivery.RateLimiter"/> already keeps the bot under its own. So a 429 is taken as that
/// chat's limit, and only that chat waits, unless 429s for several different chats arrive within
/// <see cref="Window"/>: then the bot as a whole is over, and every sender pauses.
/// </summary>
public sealed class ChatThrottles(TimeProvider clock)
{
    /// <summary>Distinct chats answered 429 within <see cref="Window"/> that make a limit global.</summary>
    public const int GlobalAfterChats = 3;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, long> until = new();
    private readonly Queue<(long ChatId, long At)> recent = new();
    private readonly Lock gate = new();

    /// <summary>Notes a 429 for <paramref name="chatId"/>; true when it looks like the bot's global limit.</summary>
    public bool Record(long chatId, TimeSpan retryAfter)
    {
        var now = clock.GetTimestamp();
        until.AddOrUpdate(chatId, _ => At(now, retryAfter), (_, known) => Math.Max(known, At(now, retryAfter)));
        lock (gate)
        {
            recent.Enqueue((chatId, now));
            while (recent.Count > 0 && clock.GetElapsedTime(recent.Peek().At, now) > Window)
            {
                recent.Dequeue();
            }

            return recent.Select(r => r.ChatId).Distinct().Count() >= GlobalAfterChats;
        }
    }

    /// <summary>How long <paramref name="chatId"/> must still wait (zero when it may be written to).</summary>
    public TimeSpan RemainingFor(long chatId) =>
        until.TryGetValue(chatId, out var end) && clock.GetElapsedTime(clock.GetTimestamp(), end) is { Ticks: > 0 } left ? left : TimeSpan.Zero;

    /// <summary>Whether Telegram throttled this chat since it was last <see cref="Forget"/>-ed: its replies may be queued.</summary>
    public bool WasThrottled(long chatId) => until.ContainsKey(chatId);

    /// <summary>The chat's queue is empty and its wait is over: its replies go straight out again.</summary>
    public void Forget(long chatId)
    {
        if (RemainingFor(chatId) == TimeSpan.Zero)
        {
            until.TryRemove(chatId, out _);
        }
    }

    private long At(long now, TimeSpan wait) => now + (long)(wait.TotalSeconds * clock.TimestampFrequency);
}
