using Hangfire;

namespace Baoming.Delivery;

/// <summary>
/// The one Hangfire job type for every fan-out (reminder slot, broadcast, session notice): its only
/// argument is the topic key, so a job is small, safe to run twice and stable across versions.
/// Keep the type and method names, and the argument a string: scheduled jobs store them, the key
/// as its text (<see cref="TopicKey.ToString"/>).
/// </summary>
public sealed class FanOutJob(FanOut fanOut)
{
    /// <summary>Plants the job for <paramref name="topic"/> now; returns the Hangfire job id.</summary>
    public static string Enqueue(IBackgroundJobClient jobs, TopicKey topic)
    {
        var text = topic.ToString();
        return jobs.Enqueue<FanOutJob>(job => job.RunAsync(text, CancellationToken.None));
    }

    /// <summary>Plants the job for <paramref name="topic"/> to run at <paramref name="at"/>; returns the Hangfire job id.</summary>
    public static string Schedule(IBackgroundJobClient jobs, TopicKey topic, DateTimeOffset at)
    {
        var text = topic.ToString();
        return jobs.Schedule<FanOutJob>(job => job.RunAsync(text, CancellationToken.None), at);
    }

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 15, 60, 300, 900])]
    public async Task RunAsync(string topic, CancellationToken cancellationToken)
    {
        await fanOut.RunAsync(TopicKey.Parse(topic), progress: null, cancellationToken);

        // Stopped by a shutdown: ending as cancelled makes Hangfire re-queue the job, so the next
        // start resumes the fan-out (the ledger skips everyone already sent to). Returning normally
        // would mark it succeeded with recipients still pending.
        cancellationToken.ThrowIfCancellationRequested();
    }
}
