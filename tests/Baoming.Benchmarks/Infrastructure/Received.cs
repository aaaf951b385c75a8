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
}
