using System.Text;
using Baoming.Core.Export;
using Baoming.Delivery;
using Baoming.Export;
using Baoming.Feedback;
using Baoming.Tests.Export;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Feedback;

/// <summary>
/// Feedback after a session end to end through the fake Bot API: the request to attendees only, once; the
/// 1–5 buttons (a member counted once), the optional comment and its re-asks; and the results in
/// <c>/feedback</c>, <c>/sessions</c>, the export and the organizers' reports.
/// </summary>
public sealed class FeedbackTests : IAsyncLifetime
{
    private const long Organizer = 9001;

    /// <summary>Attended (Chinese, and one in English).</summary>
    private const long Came = 5001;
    private const long CameToo = 5002;

    /// <summary>Confirmed but never came.</summary>
    private const long NoShow = 5003;

    /// <summary>Never signed up for the session.</summary>
    private const long Stranger = 5004;

    private const string Key = "review";
    private const string Title = "一月复盘会";

    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset SignedUpAt = BotHarness.Now.AddDays(-2).ToUniversalTime();

    private BotHarness bot = null!;
    private long sessionId;

    public async Task InitializeAsync()
    {
        // A session that started three hours before the harness's clock: 90 minutes long, so it is over.
        var settings = BotHarness.ExtraSession(2, Key, Title, BotHarness.Now.AddHours(-3));
        settings["Community:Organizers:0"] = Organizer.ToString(System.Globalization.CultureInfo.InvariantCulture);
        bot = await BotHarness.StartAsync(settings);
        sessionId = await bot.SessionIdAsync(Key);
        await ExportData.SeedAsync(
            bot.ConnectionString,
            Key,
            new SeedRegistration(Came, "来了的", "confirmed", SignedUpAt, "came"),
            new SeedRegistration(CameToo, "Jane Doe", "confirmed", SignedUpAt.AddMinutes(1), "jane", Language: "en"),
            new SeedRegistration(NoShow, "没来的", "confirmed", SignedUpAt.AddMinutes(2)));
        await MarkAttendedAsync(Came, CameToo);
        await bot.ScalarAsync<int>("insert into members (id, display_name, language_code) values (@Stranger, '路人', 'zh-hans') returning 1", new { Stranger });

        // Only members can be written to: the organizer has talked to the bot before any report.
        await bot.AskAsync(Organizer, "/whoami");
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    /// <summary>As H2's attendance recording would: set with SQL here.</summary>
    private Task<int> MarkAttendedAsync(params long[] members) =>
        bot.ScalarAsync<int>(
            "update registrations set attended_at = now(), attended_via = 'import' where session_id = @sessionId and member_id = any(@members) returning 1",
            new { sessionId, members });

    private Task<DeliveryStats> RunRequestAsync() =>
        bot.Host.Services.GetRequiredService<FanOut>().RunAsync(FeedbackTopic.Key(sessionId), null, CancellationToken.None);

    private static bool IsRequest(SentMessage m) =>
        m.Text.StartsWith($"「{Title}」这场你觉得怎么样？", StringComparison.Ordinal) || m.Text.StartsWith($"How was \"{Title}\"?", StringComparison.Ordinal);

    private string Score(int score) => $"fb:{sessionId}:{score}";

    private string Skip => $"fb:{sessionId}:skip";

    private Task<long> FeedbackRowsAsync() => bot.ScalarAsync<long>("select count(*) from feedback");

    private Task<string?> CommentOfAsync(long member) =>
        bot.ScalarAsync<string?>("select comment from feedback where member_id = @member", new { member });

    private Task<long> OpenDialoguesAsync(long member) => bot.ScalarAsync<long>("select count(*) from dialogs where member_id = @member", new { member });

    [Fact]
    public async Task The_request_goes_to_attendees_only_and_exactly_once_across_re_runs()
    {
        // Act
        var first = await RunRequestAsync();
        var second = await RunRequestAsync();

        // Assert
        Assert.Equal((2, 0), (first.Sent, first.Pending));
        Assert.Equal(2, second.Sent);
        var request = Assert.Single(bot.Telegram.MessagesTo(Came), IsRequest);
        Assert.Contains("还想聊什么？", request.Text);
        Assert.Equal([Score(1), Score(2), Score(3), Score(4), Score(5)], request.Buttons().Select(b => b.CallbackData));
        Assert.StartsWith("How was", Assert.Single(bot.Telegram.MessagesTo(CameToo), IsRequest).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(bot.Telegram.MessagesTo(NoShow), IsRequest);
        Assert.DoesNotContain(bot.Telegram.MessagesTo(Stranger), IsRequest);
        var report = Assert.Single(bot.Telegram.MessagesTo(Organizer), m => m.Text.Contains("反馈邀请已发给出席的读者", StringComparison.Ordinal));
        Assert.Contains($"「{Title}」", report.Text);
        Assert.Contains("已送达 2", report.Text);

        // An attendance recorded later (an import after the first run) gets its request on the next run, once.
        await MarkAttendedAsync(NoShow);
        await RunRequestAsync();
        await RunRequestAsync();
        Assert.Single(bot.Telegram.MessagesTo(NoShow), IsRequest);
        Assert.Single(bot.Telegram.MessagesTo(Came), IsRequest);
        Assert.Single(bot.Telegram.MessagesTo(CameToo), IsRequest);

        // The results report is planted once, a day after the request, as a Hangfire delayed job.
        var planted = await bot.QueryAsync<string>(
            "select statename from hangfire.job where invocationdata::text like '%FeedbackResultsJob%'");
        Assert.Equal(["Scheduled"], planted);
    }

    [Fact]
    public async Task A_session_not_over_yet_or_cancelled_is_not_asked_about()
    {
        // Arrange: the request fires early (the session was moved later), then the session is cancelled.
        await bot.ScalarAsync<int>("update sessions set starts_at = @later where id = @sessionId returning 1", new { later = BotHarness.Now.AddMinutes(-30).UtcDateTime, sessionId });
        var early = await RunRequestAsync();
        await bot.ScalarAsync<int>("update sessions set starts_at = @before, cancelled_at = now() where id = @sessionId returning 1", new { before = BotHarness.Now.AddHours(-3).UtcDateTime, sessionId });
        var cancelled = await RunRequestAsync();

        // Assert
        Assert.Equal(0, early.Total);
        Assert.Equal(0, cancelled.Total);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from feedback_requests"));
        Assert.DoesNotContain(bot.Telegram.MessagesTo(Came), IsRequest);
    }

    [Fact]
    public async Task A_score_pressed_twice_is_counted_once_and_the_second_press_changes_it()
    {
        // Act
        var thanks = await bot.PressAsync(Came, Score(4));
        var changed = await bot.PressAsync(Came, Score(5));

        // Assert
        Assert.Equal("谢谢你的打分（4 分）！\n还想聊什么？直接回复一句话，或点「跳过」", thanks.Text);
        Assert.Equal(Skip, thanks.Buttons().Single().CallbackData);
        Assert.StartsWith("已把你的评分改为 5 分。", changed.Text, StringComparison.Ordinal);
        Assert.Equal(1, await FeedbackRowsAsync());
        Assert.Equal(5, await bot.ScalarAsync<short>("select score from feedback where member_id = @Came", new { Came }));
        var results = await bot.AskAsync(Organizer, $"/feedback {Key}");
        Assert.Contains("1 人打分，平均 5.0 分", results.Text);
    }

    [Fact]
    public async Task A_press_after_a_comment_changes_the_score_without_asking_again()
    {
        // Arrange
        await bot.PressAsync(Came, Score(2));
        await bot.AskAsync(Came, "声音有点小");

        // Act
        var changed = await bot.PressAsync(Came, Score(3));

        // Assert
        Assert.Equal("已把你的评分改为 3 分。谢谢！", changed.Text);
        Assert.Empty(changed.Buttons());
        Assert.Equal(0, await OpenDialoguesAsync(Came));
        Assert.Equal("声音有点小", await CommentOfAsync(Came));
    }

    [Fact]
    public async Task Someone_who_did_not_attend_is_refused_politely_and_nothing_is_stored()
    {
        // Act
        var noShow = await bot.PressForNoticeAsync(NoShow, Score(5));
        var stranger = await bot.PressForNoticeAsync(Stranger, Score(1));

        // Assert
        Assert.Equal("抱歉，只有参加了这场的朋友才能打分，这次没有记下。谢谢关注！", noShow);
        Assert.Equal(noShow, stranger);
        Assert.Equal(0, await FeedbackRowsAsync());
        Assert.Equal(0, await OpenDialoguesAsync(NoShow));
    }

    [Theory]
    [InlineData(":6")]
    [InlineData(":0")]
    [InlineData(":-1")]
    [InlineData(":45")]
    [InlineData(":")]
    [InlineData("")]
    public async Task A_forged_or_out_of_range_press_gets_the_expired_button_notice_and_stores_nothing(string suffix)
    {
        var notice = await bot.PressForNoticeAsync(Came, $"fb:{sessionId}{suffix}");

        Assert.Contains("按钮已失效", notice);
        Assert.Equal(0, await FeedbackRowsAsync());
    }

    [Fact]
    public async Task A_comment_after_the_score_is_stored_and_thanked()
    {
        // Arrange
        await bot.PressAsync(Came, Score(4));

        // Act
        var thanks = await bot.AskAsync(Came, "  希望下次聊聊<芯片> & 电池  ");

        // Assert
        Assert.Equal("收到，谢谢你的反馈！组织者会看到。", thanks.Text);
        Assert.Equal("希望下次聊聊<芯片> & 电池", await CommentOfAsync(Came));
        Assert.Equal(0, await OpenDialoguesAsync(Came));
        // The question is closed: the next text is understood as usual.
        Assert.StartsWith("没看懂这条消息", (await bot.AskAsync(Came, "今天天气不错")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_comment_can_be_skipped_with_the_button_or_in_words()
    {
        // Act
        await bot.PressAsync(Came, Score(3));
        var skipped = await bot.PressAsync(Came, Skip);
        await bot.PressAsync(CameToo, Score(4), language: "en");
        var typed = await bot.AskAsync(CameToo, "Skip", language: "en");

        // Assert
        Assert.Equal("好的，谢谢你的打分！", skipped.Text);
        Assert.Equal("OK, thanks for your score!", typed.Text);
        Assert.Null(await CommentOfAsync(Came));
        Assert.Null(await CommentOfAsync(CameToo));
        Assert.Equal(0, await OpenDialoguesAsync(Came) + await OpenDialoguesAsync(CameToo));
        Assert.Equal(2, await FeedbackRowsAsync());
        Assert.StartsWith("没看懂这条消息", (await bot.AskAsync(Came, "今天天气不错")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_over_long_or_sticker_comment_is_asked_again_and_the_question_stays_open()
    {
        // Arrange
        await bot.PressAsync(Came, Score(5));

        // Act
        var empty = await bot.AskAsync(Came, "   ");
        var tooLong = await bot.AskAsync(Came, new string('长', 501));
        var before = bot.Telegram.MessagesTo(Came).Count;
        bot.Telegram.EnqueueUpdate(FakeBotApi.StickerUpdate(Came));
        var sticker = (await bot.Telegram.WaitForMessagesAsync(Came, before + 1))[before];
        var thanks = await bot.AskAsync(Came, new string('好', 500));

        // Assert
        Assert.StartsWith("没有收到文字哦。\n还想聊什么？", empty.Text, StringComparison.Ordinal);
        Assert.Equal("这段话有 501 字，最多 500 字。请精简后再发一次，或点「跳过」。", tooLong.Text);
        Assert.StartsWith("我只能收下文字哦。\n还想聊什么？", sticker.Text, StringComparison.Ordinal);
        Assert.All(new[] { empty, tooLong, sticker }, m => Assert.Equal(Skip, m.Buttons().Single().CallbackData));
        Assert.Equal("收到，谢谢你的反馈！组织者会看到。", thanks.Text);
        Assert.Equal(new string('好', 500), await CommentOfAsync(Came));
    }

    [Fact]
    public async Task A_clear_request_or_a_command_closes_the_question_and_is_handled_as_usual()
    {
        // Arrange: what 我的报名 answers with no question open.
        var usual = await bot.AskAsync(Came, "我的报名");
        await bot.PressAsync(Came, Score(4));

        // Act
        var mine = await bot.AskAsync(Came, "我的报名");
        await bot.PressAsync(CameToo, Score(2), language: "en");
        var help = await bot.AskAsync(CameToo, "/help", language: "en");

        // Assert
        Assert.Equal(usual.Text, mine.Text);
        Assert.Null(await CommentOfAsync(Came));
        Assert.Null(await CommentOfAsync(CameToo));
        Assert.Equal(0, await OpenDialoguesAsync(Came) + await OpenDialoguesAsync(CameToo));
        Assert.DoesNotContain("Got it", help.Text, StringComparison.Ordinal);
        Assert.Equal(2, await FeedbackRowsAsync());
    }

    /// <summary>Both attendees score and comment through the chat: 5 with a formula-like comment, 3 with a quoted one.</summary>
    private async Task TwoScoresAndCommentsAsync()
    {
        await RunRequestAsync();
        await bot.PressAsync(Came, Score(5));
        await bot.AskAsync(Came, "=1+1 下次聊聊芯片");
        await bot.PressAsync(CameToo, Score(3), language: "en");
        await bot.AskAsync(CameToo, "Too short, \"really\"", language: "en");
    }

    [Fact]
    public async Task Feedback_answers_organizers_with_the_numbers_and_a_CSV_of_the_comments()
    {
        // Arrange: the CSV names members as the members table knows them when it is written.
        await TwoScoresAndCommentsAsync();
        await bot.ScalarAsync<int>(
            "update members set display_name = case id when 5001 then '=HYPERLINK(\"http://x\",\"y\")' else 'Jane Doe' end, username = case id when 5001 then 'came' else 'jane' end where id in (5001, 5002) returning 1");

        // Act
        var results = await bot.AskAsync(Organizer, $"/feedback {Key}");
        var document = await bot.Telegram.WaitForDocumentAsync(Organizer, JobTimeout);

        // Assert
        Assert.Equal(
            $"📝「{Title}」的反馈（1月20日 周三 09:00（北京时间））\n" +
            "2 人打分，平均 4.0 分\n" +
            "5 分 ██████████ 1\n" +
            "4 分 0\n" +
            "3 分 ██████████ 1\n" +
            "2 分 0\n" +
            "1 分 0\n" +
            "文字评论 2 条，见 CSV 文件。",
            results.Text);
        Assert.Equal($"feedback-{Key}.csv", document.FileName);
        Assert.Contains("2 人打分，平均 4.0 分", document.Caption);
        var records = ExportData.ParseCsv(document.Content);
        Assert.Equal(["commented_at", "telegram_user_id", "username", "display_name", "score", "comment"], records[0]);
        Assert.Equal(3, records.Count);
        Assert.Equal(["5001", "came", "'=HYPERLINK(\"http://x\",\"y\")", "5", "'=1+1 下次聊聊芯片"], records[1][1..]);
        Assert.Equal(["5002", "jane", "Jane Doe", "3", "Too short, \"really\""], records[2][1..]);
        // The bot's clock is frozen at the harness's noon, written in Beijing time.
        Assert.Equal("2027-01-20 12:00:00", records[1][0]);
        Assert.Contains(",\"Too short, \"\"really\"\"\"\r\n", Encoding.UTF8.GetString(document.Content), StringComparison.Ordinal);
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'feedback.csv' and actor_id = @Organizer", new { Organizer }));
    }

    [Fact]
    public async Task Feedback_is_for_organizers_and_needs_a_known_key()
    {
        var reader = await bot.AskAsync(Came, $"/feedback {Key}");
        var usage = await bot.AskAsync(Organizer, "/feedback");
        var unknown = await bot.AskAsync(Organizer, "/feedback nosuch");
        var before = await bot.AskAsync(Organizer, "/feedback metaverse");

        Assert.Contains("只有组织者或管理员", reader.Text);
        Assert.StartsWith("用法：/feedback KEY", usage.Text, StringComparison.Ordinal);
        Assert.Contains("没有 KEY 为「nosuch」的场次", unknown.Text);
        Assert.EndsWith("反馈邀请还没有发出：场次结束后会自动发给出席的读者。", before.Text, StringComparison.Ordinal);
        Assert.Empty(bot.Telegram.Documents);
    }

    [Fact]
    public async Task Sessions_shows_the_feedback_line_under_the_session()
    {
        // Arrange
        await RunRequestAsync();
        var asked = await bot.AskAsync(Organizer, "/sessions");
        await TwoScoresAndCommentsAsync();

        // Act
        var overview = await bot.AskAsync(Organizer, "/sessions");

        // Assert
        Assert.Contains($"{Key} — {Title}", asked.Text);
        Assert.Contains("  反馈 · 还没有人打分\n", asked.Text);
        Assert.Contains("  反馈 4.0 分 · 2 人\n", overview.Text);
        // Only one line, under the session that has feedback.
        Assert.Single(overview.Text.Split('\n'), l => l.StartsWith("  反馈", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_export_has_each_members_score_and_comment_once_feedback_was_requested()
    {
        // Arrange
        await TwoScoresAndCommentsAsync();
        var exporter = bot.Host.Services.GetRequiredService<Exporter>();
        using var review = new MemoryStream();
        using var upcoming = new MemoryStream();

        // Act
        await exporter.WriteAsync(review, ExportFileFormat.Csv, [sessionId], progress: null, CancellationToken.None);
        await exporter.WriteAsync(upcoming, ExportFileFormat.Csv, [await bot.SessionIdAsync("metaverse")], progress: null, CancellationToken.None);

        // Assert
        var records = ExportData.ParseCsv(review.ToArray());
        var score = records[0].IndexOf("feedback_score");
        Assert.True(score >= ExportColumns.Standard.Count);
        Assert.Equal("feedback_comment", records[0][score + 1]);
        var byMember = records.Skip(1).ToDictionary(r => r[6], r => (Score: r[score], Comment: r[score + 1]));
        Assert.Equal(("5", "'=1+1 下次聊聊芯片"), byMember["5001"]);
        Assert.Equal(("3", "Too short, \"really\""), byMember["5002"]);
        Assert.Equal(("", ""), byMember["5003"]);
        Assert.DoesNotContain("feedback_score", ExportData.ParseCsv(upcoming.ToArray())[0]);
    }

    [Fact]
    public async Task The_results_report_reaches_each_organizer_once_however_often_its_job_runs()
    {
        // Arrange
        await TwoScoresAndCommentsAsync();
        var job = ActivatorUtilities.CreateInstance<FeedbackResultsJob>(bot.Host.Services);

        // Act
        await job.RunAsync(sessionId, CancellationToken.None);
        await job.RunAsync(sessionId, CancellationToken.None);

        // Assert
        var report = Assert.Single(bot.Telegram.MessagesTo(Organizer), m => m.Text.StartsWith("📝", StringComparison.Ordinal));
        Assert.Contains("2 人打分，平均 4.0 分", report.Text);
        Assert.EndsWith($"文字评论 2 条：发送 /feedback {Key} 获取 CSV 文件。", report.Text, StringComparison.Ordinal);
    }
}
