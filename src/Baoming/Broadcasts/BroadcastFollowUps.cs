using System.Globalization;
using Baoming.Delivery;
using Baoming.FollowUps;
using Baoming.Jobs;
using Hangfire;

namespace Baoming.Broadcasts;

/// <summary>
/// A broadcast released by an organizer (recorded by a trigger on <c>broadcasts</c> in the same
/// transaction as its move out of 'draft'): its one Hangfire job is planted, now or at its time. A
/// second run plants a second job, which the ledger and the topic's lease make harmless.
/// </summary>
public sealed class BroadcastFollowUps(BroadcastRepository broadcasts, IBackgroundJobClient jobs) : IFollowUpHandler
{
    /// <summary>How long the job waits for the organizer's status message (sent right after the release) so progress shows in it.</summary>
    private static readonly TimeSpan StatusMessageWait = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> Kinds { get; } = ["broadcast-released"];

    public async Task<bool> RunAsync(string kind, string argument, TimeSpan age, CancellationToken cancellationToken)
    {
        var id = long.Parse(argument, CultureInfo.InvariantCulture);
        if (await broadcasts.FindAsync(id, cancellationToken) is not { State: "scheduled" or "sending" } broadcast)
        {
            // Cancelled meanwhile, or gone: nothing to plant.
            return true;
        }

        if (broadcast.StatusMessageId is null && age < StatusMessageWait)
        {
            return false;
        }

        var topic = BroadcastTopic.Topic(id);
        var jobId = broadcast is { State: "scheduled", ScheduledAt: { } at }
            ? jobs.Schedule<FanOutJob>(job => job.RunAsync(topic, CancellationToken.None), new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)))
            : jobs.Enqueue<FanOutJob>(job => job.RunAsync(topic, CancellationToken.None));
        await broadcasts.SetJobAsync(id, jobId, cancellationToken);
        return true;
    }
}
