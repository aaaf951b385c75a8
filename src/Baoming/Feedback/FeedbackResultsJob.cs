using Baoming.Delivery;
using Baoming.Sessions;
using Hangfire;

namespace Baoming.Feedback;

/// <summary>
/// The organizers' results report on a session's feedback, a while after the request went out
/// (<see cref="FeedbackTopic.ResultsAfter"/>): a Hangfire delayed job, so it survives restarts and runs on
/// one instance. Each organizer gets it once (its own ledger rows under "report:feedbackresults:ID"), however
/// often the job runs. Keep the type and method names: scheduled jobs store them.
/// </summary>
public sealed class FeedbackResultsJob(FeedbackRepository feedback, SessionRepository sessions, OrganizerReports reports)
{
    /// <summary>The ledger key of the results report, apart from the request's own report.</summary>
    public const string ReportKind = "feedbackresults";

    public static TopicKey ReportKey(long sessionId) => TopicKey.Of(ReportKind, sessionId);

    /// <summary>Plants the report for <paramref name="at"/> (at once when that has passed); returns the Hangfire job id.</summary>
    public static string Schedule(IBackgroundJobClient jobs, long sessionId, DateTimeOffset at) =>
        jobs.Schedule<FeedbackResultsJob>(job => job.RunAsync(sessionId, CancellationToken.None), at);

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 15, 60, 300, 900])]
    public async Task RunAsync(long sessionId, CancellationToken cancellationToken)
    {
        if (await sessions.FindAsync(sessionId, cancellationToken) is not { } session)
        {
            return;
        }

        var results = await feedback.ResultsAsync(sessionId, cancellationToken);
        await reports.SendAsync(ReportKey(sessionId), texts => texts.FeedbackResultsReport(session, results), cancellationToken);
    }
}
