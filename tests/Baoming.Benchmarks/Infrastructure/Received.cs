using System.Diagnostics;
using Baoming.Benchmarks.Scenarios;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>Every message the fake received for a fan-out, per chat: exactly one each is expected, nothing else.</summary>
internal sealed class Received(long firstChatId, int count)
{
    private readonly long[] at = new long[count];
    private readonly int[] messages = new int[count];
    private int distinct;
    private int strays;

    public int Count => count;

    public int Distinct => Volatile.Read(ref distinct);

    public int Strays => Volatile.Read(ref strays);

    /// <summary>Messages beyond the first to the same chat.</summary>
    public int Duplicates => messages.Sum(m => Math.Max(0, m - 1));

    public void Take(BotMessage message)
    {
        var i = message.ChatId - firstChatId;
        if (i < 0 || i >= count)
        {
            Interlocked.Increment(ref strays);
            return;
        }

        if (Interlocked.Increment(ref messages[i]) == 1)
        {
            at[i] = message.At;
            Interlocked.Increment(ref distinct);
        }
    }

    public void Verify(string who)
    {
        var missing = messages.Count(m => m == 0);
        var duplicated = messages.Count(m => m > 1);
        if (missing > 0 || duplicated > 0 || Strays > 0)
        {
            throw new BenchmarkFailedException($"{who}: {missing} chats got no message, {duplicated} got more than one, {Strays} messages went elsewhere.");
        }
    }

    public (long First, long Last) FirstAndLast() => (at.Min(), at.Max());

    /// <summary>Sends per second from the first arrival to the last.</summary>
    public double SendsPerSecond()
    {
        var (first, last) = FirstAndLast();
        return (count - 1) / (BenchContext.Milliseconds(first, last) / 1000);
    }

    /// <summary>Pauses between consecutive arrivals longer than <paramref name="ms"/>: how many, and their total in ms.</summary>
    public (int Count, double TotalMs) Gaps(double ms)
    {
        var sorted = at.Order().ToArray();
        var gaps = sorted.Zip(sorted.Skip(1), (a, b) => BenchContext.Milliseconds(a, b)).Where(g => g > ms).ToList();
        return (gaps.Count, gaps.Sum());
    }

    /// <summary>The most sends received within any one second (a sliding window over arrival times).</summary>
    public int WorstSecond()
    {
        var sorted = at.Order().ToArray();
        var worst = 0;
        var start = 0;
        for (var end = 0; end < sorted.Length; end++)
        {
            while (sorted[end] - sorted[start] >= Stopwatch.Frequency)
            {
                start++;
            }

            worst = Math.Max(worst, end - start + 1);
        }

        return worst;
    }

    /// <summary>
    /// The distribution of one-second windows: one window starting at each arrival (the sends received in
    /// [arrival, arrival + 1 s)), those starting in the last second left out as they are not full. Shows how
    /// close to the limit a run usually is, not only its worst second.
    /// </summary>
    public WindowStats Windows(int limit)
    {
        var sorted = at.Order().ToArray();
        List<int> counts = [];
        var end = 0;
        for (var start = 0; start < sorted.Length && sorted[^1] - sorted[start] >= Stopwatch.Frequency; start++)
        {
            while (end < sorted.Length && sorted[end] - sorted[start] < Stopwatch.Frequency)
            {
                end++;
            }

            counts.Add(end - start);
        }

        if (counts.Count == 0)
        {
            return new WindowStats(0, 0, 0, WorstSecond(), WorstSecond() > limit ? 1 : 0, limit);
        }

        counts.Sort();
        int At(double q) => counts[Math.Min(counts.Count - 1, (int)(q * counts.Count))];
        return new WindowStats(At(0.5), At(0.9), At(0.99), Math.Max(counts[^1], WorstSecond()), counts.Count(c => c > limit), limit);
    }
}

/// <summary>One-second windows of arrivals: percentiles, the worst, and how many held more than the limit.</summary>
internal sealed record WindowStats(int P50, int P90, int P99, int Max, int Over, int Limit)
{
    public override string ToString() => $"1-s windows p50 {P50} / p90 {P90} / p99 {P99} / max {Max}, {Over} over {Limit}";
}
