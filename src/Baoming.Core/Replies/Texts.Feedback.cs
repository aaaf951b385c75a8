using System.Globalization;
using System.Text;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

/// <summary>
/// A session's feedback so far: how many members gave each score (index 0 is score 1), how many also wrote a
/// comment, and whether the request has gone out at all.
/// </summary>
public sealed record FeedbackResults(IReadOnlyList<int> Distribution, int Comments, bool IsRequested = true)
{
    public static FeedbackResults None { get; } = new([0, 0, 0, 0, 0], 0, IsRequested: false);

    /// <summary>Members who gave a score (each counted once, whatever they pressed).</summary>
    public int Count => Distribution.Sum();

    /// <summary>The mean score, or null with no score yet.</summary>
    public double? Average => Count == 0 ? null : (double)Distribution.Select((n, i) => n * (i + 1)).Sum() / Count;

    /// <summary>"4.3": one decimal, half away from zero, the same in every language.</summary>
    public string AverageText => Average is { } average
        ? Math.Round(average, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture)
        : "–";
}

// Feedback after a session (issue 17): the request to attendees with 1–5 buttons, the optional comment,
// and the results for organizers (/feedback, /sessions, the reports). Plain text: a title or a comment
// with "<" never breaks a message.
public sealed partial class Texts
{
    /// <summary>The longest comment, in characters: a line or two, not a letter.</summary>
    public const int FeedbackCommentMaxLength = 500;

    /// <summary>Blocks of the longest bar in the distribution.</summary>
    private const int FeedbackBarWidth = 10;

    /// <summary>The one request each attendee gets: the title, the five scores in a row, and the invitation to say more.</summary>
    public Reply FeedbackRequest(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var text = Pick(
            $"「{session.Title}」这场你觉得怎么样？\n点一个分数：1 很一般 … 5 非常好。\n打分之后还可以说说：还想聊什么？",
            $"How was \"{session.Title}\"?\nTap a score: 1 poor … 5 excellent.\nAfterwards you can tell us what else you'd like to talk about.");
        Button[] scores = [.. Enumerable.Range(CallbackData.Feedback.MinScore, CallbackData.Feedback.MaxScore)
            .Select(score => new Button(score.ToString(CultureInfo.InvariantCulture), CallbackData.Feedback.Score(session.Id, score)))];
        return new Reply(text, [scores]);
    }

    /// <summary>
    /// After a press: thanks, and the question for the optional comment with 跳过, unless the member commented
    /// already (then a second press only changes the score).
    /// </summary>
    public Reply FeedbackThanks(long sessionId, int score, bool isChange, bool asksComment)
    {
        var thanks = isChange
            ? Pick($"已把你的评分改为 {score} 分。", $"Your score is now {score}.")
            : Pick($"谢谢你的打分（{score} 分）！", $"Thanks for your score ({score})!");
        return asksComment
            ? Reply.WithButtons(thanks + "\n" + FeedbackCommentQuestion(), [FeedbackSkipButton(sessionId)])
            : Reply.Plain(thanks + Pick("谢谢！", " Thank you!"));
    }

    /// <summary>On the button: only those who attended may score a session; nothing was stored.</summary>
    public string FeedbackNotAttended() => Pick(
        "抱歉，只有参加了这场的朋友才能打分，这次没有记下。谢谢关注！",
        "Sorry, only those who attended this session can rate it; nothing was recorded. Thanks for your interest!");

    /// <summary>An empty text in the comment dialogue: asked again, the dialogue stays open.</summary>
    public Reply FeedbackCommentEmpty(long sessionId) => Reply.WithButtons(
        Pick("没有收到文字哦。", "That message had no text.") + "\n" + FeedbackCommentQuestion(),
        [FeedbackSkipButton(sessionId)]);

    /// <summary>A comment over <see cref="FeedbackCommentMaxLength"/>: asked again, the dialogue stays open.</summary>
    public Reply FeedbackCommentTooLong(long sessionId, int length) => Reply.WithButtons(
        Pick(
            $"这段话有 {length} 字，最多 {FeedbackCommentMaxLength} 字。请精简后再发一次，或点「跳过」。",
            $"That is {length} characters; a comment may have at most {FeedbackCommentMaxLength}. Please shorten it and send it again, or tap \"Skip\"."),
        [FeedbackSkipButton(sessionId)]);

    /// <summary>A sticker, photo or file in the comment dialogue: asked again for words, the dialogue stays open.</summary>
    public Reply FeedbackCommentNotText(long sessionId) => Reply.WithButtons(
        Pick("我只能收下文字哦。", "I can only take words here.") + "\n" + FeedbackCommentQuestion(),
        [FeedbackSkipButton(sessionId)]);

    public Reply FeedbackCommentThanks() => Reply.Plain(Pick(
        "收到，谢谢你的反馈！组织者会看到。",
        "Got it, thank you! The organizers will read it."));

    public Reply FeedbackCommentSkipped() => Reply.Plain(Pick(
        "好的，谢谢你的打分！",
        "OK, thanks for your score!"));

    /// <summary>The line under a session in /sessions: "反馈 4.3 分 · 12 人", or that nobody has answered yet.</summary>
    public string FeedbackFact(FeedbackResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Count == 0
            ? Pick("反馈 · 还没有人打分", "feedback · no scores yet")
            : Pick($"反馈 {results.AverageText} 分 · {results.Count} 人", $"feedback {results.AverageText} · {results.Count} people");
    }

    public Reply FeedbackUsage() => Reply.Plain(Pick(
        "用法：/feedback KEY\n例如：/feedback metaverse\n回复这场的打分人数、平均分、分布，以及文字评论（CSV 文件）。",
        "Usage: /feedback KEY\ne.g. /feedback metaverse\nAnswers with the number of scores, the average, the distribution and the comments (a CSV file)."));

    /// <summary>/feedback KEY: the numbers and the bars, and where the comments are.</summary>
    public Reply FeedbackResultsMessage(Session session, FeedbackResults results)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder(FeedbackSummary(session, results));
        if (results.Count > 0)
        {
            text.Append('\n').Append(results.Comments == 0
                ? Pick("还没有文字评论。", "No comments yet.")
                : Pick($"文字评论 {results.Comments} 条，见 CSV 文件。", $"{results.Comments} comments: see the CSV file."));
        }

        return Reply.Plain(text.ToString());
    }

    /// <summary>The CSV document's caption (Telegram allows 1024 characters, so the title is clipped).</summary>
    public string FeedbackCsvCaption(Session session, FeedbackResults results)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(results);
        var title = ClipTo(session.Title, 200);
        return Pick(
            $"「{title}」的文字评论 {results.Comments} 条（{results.Count} 人打分，平均 {results.AverageText} 分）",
            $"\"{title}\": {results.Comments} comments ({results.Count} scores, average {results.AverageText})");
    }

    /// <summary>The title of the organizers' delivery report once every attendee has been asked.</summary>
    public string FeedbackReportTitle(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Pick($"反馈邀请已发给出席的读者：「{session.Title}」", $"Feedback request sent to the attendees of \"{session.Title}\"");
    }

    /// <summary>The organizers' report a while after the request: the results so far, and where the comments are.</summary>
    public Reply FeedbackResultsReport(Session session, FeedbackResults results)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder(FeedbackSummary(session, results));
        if (results.Comments > 0)
        {
            text.Append('\n').Append(Pick(
                $"文字评论 {results.Comments} 条：发送 /feedback {session.Key} 获取 CSV 文件。",
                $"{results.Comments} comments: send /feedback {session.Key} for the CSV file."));
        }

        return Reply.Plain(text.ToString());
    }

    /// <summary>
    /// "📝「标题」的反馈（时间）", the count and average, then one bar per score from 5 down to 1, the longest
    /// <see cref="FeedbackBarWidth"/> blocks, any score given at least one block.
    /// </summary>
    private string FeedbackSummary(Session session, FeedbackResults results)
    {
        var text = new StringBuilder(Pick($"📝「{session.Title}」的反馈（{When(session)}）\n", $"📝 Feedback on \"{session.Title}\" ({When(session)})\n"));
        if (results.Count == 0)
        {
            return text.Append(results.IsRequested
                ? Pick("还没有人打分。", "No scores yet.")
                : Pick("反馈邀请还没有发出：场次结束后会自动发给出席的读者。", "The feedback request has not gone out yet: attendees get it after the session.")).ToString();
        }

        text.Append(Pick($"{results.Count} 人打分，平均 {results.AverageText} 分", $"{results.Count} scores, average {results.AverageText}"));
        var most = results.Distribution.Max();
        for (var score = CallbackData.Feedback.MaxScore; score >= CallbackData.Feedback.MinScore; score--)
        {
            var count = results.Distribution[score - 1];
            var blocks = count == 0 ? 0 : Math.Max(1, (int)Math.Round((double)count * FeedbackBarWidth / most, MidpointRounding.AwayFromZero));
            text.Append('\n').Append(Pick($"{score} 分 ", $"{score} ")).Append('█', blocks).Append(blocks > 0 ? " " : "").Append(count);
        }

        return text.ToString();
    }

    private string FeedbackCommentQuestion() => Pick(
        "还想聊什么？直接回复一句话，或点「跳过」",
        "What else would you like to talk about? Just reply with a line, or tap \"Skip\"");

    private Button FeedbackSkipButton(long sessionId) => new(Pick("跳过", "Skip"), CallbackData.Feedback.Skip(sessionId));
}
