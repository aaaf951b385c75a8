namespace Baoming.Platform;

/// <summary>
/// Gathers concurrent requests into batches run one at a time: while one batch runs (one round trip, one
/// commit), the next gathers, so a burst costs a few statements instead of one per request and never
/// needs more than one connection. Every caller gets its own result, or its batch's exception; at
/// shutdown (<see cref="DisposeAsync"/>) the queued ones are still run.
/// </summary>
/// <param name="runBatch">Runs a batch and returns one result per request, in the same order.</param>
/// <param name="maxBatch">The most requests one batch takes; the rest wait for the next.</param>
public sealed class BatchQueue<TRequest, TResult>(
    Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<TResult>>> runBatch,
    int maxBatch) : IAsyncDisposable
{
    /// <summary>Guards <see cref="pending"/>, <see cref="drain"/> and <see cref="isClosed"/>: held for a few list operations.</summary>
    private readonly Lock gate = new();
    private List<Pending> pending = [];
    private Task? drain;
    private bool isClosed;

    /// <summary>Queues the request with whatever else is waiting; throws the batch's exception when it fails.</summary>
    public async Task<TResult> RunAsync(TRequest request, CancellationToken cancellationToken)
    {
        var waiting = new Pending(request);
        lock (gate)
        {
            // After shutdown began no drain may start: one started now could outlive what it uses.
            ObjectDisposedException.ThrowIf(isClosed, this);
            pending.Add(waiting);

            // The first request into an idle queue starts its drain, off the caller's path. The task is
            // kept (shutdown waits for it) and never faults: every failure goes to the requests it concerns.
            drain ??= Task.Run(DrainAsync, CancellationToken.None);
        }

        return await waiting.Result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Refuses new requests and waits until the queued ones have their results.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? running;
        lock (gate)
        {
            isClosed = true;
            running = drain;
        }

        await (running ?? Task.CompletedTask);
    }

    private async Task DrainAsync()
    {
        while (Take() is { Count: > 0 } batch)
        {
            try
            {
                // Not cancelled with any one caller: the batch is theirs together; Npgsql's timeouts bound it.
                var results = await runBatch([.. batch.Select(p => p.Request)], CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                // Each caller sees the failure and may try again.
                foreach (var waiting in batch)
                {
                    waiting.Fail(e);
                }
            }
        }
    }

    /// <summary>The next batch in arrival order; empty, and the drain over, when nothing waits.</summary>
    private List<Pending> Take()
    {
        lock (gate)
        {
            if (pending.Count == 0)
            {
                // Cleared under the lock that adds: the next request sees no drain and starts one.
                drain = null;
                return [];
            }

            if (pending.Count <= maxBatch)
            {
                var all = pending;
                pending = [];
                return all;
            }

            var batch = pending[..maxBatch];
            pending.RemoveRange(0, maxBatch);
            return batch;
        }
    }

    /// <summary>A request waiting for its batch, and where its caller waits for the outcome.</summary>
    private sealed class Pending(TRequest request)
    {
        public TRequest Request { get; } = request;

        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Fail(Exception e)
        {
            if (Result.TrySetException(e))
            {
                // A caller that stopped waiting (its own token) never reads the failure; reading it here marks
                // it observed, so it does not come back as an unobserved task exception.
                _ = Result.Task.Exception;
            }
        }
    }
}
