using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Questions;
using Baoming.Core.Replies;
using Baoming.Sessions;

namespace Baoming.Questions;

/// <summary>
/// <c>/editsession KEY questions 公司* ; 职位 ; 行业: 汽车|互联网|金融</c> (<see cref="QuestionSyntax"/>; <c>-</c>
/// clears): checked, stored without losing an answer (<see cref="QuestionPlan"/>), audited as <c>session.edit</c>.
/// </summary>
public sealed class QuestionsEditField(QuestionRepository questions, AuditLog audit) : ISessionEditField
{
    public string Name => "questions";

    public async Task<Response> EditAsync(ChatContext context, SessionCounts found, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(found);
        var texts = context.Texts;
        var parsed = QuestionSyntax.Parse(value);
        if (!parsed.IsOk)
        {
            // The first few problems, each naming its question: enough to fix the line in one go.
            return context.Reply(texts.QuestionsUsage(string.Join('\n', parsed.Problems.Take(3).Select(texts.QuestionProblemText))));
        }

        var wanted = QuestionRules.Tidy(parsed.Questions);
        var session = found.Session;
        var (before, isChange) = await questions.ReplaceAsync(session.Id, wanted, cancellationToken);
        if (isChange)
        {
            await audit.WriteAsync(context.MemberId, "session.edit", new
            {
                session_id = session.Id,
                key = session.Key,
                field = Name,
                before = QuestionSyntax.Format(before),
                after = QuestionSyntax.Format(wanted),
            }, cancellationToken);
        }

        return context.Reply(texts.QuestionsEdited(session, wanted, found.IsFromConfiguration));
    }
}
