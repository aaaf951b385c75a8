using Baoming.Delivery;
using Hangfire;

namespace Baoming.Delivery;

/// <summary>
/// The one Hangfire job type for every fan-out (reminder slot, broadcast, session notice): its only
/// argument is the topic key, so a job is small, safe to run twice and stable across versions.
/// Keep the type and method names: scheduled jobs store them.
/// </summary>
public sealed class FanOutJob(FanOut fanOut)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 15, 60, 300, 900])]
    public async Task RunAsync(string topic, CancellationToken cancellationToken)
    {
        await fanOut.RunAsync(topic, progress: null, cancellationToken);

        // Stopped by a shutdown: ending as cancelled makes Hangfire re-queue the job, so the next
        // start resumes the fan-out (the ledger skips everyone already sent to). Returning normally
        // would mark it succeeded with recipients still pending.
        cancellationToken.ThrowIfCancellationRequested();
    }
}
