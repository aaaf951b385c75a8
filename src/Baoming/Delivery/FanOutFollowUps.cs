using Baoming.FollowUps;
using Hangfire;

namespace Baoming.Delivery;

/// <summary>"fan-out" follow-ups: a topic whose recipients are in the ledger already gets its job.</summary>
public sealed class FanOutFollowUps(IBackgroundJobClient jobs) : IFollowUpHandler
{
    /// <summary>
    /// Written by no migration's trigger but by the statement that fills the ledger: Signup's promotion, whose
    /// argument is the key <c>Signup.PromotionTopic.TopicSql</c> builds.
    /// </summary>
    public const string Kind = "fan-out";

    public IReadOnlyList<string> Kinds { get; } = [Kind];

    public Task<bool> RunAsync(string kind, string argument, TimeSpan age, CancellationToken cancellationToken)
    {
        // Read here, so a malformed key fails the follow-up (recorded on its row) rather than a job later.
        FanOutJob.Enqueue(jobs, TopicKey.Parse(argument));
        return Task.FromResult(true);
    }
}
