using System.Globalization;
using Baoming.Core.Organizers;
using Baoming.Delivery;
using Baoming.FollowUps;
using Baoming.Jobs;
using Baoming.Storage;
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

    /// <summary>
    /// A broadcast left 'draft' for 'scheduled' or 'sending'; the argument is its id. Written by the trigger
    /// broadcasts_follow_ups (Storage/Migrations/0010_follow_ups.sql): stored in follow_ups rows, so its text must not change.
    /// </summary>
    public const string Released = "broadcast-released";

    public IReadOnlyList<string> Kinds { get; } = [Released];

    public async Task<bool> RunAsync(string kind, string argument, TimeSpan age, CancellationToken cancellationToken)
    {
        var id = long.Parse(argument, CultureInfo.InvariantCulture);
        if (await broadcasts.FindAsync(id, cancellationToken) is not { State: BroadcastState.Scheduled or BroadcastState.Sending } broadcast)
        {
            // Cancelled meanwhile, or gone: nothing to plant.
            return true;
        }

        if (broadcast.StatusMessageId is null && age < StatusMessageWait)
        {
            return false;
        }

        var topic = BroadcastTopic.Key(id);
        var jobId = broadcast is { State: BroadcastState.Scheduled, ScheduledAt: { } at }
            ? FanOutJob.Schedule(jobs, topic, PostgresTime.Utc(at))
            : FanOutJob.Enqueue(jobs, topic);
        await broadcasts.SetJobAsync(id, jobId, cancellationToken);
        return true;
    }
}
