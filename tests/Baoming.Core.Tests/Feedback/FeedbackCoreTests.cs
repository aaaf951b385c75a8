using System.Text;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Core.Tests.Feedback;

/// <summary>The feedback buttons' codec and what readers and organizers read about feedback.</summary>
public sealed class FeedbackCoreTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static readonly Session Metaverse = new()
    {
        Id = 42,
        Key = "metaverse",
        Title = "到底什么是\"元宇宙\"",
        StartsAt = new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8)),
    };

    private static Texts Chinese => new(Language.Chinese, Shanghai);

    private static Texts English => new(Language.English, Shanghai);

    [Fact]
    public void A_score_and_a_skip_are_built_under_the_feedback_prefix_and_parse_back()
    {
        Assert.Equal("fb:42:5", CallbackData.Feedback.Score(42, 5));
        Assert.Equal("fb:42:skip", CallbackData.Feedback.Skip(42));

        Assert.True(CallbackData.Feedback.TryParse("42:1", out var id, out var score));
        Assert.Equal((42, 1), (id, score));
        Assert.True(CallbackData.Feedback.TryParse("42:skip", out id, out score));
        Assert.Equal(42, id);
        Assert.Null(score);
    }

    [Theory]
    [InlineData("42:0")]
    [InlineData("42:6")]
    [InlineData("42:9")]
    [InlineData("42:55")]
    [InlineData("42:-1")]
    [InlineData("42:+5")]
    [InlineData("42: 5")]
    [InlineData("42:５")]
    [InlineData("042:5")]
    [InlineData("0:5")]
    [InlineData("-42:5")]
    [InlineData("42")]
    [InlineData("42:")]
    [InlineData(":5")]
    [InlineData("42:5:5")]
    [InlineData("42:SKIP")]
    [InlineData("42:skip ")]
    [InlineData("")]
    [InlineData(null)]
    public void Forged_or_out_of_range_payloads_do_not_parse(string? payload)
    {
        Assert.False(CallbackData.Feedback.TryParse(payload, out var id, out var score));
        Assert.Equal(0, id);
        Assert.Null(score);
    }

    [Fact]
    public void Scores_outside_one_to_five_cannot_be_built()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CallbackData.Feedback.Score(42, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CallbackData.Feedback.Score(42, 6));
    }

    [Fact]
    public void The_largest_session_id_still_fits_telegrams_64_byte_limit()
    {
        Assert.InRange(Encoding.UTF8.GetByteCount(CallbackData.Feedback.Skip(long.MaxValue)), 1, CallbackData.MaxBytes);
        Assert.True(CallbackData.Feedback.TryParse(CallbackData.Feedback.Score(long.MaxValue, 3)[3..], out var id, out var score));
        Assert.Equal((long.MaxValue, 3), (id, score));
    }

    [Fact]
    public void The_request_names_the_session_and_offers_the_five_scores_in_one_row()
    {
        var request = Chinese.FeedbackRequest(Metaverse);

        Assert.StartsWith("「到底什么是\"元宇宙\"」这场你觉得怎么样？", request.Text, StringComparison.Ordinal);
        Assert.Contains("还想聊什么？", request.Text);
        Assert.False(request.IsHtml);
        var row = Assert.Single(request.Keyboard);
        Assert.Equal(["1", "2", "3", "4", "5"], row.Select(b => b.Text));
        Assert.Equal(["fb:42:1", "fb:42:2", "fb:42:3", "fb:42:4", "fb:42:5"], row.Select(b => b.Data));
        Assert.StartsWith("How was \"到底什么是\"元宇宙\"\"?", English.FeedbackRequest(Metaverse).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_first_score_the_comment_is_asked_for_with_a_skip_button()
    {
        var thanks = Chinese.FeedbackThanks(42, 4, isChange: false, asksComment: true);

        Assert.Equal("谢谢你的打分（4 分）！\n还想聊什么？直接回复一句话，或点「跳过」", thanks.Text);
        var skip = Assert.Single(thanks.Buttons);
        Assert.Equal(("跳过", "fb:42:skip"), (skip.Text, skip.Data));
    }

    [Fact]
    public void A_changed_score_after_a_comment_asks_nothing_more()
    {
        var thanks = Chinese.FeedbackThanks(42, 2, isChange: true, asksComment: false);

        Assert.Equal("已把你的评分改为 2 分。谢谢！", thanks.Text);
        Assert.Empty(thanks.Buttons);
    }

    [Theory]
    [InlineData(new[] { 0, 0, 0, 0, 0 }, null, "–")]
    [InlineData(new[] { 0, 0, 0, 1, 0 }, 4.0, "4.0")]
    [InlineData(new[] { 1, 0, 0, 0, 1 }, 3.0, "3.0")]
    [InlineData(new[] { 0, 0, 0, 3, 1 }, 4.25, "4.3")]
    [InlineData(new[] { 0, 0, 1, 1, 1 }, 4.0, "4.0")]
    [InlineData(new[] { 0, 0, 0, 7, 5 }, 4 + 5.0 / 12, "4.4")]
    public void The_average_is_the_mean_score_with_one_decimal(int[] distribution, double? average, string text)
    {
        var results = new FeedbackResults(distribution, 0);

        Assert.Equal(distribution.Sum(), results.Count);
        if (average is { } expected)
        {
            Assert.Equal(expected, results.Average!.Value, precision: 9);
        }
        else
        {
            Assert.Null(results.Average);
        }

        Assert.Equal(text, results.AverageText);
    }

    [Fact]
    public void The_sessions_line_gives_the_average_and_the_number_of_people()
    {
        var results = new FeedbackResults([0, 0, 1, 5, 6], 3);

        Assert.Equal("反馈 4.4 分 · 12 人", Chinese.FeedbackFact(results));
        Assert.Equal("feedback 4.4 · 12 people", English.FeedbackFact(results));
        Assert.Equal("反馈 · 还没有人打分", Chinese.FeedbackFact(new FeedbackResults([0, 0, 0, 0, 0], 0)));
    }

    [Fact]
    public void The_results_show_one_bar_per_score_from_five_down_the_longest_ten_blocks()
    {
        var message = Chinese.FeedbackResultsMessage(Metaverse, new FeedbackResults([1, 0, 2, 4, 8], 3));

        Assert.Equal(
            "📝「到底什么是\"元宇宙\"」的反馈（2月17日 周三 19:30（北京时间））\n" +
            "15 人打分，平均 4.2 分\n" +
            "5 分 ██████████ 8\n" +
            "4 分 █████ 4\n" +
            "3 分 ███ 2\n" +
            "2 分 0\n" +
            "1 分 █ 1\n" +
            "文字评论 3 条，见 CSV 文件。",
            message.Text);
    }

    [Fact]
    public void Results_before_the_request_and_before_any_score_say_so()
    {
        Assert.EndsWith("反馈邀请还没有发出：场次结束后会自动发给出席的读者。", Chinese.FeedbackResultsMessage(Metaverse, FeedbackResults.None).Text, StringComparison.Ordinal);
        Assert.EndsWith("还没有人打分。", Chinese.FeedbackResultsMessage(Metaverse, new FeedbackResults([0, 0, 0, 0, 0], 0)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_results_report_points_to_the_command_for_the_comments()
    {
        var report = English.FeedbackResultsReport(Metaverse, new FeedbackResults([0, 0, 0, 1, 1], 2));

        Assert.Contains("2 scores, average 4.5", report.Text);
        Assert.EndsWith("2 comments: send /feedback metaverse for the CSV file.", report.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_over_long_comment_is_asked_again_with_its_length_and_the_skip_button()
    {
        var again = Chinese.FeedbackCommentTooLong(42, 501);

        Assert.Equal("这段话有 501 字，最多 500 字。请精简后再发一次，或点「跳过」。", again.Text);
        Assert.Equal("fb:42:skip", again.Buttons.Single().Data);
    }
}
