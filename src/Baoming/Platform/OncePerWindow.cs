namespace Baoming.Platform;

/// <summary>
/// Lets something happen at most once per key within <see cref="Window"/> (a group's reply, a log
/// line about an address), and counts what it held back meanwhile. Memory is bounded: when
/// <c>capacity</c> keys are known, those whose window is over are forgotten first, and if that is not
/// enough it starts again rather than grow.
/// </summary>
public sealed class OncePerWindow<TKey>(TimeSpan window, int capacity, TimeProvider time)
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Dictionary<TKey, (long PassedAt, int HeldBack)> byKey = [];

    public TimeSpan Window => window;

    /// <summary>Null to hold it back; else how many were held back for this key since it last passed.</summary>
    public int? TryPass(TKey key)
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            var isKnown = byKey.TryGetValue(key, out var entry);
            if (isKnown && time.GetElapsedTime(entry.PassedAt, now) < window)
            {
                byKey[key] = entry with { HeldBack = entry.HeldBack + 1 };
                return null;
            }

            if (!isKnown && byKey.Count >= capacity)
            {
                Forget(now);
            }

            byKey[key] = (now, 0);
            return isKnown ? entry.HeldBack : 0;
        }
    }

    private void Forget(long now)
    {
        foreach (var (key, entry) in byKey)
        {
            if (time.GetElapsedTime(entry.PassedAt, now) >= window)
            {
                byKey.Remove(key);
            }
        }

        if (byKey.Count >= capacity)
        {
            byKey.Clear();
        }
    }
}
