using Baoming.Sessions;

namespace Baoming.Signup;

/// <summary>
/// Groups concurrent sign-ups for a session into one transaction. A burst sends every sign-up to the
/// same session row lock; one transaction per sign-up would queue them all on that lock, one commit at
/// a time. So sign-ups for a session wait in its queue: while one batch's transaction runs
/// (<see cref="RegistrationStore.SignUpBatchAsync"/>), the next gathers, and each batch takes the lock
/// and commits once. Every queued sign-up gets its result or its batch's exception, also at shutdown.
/// </summary>
public sealed class SignupBatcher : IAsyncDisposable
{
    /// <summary>The most sign-ups one transaction takes; the rest wait for the next.</summary>
    private const int MaxBatch = 200;

    private readonly Func<long, CancellationToken, Task<bool>> exists;
    private readonly Func<long, IReadOnlyList<SignupRequest>, CancellationToken, Task<IReadOnlyList<SignupResult?>>> signUpBatch;

    /// <summary>Guards the queues, their pending sign-ups and drains, and <see cref="isClosed"/>: held for a few list operations.</summary>
    private readonly Lock gate = new();
    private readonly Dictionary<long, SignupQueue> queues = [];
    private bool isClosed;

    public SignupBatcher(RegistrationStore store, SessionRepository sessions)
        : this((sessionId, ct) => ExistsAsync(sessions, sessionId, ct), store.SignUpBatchAsync)
    {
    }

    /// <summary>The batching alone, given the existence check and the batch's transaction (tests use fakes).</summary>
    internal SignupBatcher(
        Func<long, CancellationToken, Task<bool>> exists,
        Func<long, IReadOnlyList<SignupRequest>, CancellationToken, Task<IReadOnlyList<SignupResult?>>> signUpBatch)
    {
        this.exists = exists;
        this.signUpBatch = signUpBatch;
    }

    /// <summary>How many sessions have a sign-up queue (one each, kept for the process's life): for tests.</summary>
    internal int QueueCount
    {
        get
        {
            lock (gate)
            {
                return queues.Count;
            }
        }
    }

    /// <summary>
    /// Signs the member up (or waitlists them) in a batch with whatever other sign-ups for the session are
    /// waiting; decisions are taken in arrival order. Null when the session does not exist. Throws the
    /// batch's exception when its transaction fails (an outage is retried by the caller's lane).
    /// </summary>
    public async Task<SignupResult?> SignUpAsync(long memberId, long sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A queue is kept for each session ever signed up for: a forged id ("su:<any number>") must not add one.
        if (!await exists(sessionId, cancellationToken))
        {
            return null;
        }

        var pending = new PendingSignup(new SignupRequest(memberId, now));
        lock (gate)
        {
            // After shutdown began no drain may start: one started now could outlive the data source.
            ObjectDisposedException.ThrowIf(isClosed, this);
            if (!queues.TryGetValue(sessionId, out var queue))
            {
                queue = new SignupQueue(sessionId);
                queues.Add(sessionId, queue);
            }

            queue.Pending.Add(pending);

            // The first sign-up into an idle queue starts its drain, off the lanes' path. The task is kept
            // (shutdown waits for it) and never faults: every failure goes to the sign-ups it concerns.
            queue.Drain ??= Task.Run(() => DrainAsync(queue), CancellationToken.None);
        }

        return await pending.Result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Refuses new sign-ups and waits for the queued ones' batches, so each waiting caller gets its result
    /// (or its batch's exception) before the data source goes. The container disposes this before the
    /// data source, which it created first.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task[] drains;
        lock (gate)
        {
            isClosed = true;
            drains = [.. queues.Values.Select(q => q.Drain).OfType<Task>()];
        }

        await Task.WhenAll(drains);
    }

    /// <summary>
    /// Open sessions come from the cached list (no query for the usual press); any other id is looked up,
    /// so a past or cancelled session's button still gets its "closed" answer rather than the stale notice.
    /// </summary>
    private static async Task<bool> ExistsAsync(SessionRepository sessions, long sessionId, CancellationToken cancellationToken) =>
        (await sessions.GetOpenAsync(cancellationToken)).Any(s => s.Id == sessionId)
        || await sessions.FindAsync(sessionId, cancellationToken) is not null;

    private async Task DrainAsync(SignupQueue queue)
    {
        while (Take(queue) is { Count: > 0 } batch)
        {
            try
            {
                // Not cancelled with any one caller: the batch is theirs together; Npgsql's timeouts bound it.
                var results = await signUpBatch(queue.SessionId, [.. batch.Select(p => p.Request)], CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                // Each caller sees the failure (an outage is retried by its lane) and may try again.
                foreach (var pending in batch)
                {
                    pending.Fail(e);
                }
            }
        }
    }

    /// <summary>The queue's next batch in arrival order; empty, and the drain over, when nothing waits.</summary>
    private List<PendingSignup> Take(SignupQueue queue)
    {
        lock (gate)
        {
            var pending = queue.Pending;
            if (pending.Count == 0)
            {
                // Cleared under the lock that adds: the next sign-up sees no drain and starts one.
                queue.Drain = null;
                return [];
            }

            if (pending.Count <= MaxBatch)
            {
                queue.Pending = [];
                return pending;
            }

            var batch = pending[..MaxBatch];
            pending.RemoveRange(0, MaxBatch);
            return batch;
        }
    }

    /// <summary>A sign-up waiting for its batch, and where its caller waits for the outcome.</summary>
    private sealed class PendingSignup(SignupRequest request)
    {
        public SignupRequest Request { get; } = request;

        public TaskCompletionSource<SignupResult?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    /// <summary>One session's waiting sign-ups and the drain running for them (null when idle); guarded by <see cref="gate"/>.</summary>
    private sealed class SignupQueue(long sessionId)
    {
        public long SessionId { get; } = sessionId;

        public List<PendingSignup> Pending { get; set; } = [];

        public Task? Drain { get; set; }
    }
}
