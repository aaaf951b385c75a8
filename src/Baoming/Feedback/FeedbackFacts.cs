using Baoming.Core.Replies;
using Baoming.Sessions;

namespace Baoming.Feedback;

/// <summary>The line under a session in <c>/sessions</c> once its feedback request went out: "反馈 4.3 分 · 12 人".</summary>
public sealed class FeedbackFacts(FeedbackRepository feedback) : ISessionFacts
{
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> DescribeAsync(IReadOnlyList<long> sessionIds, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var results = await feedback.ResultsAsync(sessionIds, cancellationToken);
        return results.ToDictionary(r => r.Key, r => (IReadOnlyList<string>)[texts.FeedbackFact(r.Value)]);
    }
}
