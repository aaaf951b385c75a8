using Baoming.Platform;

namespace Baoming.Tests.Platform;

public sealed class BackoffTests
{
    [Fact]
    public async Task Doubles_up_to_the_ceiling_and_starts_over_after_a_reset()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));
        var seen = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            seen.Add(backoff.Current.TotalMilliseconds);
            await backoff.WaitAsync(CancellationToken.None);
        }

        Assert.Equal([1, 2, 4, 5, 5], seen);
        backoff.Reset();
        Assert.Equal(TimeSpan.FromMilliseconds(1), backoff.Current);
    }

    [Fact]
    public async Task A_stop_request_ends_the_wait()
    {
        var backoff = new Backoff(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backoff.WaitAsync(stop.Token));
    }
}
