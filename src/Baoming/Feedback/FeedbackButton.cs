using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Understanding;

namespace Baoming.Feedback;

/// <summary>
/// The feedback request's buttons ("fb:42:5") and 跳过 ("fb:42:skip"). A score is stored only for a member who
/// attended the session (anyone else is told so on the button, and nothing is stored); a second press changes
/// the score, the member is still counted once. After a first score the optional comment is asked for.
/// Forged or out-of-range data: null, the engine's expired-button answer.
/// </summary>
public sealed class FeedbackButton(FeedbackRepository feedback, DialogueStore dialogues, TimeProvider time) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.Feedback;

    public Role Requires => Role.Reader;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        if (!CallbackData.Feedback.TryParse(payload, out var sessionId, out var pressed))
        {
            return null;
        }

        if (pressed is not { } score)
        {
            return await SkipAsync(context, sessionId, cancellationToken);
        }

        var result = await feedback.RecordScoreAsync(sessionId, context.MemberId, score, time.GetUtcNow(), cancellationToken);
        if (result.Outcome == ScoreOutcome.NotAttended)
        {
            return new Response([], texts.FeedbackNotAttended());
        }

        // Whoever commented already is not asked again: the press only changes the score.
        var asksComment = !result.HasComment;
        if (asksComment)
        {
            await dialogues.OpenAsync(context.MemberId, FeedbackCommentDialogue.DialogueKind, new FeedbackCommentDialogue.State(sessionId), cancellationToken);
        }

        return context.Reply(texts.FeedbackThanks(sessionId, score, isChange: result.Outcome == ScoreOutcome.Changed, asksComment));
    }

    /// <summary>跳过 while the comment on this session is asked for closes the question; pressed later, it only says thanks on the button.</summary>
    private async Task<Response> SkipAsync(ChatContext context, long sessionId, CancellationToken cancellationToken)
    {
        var open = await dialogues.FindAsync(context.MemberId, cancellationToken);
        if (open is null || open.Kind != FeedbackCommentDialogue.DialogueKind || FeedbackCommentDialogue.Read(open.State) != sessionId)
        {
            return new Response([], context.Texts.FeedbackCommentSkipped().Text);
        }

        await dialogues.CloseAsync(context.MemberId, cancellationToken);
        return context.Reply(context.Texts.FeedbackCommentSkipped());
    }
}
