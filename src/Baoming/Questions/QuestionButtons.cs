using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;
using Baoming.Sessions;

namespace Baoming.Questions;

/// <summary>
/// The questions' buttons ("qa:…"): a choice, 跳过 or 保持不变 under a question, and 修改回答 under 我的报名.
/// A choice pressed on an earlier question's message still counts (it changes that answer) but moves the
/// questions on only when it is the question being asked, so a double tap never asks the next one twice.
/// Nothing is recorded for a member no longer signed up: the button has expired.
/// </summary>
public sealed class QuestionButtons(QuestionFlow flow, QuestionRepository questions, SessionRepository sessions) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.Question;

    public Role Requires => Role.Reader;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Questions.TryParse(payload, out var button))
        {
            return null;
        }

        if (button is QuestionButton.Edit edit)
        {
            return await EditAsync(context, edit.SessionId, cancellationToken);
        }

        var questionId = button switch
        {
            QuestionButton.Choose choose => choose.QuestionId,
            QuestionButton.Skip skip => skip.QuestionId,
            QuestionButton.Keep keep => keep.QuestionId,
            _ => 0,
        };
        if (await questions.FindCurrentAsync(questionId, cancellationToken) is not var (sessionId, question))
        {
            return null;
        }

        var texts = context.Texts;
        string notice;
        switch (button)
        {
            case QuestionButton.Choose { Choice: var choice } when choice <= question.Choices.Count:
                var answer = question.Choices[choice - 1];
                if (!await questions.AnswerAsync(question.Id, context.MemberId, answer, cancellationToken))
                {
                    return null;
                }

                notice = texts.AnswerRecorded(answer);
                break;
            case QuestionButton.Skip when question.IsRequired:
                return new Response([], texts.QuestionRequired());
            case QuestionButton.Skip:
                if (!await questions.AnswerAsync(question.Id, context.MemberId, null, cancellationToken))
                {
                    return null;
                }

                notice = texts.QuestionSkipped();
                break;
            case QuestionButton.Keep when await questions.IsSignedUpAsync(sessionId, context.MemberId, cancellationToken):
                notice = texts.AnswerKept();
                break;
            default:
                return null;
        }

        return await flow.OpenStateAsync(context.MemberId, cancellationToken) is { } at && at.SessionId == sessionId && at.QuestionId == question.Id
            ? new Response([new Outgoing(context.ChatId, await flow.NextAsync(context.MemberId, sessionId, question.Id, texts, cancellationToken))], notice)
            : new Response([], notice);
    }

    /// <summary>修改回答: the questions again from the first, each showing the recorded answer.</summary>
    private async Task<Response?> EditAsync(ChatContext context, long sessionId, CancellationToken cancellationToken)
    {
        if (await sessions.FindAsync(sessionId, cancellationToken) is not { } session
            || !await questions.IsSignedUpAsync(sessionId, context.MemberId, cancellationToken)
            || await flow.StartAsync(context.MemberId, session, context.Texts, isEdit: true, cancellationToken) is not { } first)
        {
            return null;
        }

        return new Response([new Outgoing(context.ChatId, first)]);
    }
}
