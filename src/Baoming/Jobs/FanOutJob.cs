using Baoming.Delivery;
using Hangfire;

namespace Baoming.Jobs;

/// <summary>
/// The one Hangfire job type for every fan-out (reminder slot, broadcast, session notice): its only
/// argument is the topic key, so a job is small, safe to run twice and stable across versions.
/// Keep the type and method names: scheduled jobs store them.
/// </summary>
public sealed class FanOutJob(FanOut fanOut)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 15, 60, 300, 900])]
    public Task RunAsync(string topic, CancellationToken cancellationToken) => fanOut.RunAsync(topic, progress: null, cancellationToken);
}
