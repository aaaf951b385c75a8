using Baoming.Platform;
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

    /// <summary>Guards <see cref="queues"/> and <see cref="isClosed"/>: held for a dictionary lookup.</summary>
    private readonly Lock gate = new();
    private readonly Dictionary<long, BatchQueue<SignupRequest, SignupResult?>> queues = [];
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
    public async Task<SignupResult?> SignUpAsync(long memberId, long sessionId, DateTimeOffset now, CancellationToken cancellationToken, string? source = null)
    {
        // A queue is kept for each session ever signed up for: a forged id ("su:<any number>") must not add one.
        if (!await exists(sessionId, cancellationToken))
        {
            return null;
        }

        BatchQueue<SignupRequest, SignupResult?>? queue;
        lock (gate)
        {
            // After shutdown began no batch may start: one started now could outlive the data source.
            ObjectDisposedException.ThrowIf(isClosed, this);
            if (!queues.TryGetValue(sessionId, out queue))
            {
                queue = new BatchQueue<SignupRequest, SignupResult?>((batch, ct) => signUpBatch(sessionId, batch, ct), MaxBatch);
                queues.Add(sessionId, queue);
            }
        }

        return await queue.RunAsync(new SignupRequest(memberId, now, source), cancellationToken);
    }

    /// <summary>
    /// Refuses new sign-ups and waits for the queued ones' batches, so each waiting caller gets its result
    /// (or its batch's exception) before the data source goes. The container disposes this before the
    /// data source, which it created first.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        BatchQueue<SignupRequest, SignupResult?>[] all;
        lock (gate)
        {
            isClosed = true;
            all = [.. queues.Values];
        }

        foreach (var queue in all)
        {
            await queue.DisposeAsync();
        }
    }

    /// <summary>
    /// Open sessions come from the cached list (no query for the usual press); any other id is looked up,
    /// so a past or cancelled session's button still gets its "closed" answer rather than the stale notice.
    /// </summary>
    private static async Task<bool> ExistsAsync(SessionRepository sessions, long sessionId, CancellationToken cancellationToken) =>
        (await sessions.GetOpenAsync(cancellationToken)).Any(s => s.Id == sessionId)
        || await sessions.FindAsync(sessionId, cancellationToken) is not null;
}
