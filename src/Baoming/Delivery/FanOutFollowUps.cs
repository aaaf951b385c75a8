using Baoming.FollowUps;
using Hangfire;

namespace Baoming.Delivery;

/// <summary>"fan-out" follow-ups: a topic whose recipients are in the ledger already gets its job.</summary>
public sealed class FanOutFollowUps(IBackgroundJobClient jobs) : IFollowUpHandler
{
    public const string Kind = "fan-out";

    public IReadOnlyList<string> Kinds { get; } = [Kind];

    public Task<bool> RunAsync(string kind, string argument, TimeSpan age, CancellationToken cancellationToken)
    {
        jobs.Enqueue<FanOutJob>(job => job.RunAsync(argument, CancellationToken.None));
        return Task.FromResult(true);
    }
}
