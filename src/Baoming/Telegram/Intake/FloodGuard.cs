using System.Collections.Concurrent;

namespace Baoming.Telegram.Intake;

/// <summary>
/// A member who sends more than <see cref="Limit"/> updates within <see cref="Window"/> is told once
/// to slow down, and what they send for the next <see cref="QuietFor"/> is not acted on. What they
/// sent before the limit is handled as usual. Per instance: a member's updates are handled in turns,
/// mostly on one instance, and the point is to spare the lanes and Telegram, not to be exact.
/// </summary>
public sealed class FloodGuard(TimeProvider clock)
{
    public const int Limit = 20;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(60);

    public enum Verdict
    {
        Handle,

        /// <summary>Just went over the limit: answer once, with a request to slow down.</summary>
        Warn,

        Ignore,
    }

    private readonly ConcurrentDictionary<long, Member> members = new();

    /// <summary>
    /// When the next sweep of idle members may run (a <see cref="TimeProvider"/> timestamp). Once a
    /// window: at a thousand senders a second more than 10,000 are tracked, and a sweep on every update
    /// would scan them all each time.
    /// </summary>
    private long nextForgetAt;

    public Verdict Check(long userId)
    {
        var now = clock.GetTimestamp();
        var forgetAt = Interlocked.Read(ref nextForgetAt);
        if (members.Count > 10_000 && now >= forgetAt
            && Interlocked.CompareExchange(ref nextForgetAt, now + (long)(Window.TotalSeconds * clock.TimestampFrequency), forgetAt) == forgetAt)
        {
            Forget(now);
        }

        var member = members.GetOrAdd(userId, _ => new Member());
        lock (member)
        {
            if (member.QuietUntil is { } until && clock.GetElapsedTime(now, until) > TimeSpan.Zero)
            {
                return Verdict.Ignore;
            }

            member.QuietUntil = null;
            member.Recent.Enqueue(now);
            while (clock.GetElapsedTime(member.Recent.Peek(), now) > Window)
            {
                member.Recent.Dequeue();
            }

            if (member.Recent.Count <= Limit)
            {
                return Verdict.Handle;
            }

            member.Recent.Clear();
            member.QuietUntil = now + (long)(QuietFor.TotalSeconds * clock.TimestampFrequency);
            return Verdict.Warn;
        }
    }

    private void Forget(long now)
    {
        foreach (var (id, member) in members)
        {
            lock (member)
            {
                var isQuiet = member.QuietUntil is { } until && clock.GetElapsedTime(now, until) > TimeSpan.Zero;
                var isIdle = member.Recent.Count == 0 || clock.GetElapsedTime(member.Recent.Last(), now) > Window;
                if (!isQuiet && isIdle)
                {
                    members.TryRemove(id, out _);
                }
            }
        }
    }

    private sealed class Member
    {
        public Queue<long> Recent { get; } = new();

        public long? QuietUntil { get; set; }
    }
}
