namespace Baoming.Storage;

/// <summary>
/// How far start-up has prepared the database: <see cref="WaitMigratedAsync"/> ends once the migrations are
/// applied (the inbox has its current shape, so intake may store updates), <see cref="WaitPreparedAsync"/>
/// once Hangfire's schema and the configured sessions are in place too (the engine may handle updates, jobs
/// may run). <c>run</c> prepares the database beside polling and the webhook, so that the first getUpdates
/// does not wait for it; every other verb prepares it before anything starts.
/// </summary>
public sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource prepared = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The migrations are applied: updates may be stored.</summary>
    public bool IsMigrated => migrated.Task.IsCompletedSuccessfully;

    /// <summary>Migrations, Hangfire's schema and the sessions sync are done: updates may be handled.</summary>
    public bool IsPrepared => prepared.Task.IsCompletedSuccessfully;

    public Task WaitMigratedAsync(CancellationToken cancellationToken) =>
        IsMigrated ? Task.CompletedTask : migrated.Task.WaitAsync(cancellationToken);

    public Task WaitPreparedAsync(CancellationToken cancellationToken) =>
        IsPrepared ? Task.CompletedTask : prepared.Task.WaitAsync(cancellationToken);

    public void MarkMigrated() => migrated.TrySetResult();

    public void MarkPrepared()
    {
        migrated.TrySetResult();
        prepared.TrySetResult();
    }

    /// <summary>Preparing failed for good (not an outage: those are retried): whoever waits fails with it.</summary>
    public void MarkFailed(Exception exception)
    {
        migrated.TrySetException(exception);
        prepared.TrySetException(exception);
    }
}
