using Baoming.Core.Questions;
using Baoming.Sessions;

namespace Baoming.Questions;

/// <summary>
/// Brings <c>Sessions:N:Questions</c> into the database after the start-up sync, as the other configured
/// fields are: the configuration is the truth for a configured session (a chat edit of its questions lasts
/// until the next start). Converges: the same configuration again changes nothing, and an unchanged
/// question text keeps its id and answers.
/// </summary>
public sealed partial class QuestionConfigSync(QuestionRepository questions, ILogger<QuestionConfigSync> logger) : ISessionConfigHook
{
    public async Task SyncedAsync(IReadOnlyList<(long SessionId, SessionConfig Config)> sessions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        foreach (var (sessionId, config) in sessions)
        {
            var wanted = QuestionRules.Tidy(config.Questions.Select(q => new QuestionSpec(q.Text, q.Choices, q.Required)));
            var (_, isChange) = await questions.ReplaceAsync(sessionId, wanted, cancellationToken);
            if (isChange)
            {
                LogQuestionsSynced(config.Key, wanted.Count);
            }
        }
    }

    [LoggerMessage(EventId = 1180, Level = LogLevel.Information, Message = "Questions of session {Key} set from the configuration: {Count}")]
    private partial void LogQuestionsSynced(string key, int count);
}
