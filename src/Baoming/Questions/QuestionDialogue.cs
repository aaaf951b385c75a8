using System.Text.Json;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Questions;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;
using Baoming.Sessions;

namespace Baoming.Questions;

/// <summary>
/// A reader's text while a session's questions are open: the answer to the current question (typed, or a
/// choice typed out), 跳过 / 不变, or a clear reader request (报名…, 取消…, 我的报名, 帮助, 留言…), which closes
/// the questions and goes where it would have gone, so nobody is stuck in them. Bad answers (empty,
/// over-long, not a choice, a sticker) get the question again with the reason; a required one cannot be skipped.
/// </summary>
public sealed class QuestionDialogue(
    QuestionFlow flow,
    QuestionRepository questions,
    SessionRepository sessions,
    IntentRouter router,
    IOptions<CommunityOptions> community) : IDialogueHandler
{
    private readonly TimeZoneInfo zone = community.Value.Zone;

    public string Kind => QuestionFlow.DialogueKind;

    public Role Requires => Role.Reader;

    public async Task<Response> HandleAsync(ChatContext context, string text, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        var current = QuestionState.From(state) is { } found ? await FindAsync(found, cancellationToken) : null;
        if (current is not var (at, question))
        {
            // The questions changed under the dialogue or its state is unreadable: the text is read as any other.
            await flow.CloseAsync(context.MemberId, cancellationToken);
            return await router.RouteAsync(context, MessageParser.Parse(text), cancellationToken);
        }

        var answers = await questions.AnswersAsync(at.SessionId, context.MemberId, cancellationToken);
        var check = AnswerRules.Check(question.Spec, text, answers.ContainsKey(question.Id));

        // A choice typed out is an answer whatever it says; anything else may be the reader asking for something else.
        if (!(check is AnswerCheck.Accepted && question.IsChoice) && await ReaderRequestAsync(text, cancellationToken) is { } request)
        {
            await flow.CloseAsync(context.MemberId, cancellationToken);
            var handed = await router.RouteAsync(context, request, cancellationToken);
            var session = await sessions.FindAsync(at.SessionId, cancellationToken);
            return session is null ? handed : handed with { Messages = [new Outgoing(context.ChatId, texts.QuestionsLeftForLater(session)), .. handed.Messages] };
        }

        var recorded = check switch
        {
            AnswerCheck.Accepted accepted => await questions.AnswerAsync(question.Id, context.MemberId, accepted.Answer, cancellationToken),
            AnswerCheck.Skip => await questions.AnswerAsync(question.Id, context.MemberId, null, cancellationToken),
            AnswerCheck.Keep => true,
            _ => (bool?)null,
        };
        switch (recorded)
        {
            case true:
                return context.Reply(await flow.NextAsync(context.MemberId, at.SessionId, question.Id, texts, cancellationToken));
            case false:
                // No longer signed up (cancelled by a button meanwhile): nothing to record, the text is read as any other.
                await flow.CloseAsync(context.MemberId, cancellationToken);
                return await router.RouteAsync(context, MessageParser.Parse(text), cancellationToken);
            default:
                return context.Reply(texts.AskQuestion(question, (await questions.CurrentAsync(at.SessionId, cancellationToken)).Count,
                    answers.GetValueOrDefault(question.Id), texts.AnswerProblem(check)));
        }
    }

    /// <summary>A sticker, photo or voice note: the question again, asking for text.</summary>
    public async Task<Response?> HandleOtherAsync(ChatContext context, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return QuestionState.From(state) is { } at
            && await flow.AskAgainAsync(context.MemberId, at, context.Texts.AnswerTextOnly(), context.Texts, cancellationToken) is { } again
                ? context.Reply(again)
                : null;
    }

    private async Task<(QuestionState At, SessionQuestion Question)?> FindAsync(QuestionState at, CancellationToken cancellationToken) =>
        (await questions.CurrentAsync(at.SessionId, cancellationToken)).FirstOrDefault(q => q.Id == at.QuestionId) is { } question ? (at, question) : null;

    /// <summary>
    /// The reader asking for something else rather than answering: 我的报名, 帮助, 取消…, 留言…, or 报名 / a
    /// question about signing up that is bare or names a session. "参加一个技术沙龙" names none: an answer.
    /// </summary>
    private async Task<Intent?> ReaderRequestAsync(string text, CancellationToken cancellationToken)
    {
        var intent = MessageParser.Parse(text);
        switch (intent)
        {
            case Intent.MySignups or Intent.Help or Intent.Cancel or Intent.Note or Intent.SignUp { Query: null }:
                return intent;
            case Intent.SignUp { Query: { } query }:
                return await NamesSessionAsync(query, cancellationToken) ? intent : null;
            case Intent.Ask { Query: { } asked }:
                return await NamesSessionAsync(asked, cancellationToken) ? intent : null;
            default:
                return null;
        }
    }

    private async Task<bool> NamesSessionAsync(string query, CancellationToken cancellationToken) =>
        SessionMatcher.Match(query, await sessions.GetOpenAsync(cancellationToken), zone) is MatchResult.One or MatchResult.Many;
}
