using System.Collections.Concurrent;
using Baoming.Core;
using Baoming.Core.Signup;
using Baoming.Signup;

namespace Baoming.Tests.Signup;

/// <summary>
/// The sign-up batcher alone, with a fake batch transaction that is held until the test lets it go: so
/// the test decides which sign-ups wait together, and what their batch does.
/// </summary>
public sealed class SignupBatcherTests
{
    private const long SessionId = 7;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Session Session = new() { Id = SessionId, Key = "s", Title = "会", StartsAt = Now.AddDays(1) };

    private readonly TaskCompletionSource firstBatchStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<long[]> batches = new();

    [Fact]
    public async Task A_failing_batch_reaches_every_caller_waiting_in_it()
    {
        var failure = new InvalidOperationException("the batch's transaction failed");
        await using var batcher = Batcher(_ => throw failure);

        // The first sign-up's batch is held; three more gather behind it and go as the second batch.
        var first = batcher.SignUpAsync(1, SessionId, Now, CancellationToken.None);
        await firstBatchStarted.Task.WaitAsync(Timeout);
        List<Task<SignupResult?>> callers = [first, .. new long[] { 2, 3, 4 }.Select(m => batcher.SignUpAsync(m, SessionId, Now, CancellationToken.None))];
        release.SetResult();

        foreach (var caller in callers)
        {
            Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => caller.WaitAsync(Timeout)));
        }

        Assert.Equal(new long[][] { [1], [2, 3, 4] }, batches);
    }

    [Fact]
    public async Task Each_caller_gets_its_own_result_from_a_shared_batch()
    {
        await using var batcher = Batcher(batch => [.. batch.Select(r => new SignupResult(Session, new SignupDecision.Waitlist((int)r.MemberId)))]);

        var first = batcher.SignUpAsync(1, SessionId, Now, CancellationToken.None);
        await firstBatchStarted.Task.WaitAsync(Timeout);
        var second = batcher.SignUpAsync(2, SessionId, Now, CancellationToken.None);
        var third = batcher.SignUpAsync(3, SessionId, Now, CancellationToken.None);
        release.SetResult();

        Assert.Equal(new SignupDecision.Waitlist(1), (await first.WaitAsync(Timeout))!.Decision);
        Assert.Equal(new SignupDecision.Waitlist(2), (await second.WaitAsync(Timeout))!.Decision);
        Assert.Equal(new SignupDecision.Waitlist(3), (await third.WaitAsync(Timeout))!.Decision);
        Assert.Equal(new long[][] { [1], [2, 3] }, batches);
    }

    [Fact]
    public async Task Shutdown_waits_for_the_queued_sign_ups_and_refuses_new_ones()
    {
        var batcher = Batcher(batch => [.. batch.Select(_ => new SignupResult(Session, new SignupDecision.Confirm()))]);
        var first = batcher.SignUpAsync(1, SessionId, Now, CancellationToken.None);
        await firstBatchStarted.Task.WaitAsync(Timeout);
        var queued = batcher.SignUpAsync(2, SessionId, Now, CancellationToken.None);

        var shutdown = batcher.DisposeAsync().AsTask();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.SignUpAsync(3, SessionId, Now, CancellationToken.None));
        Assert.False(shutdown.IsCompleted);
        release.SetResult();
        await shutdown.WaitAsync(Timeout);

        // Shutdown returned only after the queued sign-up's batch had run; both callers get their results.
        Assert.Equal(new long[][] { [1], [2] }, batches);
        Assert.IsType<SignupDecision.Confirm>((await first.WaitAsync(Timeout))!.Decision);
        Assert.IsType<SignupDecision.Confirm>((await queued.WaitAsync(Timeout))!.Decision);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_leaves_its_batch_to_the_others()
    {
        await using var batcher = Batcher(batch => [.. batch.Select(_ => new SignupResult(Session, new SignupDecision.Confirm()))]);
        using var impatient = new CancellationTokenSource();

        var first = batcher.SignUpAsync(1, SessionId, Now, impatient.Token);
        await firstBatchStarted.Task.WaitAsync(Timeout);
        var second = batcher.SignUpAsync(2, SessionId, Now, CancellationToken.None);
        await impatient.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Timeout));
        Assert.IsType<SignupDecision.Confirm>((await second.WaitAsync(Timeout))!.Decision);
        Assert.Equal(new long[][] { [1], [2] }, batches);
    }

    [Fact]
    public async Task A_session_that_does_not_exist_is_refused_before_any_queue()
    {
        await using var batcher = new SignupBatcher(
            (_, _) => Task.FromResult(false),
            (_, _, _) => throw new InvalidOperationException("no batch may run"));

        Assert.Null(await batcher.SignUpAsync(1, 999, Now, CancellationToken.None));
        Assert.Equal(0, batcher.QueueCount);
    }

    /// <summary>A batcher whose sessions all exist and whose first batch waits for <see cref="release"/>.</summary>
    private SignupBatcher Batcher(Func<IReadOnlyList<SignupRequest>, IReadOnlyList<SignupResult?>> decide) => new(
        (_, _) => Task.FromResult(true),
        async (sessionId, batch, _) =>
        {
            Assert.Equal(SessionId, sessionId);
            batches.Enqueue([.. batch.Select(r => r.MemberId)]);
            firstBatchStarted.TrySetResult();
            await release.Task;
            return decide(batch);
        });
}
