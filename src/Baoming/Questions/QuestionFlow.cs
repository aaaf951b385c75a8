using System.Text.Json;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Questions;
using Baoming.Core.Replies;
using Baoming.Sessions;

namespace Baoming.Questions;

/// <summary>Where a member is in a session's questions: the open dialogue's state.</summary>
public sealed record QuestionState(long SessionId, long QuestionId)
{
    public static QuestionState? From(JsonElement state) =>
        state.ValueKind == JsonValueKind.Object
        && state.TryGetProperty("s", out var session) && session.TryGetInt64(out var sessionId)
        && state.TryGetProperty("q", out var question) && question.TryGetInt64(out var questionId)
            ? new QuestionState(sessionId, questionId)
            : null;

    /// <summary>Short names: the state is stored with every step.</summary>
    public object ToJson() => new { s = SessionId, q = QuestionId };
}

/// <summary>
/// Walks a member through a session's questions, one at a time, in a dialogue (<see cref="DialogueKind"/>):
/// asks the first, moves on after an answer, a skip or a kept answer, and at the end closes the dialogue
/// and thanks with what was recorded. Shared by the sign-up, the dialogue and the buttons.
/// </summary>
public sealed class QuestionFlow(QuestionRepository questions, SessionRepository sessions, DialogueStore dialogues)
{
    public const string DialogueKind = "questions.answer";

    /// <summary>
    /// Opens the dialogue at the first question and asks it, showing an answer already recorded (a member
    /// who cancelled and signed up again, or one changing answers). Null when the session has no questions.
    /// </summary>
    public async Task<Reply?> StartAsync(long memberId, Session session, Texts texts, bool isEdit, CancellationToken cancellationToken)
    {
        var current = await questions.CurrentAsync(session.Id, cancellationToken);
        if (current.Count == 0)
        {
            return null;
        }

        var answers = await questions.AnswersAsync(session.Id, memberId, cancellationToken);
        var first = current[0];
        await dialogues.OpenAsync(memberId, DialogueKind, new QuestionState(session.Id, first.Id).ToJson(), cancellationToken);
        return texts.AskQuestion(first, current.Count, answers.GetValueOrDefault(first.Id), texts.QuestionsIntro(session, current.Count, isEdit));
    }

    /// <summary>
    /// After question <paramref name="answeredId"/>: asks the next one, or closes the dialogue and thanks.
    /// A question taken out meanwhile starts the questions again from the first.
    /// </summary>
    public async Task<Reply> NextAsync(long memberId, long sessionId, long answeredId, Texts texts, CancellationToken cancellationToken)
    {
        var current = await questions.CurrentAsync(sessionId, cancellationToken);
        var answers = await questions.AnswersAsync(sessionId, memberId, cancellationToken);
        if (current.Count == 0)
        {
            // Every question was cleared meanwhile: nothing left to ask.
            await dialogues.CloseAsync(memberId, cancellationToken);
            return texts.AnswersThanks(await SessionAsync(sessionId, cancellationToken), []);
        }

        var index = current.ToList().FindIndex(q => q.Id == answeredId);
        var next = index < 0 ? current[0] : index + 1 < current.Count ? current[index + 1] : null;
        if (next is null)
        {
            await dialogues.CloseAsync(memberId, cancellationToken);
            return texts.AnswersThanks(await SessionAsync(sessionId, cancellationToken), [.. current.Select(q => (q, answers.GetValueOrDefault(q.Id)))]);
        }

        await dialogues.OpenAsync(memberId, DialogueKind, new QuestionState(sessionId, next.Id).ToJson(), cancellationToken);
        return texts.AskQuestion(next, current.Count, answers.GetValueOrDefault(next.Id));
    }

    /// <summary>Sessions are cancelled, never deleted: a session someone answered questions of is always found.</summary>
    private async Task<Session> SessionAsync(long sessionId, CancellationToken cancellationToken) =>
        await sessions.FindAsync(sessionId, cancellationToken) ?? throw new InvalidOperationException($"Session {sessionId} has questions but no row.");

    /// <summary>The same question again, after <paramref name="problem"/>; null when it is no longer asked.</summary>
    public async Task<Reply?> AskAgainAsync(long memberId, QuestionState state, string problem, Texts texts, CancellationToken cancellationToken)
    {
        var current = await questions.CurrentAsync(state.SessionId, cancellationToken);
        if (current.FirstOrDefault(q => q.Id == state.QuestionId) is not { } question)
        {
            return null;
        }

        var answers = await questions.AnswersAsync(state.SessionId, memberId, cancellationToken);
        return texts.AskQuestion(question, current.Count, answers.GetValueOrDefault(question.Id), problem);
    }

    /// <summary>The open questions dialogue of the member, if any.</summary>
    public async Task<QuestionState?> OpenStateAsync(long memberId, CancellationToken cancellationToken) =>
        await dialogues.FindAsync(memberId, cancellationToken) is { Kind: DialogueKind } open ? QuestionState.From(open.State) : null;

    public Task CloseAsync(long memberId, CancellationToken cancellationToken) => dialogues.CloseAsync(memberId, cancellationToken);
}
