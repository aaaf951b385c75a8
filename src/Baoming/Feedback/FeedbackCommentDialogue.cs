using System.Text.Json;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Feedback;

/// <summary>
/// The optional comment after a score ("还想聊什么？"): the member's next text is it. 跳过 (typed or pressed)
/// ends it without one; an empty or over-long text, a sticker or a file is asked again and the question stays
/// open; a clear request the parser understands (报名, 取消, 我的报名, 帮助, a 留言 …) closes it and is handled
/// as if no question were open. A command never reaches it: the engine closes the dialogue and runs the command.
/// </summary>
public sealed class FeedbackCommentDialogue(
    FeedbackRepository feedback,
    DialogueStore dialogues,
    IntentRouter router,
    TimeProvider time) : IDialogueHandler
{
    public const string DialogueKind = "feedback.comment";

    /// <summary>Typed instead of pressing 跳过.</summary>
    private static readonly HashSet<string> SkipWords = new(StringComparer.OrdinalIgnoreCase) { "跳过", "跳過", "skip", "不用了", "没有", "沒有", "无", "無" };

    /// <summary>The dialogue's state: which session the comment is on.</summary>
    public sealed record State(long SessionId);

    public string Kind => DialogueKind;

    public Role Requires => Role.Reader;

    public static long? Read(JsonElement state) =>
        state.ValueKind == JsonValueKind.Object && state.TryGetProperty(nameof(State.SessionId), out var id) && id.TryGetInt64(out var value) && value > 0
            ? value
            : null;

    public async Task<Response> HandleAsync(ChatContext context, string text, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        if (Read(state) is not { } sessionId)
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
            return await router.RouteAsync(context, MessageParser.Parse(text), cancellationToken);
        }

        var comment = text.Trim();
        if (comment.Length == 0)
        {
            return context.Reply(texts.FeedbackCommentEmpty(sessionId));
        }

        if (SkipWords.Contains(comment.TrimEnd('。', '.', '!', '！')))
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
            return context.Reply(texts.FeedbackCommentSkipped());
        }

        if (comment.Length > Texts.FeedbackCommentMaxLength)
        {
            // A letter is a comment, never a request: asked to shorten it, the question stays open.
            return context.Reply(texts.FeedbackCommentTooLong(sessionId, comment.Length));
        }

        if (MessageParser.Parse(comment) is var intent && IsRequest(intent))
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
            return await router.RouteAsync(context, intent, cancellationToken);
        }

        await dialogues.CloseAsync(context.MemberId, cancellationToken);
        return await feedback.SaveCommentAsync(sessionId, context.MemberId, comment, time.GetUtcNow(), cancellationToken)
            ? context.Reply(texts.FeedbackCommentThanks())
            : await router.RouteAsync(context, intent, cancellationToken);
    }

    /// <summary>A sticker, photo or file while the comment is asked for: asked again for words.</summary>
    public Task<Response?> HandleOtherAsync(ChatContext context, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult<Response?>(Read(state) is { } sessionId ? context.Reply(context.Texts.FeedbackCommentNotText(sessionId)) : null);
    }

    /// <summary>What the parser understands as something a reader asks the bot for, rather than words about the session.</summary>
    private static bool IsRequest(Intent intent) =>
        intent is Intent.SignUp or Intent.Cancel or Intent.Ask or Intent.MySignups or Intent.Help or Intent.Start or Intent.Note;
}
