using System.Globalization;
using System.Text;
using Baoming.Core.Export;
using Baoming.Core.Understanding;
using Baoming.Export;
using Baoming.Sessions;
using Baoming.Tests.Export;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Questions;

/// <summary>
/// Questions at sign-up end to end through the fake Bot API: the seat first, then the questions one by one
/// (typed, by button, skipped), bad answers re-asked, answers changed from 我的报名, reader requests that
/// leave the questions, a burst, the export columns, /answers and /editsession questions.
/// </summary>
public sealed class QuestionTests : IAsyncLifetime
{
    // Ids of this class alone: the fake remembers each user's name for their button presses.
    private const long Organizer = 517_901;
    private const long Reader = 517_001;
    private const string Key = "topics";

    private BotHarness bot = null!;
    private long sessionId;

    public async Task InitializeAsync()
    {
        bot = await BotHarness.StartAsync(Settings(capacity: 25));
        sessionId = await bot.SessionIdAsync(Key);
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    /// <summary>A third session with four questions: a required text, an optional text, a choice and an open one.</summary>
    private static Dictionary<string, string?> Settings(int capacity)
    {
        var settings = BotHarness.ExtraSession(2, Key, "选题会：AI 与汽车", new DateTimeOffset(2027, 2, 24, 19, 30, 0, TimeSpan.FromHours(8)), capacity);
        settings["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture);
        settings["Sessions:2:Questions:0:Text"] = "公司";
        settings["Sessions:2:Questions:0:Required"] = "true";
        settings["Sessions:2:Questions:1:Text"] = "职位";
        settings["Sessions:2:Questions:2:Text"] = "行业";
        settings["Sessions:2:Questions:2:Choices:0"] = "汽车";
        settings["Sessions:2:Questions:2:Choices:1"] = "互联网";
        settings["Sessions:2:Questions:2:Choices:2"] = "金融";
        settings["Sessions:2:Questions:3:Text"] = "这场你最想聊什么？";
        return settings;
    }

    /// <summary>The reader presses the session's sign-up button; returns the confirmation and what follows it.</summary>
    private async Task<IReadOnlyList<SentMessage>> SignUpAsync(long member, int expected = 2)
    {
        var before = bot.Telegram.MessagesTo(member).Count;
        bot.Press(member, CallbackData.SignUp(sessionId));
        var messages = await bot.Telegram.WaitForMessagesAsync(member, before + expected);
        return [.. messages.Skip(before)];
    }

    private static string ButtonData(SentMessage message, string text) => message.Buttons().Single(b => b.Text == text).CallbackData!;

    private async Task<IReadOnlyDictionary<string, string>> StoredAnswersAsync(long member) =>
        (await bot.QueryAsync<(string Text, string Answer)>(
            "select q.text, a.answer from question_answers a join session_questions q on q.id = a.question_id where a.member_id = @member",
            new { member })).ToDictionary(r => r.Text, r => r.Answer);

    /// <summary>The reader answers all four: 公司 typed, 职位 skipped, 行业 by button, the last typed.</summary>
    private async Task AnswerAllAsync(long member, string company = "腾讯", string industry = "互联网", string topic = "自动驾驶")
    {
        var first = (await SignUpAsync(member))[1];
        Assert.Contains("问题 1/4：公司（必答）", first.Text);
        var second = await bot.AskAsync(member, company);
        var third = await bot.PressAsync(member, ButtonData(second, "跳过"));
        await bot.PressAsync(member, ButtonData(third, industry));
        await bot.AskAsync(member, topic);
    }

    [Fact]
    public async Task A_new_sign_up_is_confirmed_first_then_the_questions_follow_one_by_one()
    {
        // Act
        var signUp = await SignUpAsync(Reader);
        var second = await bot.AskAsync(Reader, "  腾讯 ");
        var third = await bot.PressAsync(Reader, ButtonData(second, "跳过"));
        var fourth = await bot.PressAsync(Reader, ButtonData(third, "互联网"));
        var thanks = await bot.AskAsync(Reader, "自动驾驶的商业化");

        // Assert
        Assert.StartsWith("✅ 报名成功！", signUp[0].Text, StringComparison.Ordinal);
        Assert.Contains("请回答 4 个小问题", signUp[1].Text);
        Assert.Contains("问题 1/4：公司（必答）", signUp[1].Text);
        Assert.DoesNotContain(signUp[1].Buttons(), b => b.Text == "跳过");
        Assert.Contains("问题 2/4：职位", second.Text);
        Assert.Equal(["汽车", "互联网", "金融", "跳过"], third.Buttons().Select(b => b.Text));
        Assert.Contains("问题 4/4：这场你最想聊什么？", fourth.Text);
        Assert.Contains("谢谢！「选题会：AI 与汽车」的回答已记录", thanks.Text);
        Assert.Contains("公司：腾讯", thanks.Text);
        Assert.Contains("职位：（未回答）", thanks.Text);
        Assert.Contains("行业：互联网", thanks.Text);
        Assert.Contains("这场你最想聊什么？：自动驾驶的商业化", thanks.Text);
        Assert.Equal(
            new Dictionary<string, string> { ["公司"] = "腾讯", ["行业"] = "互联网", ["这场你最想聊什么？"] = "自动驾驶的商业化" },
            await StoredAnswersAsync(Reader));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from dialogs where member_id = @Reader", new { Reader }));
        Assert.Equal("confirmed", await bot.ScalarAsync<string>("select status from registrations where member_id = @Reader", new { Reader }));
    }

    [Fact]
    public async Task A_choice_typed_out_is_accepted_and_other_text_is_re_asked_with_the_buttons()
    {
        // Arrange
        await SignUpAsync(Reader);
        await bot.AskAsync(Reader, "腾讯");
        await bot.AskAsync(Reader, "产品经理");

        // Act
        var refused = await bot.AskAsync(Reader, "制造业");
        var accepted = await bot.AskAsync(Reader, "金融");

        // Assert
        Assert.Contains("没有这个选项", refused.Text);
        Assert.Contains("问题 3/4：行业", refused.Text);
        Assert.Equal(3, refused.Buttons().Count(b => b.CallbackData!.StartsWith("qa:a:", StringComparison.Ordinal)));
        Assert.Contains("问题 4/4", accepted.Text);
        Assert.Equal("金融", (await StoredAnswersAsync(Reader))["行业"]);
    }

    [Fact]
    public async Task A_required_question_is_asked_again_after_an_empty_an_over_long_a_sticker_or_a_skip()
    {
        // Arrange
        var first = (await SignUpAsync(Reader))[1];
        Assert.Empty(first.Buttons());
        var skipOfRequired = CallbackData.Questions.Skip(await bot.ScalarAsync<long>("select id from session_questions where text = '公司'"));

        // Act
        var empty = await bot.AskAsync(Reader, " \u3000 ");
        var tooLong = await bot.AskAsync(Reader, new string('长', 201));
        var before = bot.Telegram.MessagesTo(Reader).Count;
        bot.Telegram.EnqueueUpdate(FakeBotApi.StickerUpdate(Reader));
        var sticker = (await bot.Telegram.WaitForMessagesAsync(Reader, before + 1))[before];
        var typedSkip = await bot.AskAsync(Reader, "跳过");
        var pressedSkip = await bot.PressForNoticeAsync(Reader, skipOfRequired);

        // Assert
        Assert.Contains("回答不能为空", empty.Text);
        Assert.Contains("回答太长了（201 字），最多 200 字", tooLong.Text);
        Assert.Contains("请用文字回复", sticker.Text);
        Assert.Contains("这个问题必须回答，不能跳过", typedSkip.Text);
        Assert.Contains("必须回答", pressedSkip);
        Assert.All([empty, tooLong, sticker, typedSkip], m => Assert.Contains("问题 1/4：公司（必答）", m.Text));
        Assert.Empty(await StoredAnswersAsync(Reader));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from dialogs where member_id = @Reader and kind = 'questions.answer'", new { Reader }));
    }

    [Fact]
    public async Task Answers_are_changed_from_my_sign_ups_showing_the_current_answer()
    {
        // Arrange
        await AnswerAllAsync(Reader);

        // Act
        var mine = await bot.AskAsync(Reader, "我的报名");
        var first = await bot.PressAsync(Reader, mine.Buttons().Single(b => b.Text.StartsWith("修改回答：", StringComparison.Ordinal)).CallbackData!);
        var second = await bot.PressAsync(Reader, ButtonData(first, "保持不变"));
        var third = await bot.AskAsync(Reader, "产品经理");
        var fourth = await bot.PressAsync(Reader, ButtonData(third, "汽车"));
        var thanks = await bot.PressAsync(Reader, ButtonData(fourth, "跳过"));

        // Assert
        Assert.Contains("修改「选题会：AI 与汽车」的报名问题回答", first.Text);
        Assert.Contains("当前回答：腾讯", first.Text);
        Assert.DoesNotContain("当前回答", second.Text);
        Assert.Contains("当前回答：互联网", third.Text);
        Assert.Contains("当前回答：自动驾驶", fourth.Text);
        Assert.Contains("职位：产品经理", thanks.Text);
        Assert.Equal(
            new Dictionary<string, string> { ["公司"] = "腾讯", ["职位"] = "产品经理", ["行业"] = "汽车" },
            await StoredAnswersAsync(Reader));
    }

    [Fact]
    public async Task A_reader_request_while_answering_leaves_the_questions_for_later()
    {
        // Arrange
        await SignUpAsync(Reader);

        // Act
        var before = bot.Telegram.MessagesTo(Reader).Count;
        bot.Say(Reader, "我的报名");
        var replies = (await bot.Telegram.WaitForMessagesAsync(Reader, before + 2)).Skip(before).ToList();
        var afterwards = await bot.AskAsync(Reader, "腾讯");

        // Assert
        Assert.Contains("报名问题先放一放", replies[0].Text);
        Assert.StartsWith("你的报名：", replies[1].Text, StringComparison.Ordinal);
        Assert.Contains(replies[1].Buttons(), b => b.Text.StartsWith("修改回答：", StringComparison.Ordinal));
        Assert.DoesNotContain("问题", afterwards.Text);
        Assert.Empty(await StoredAnswersAsync(Reader));
    }

    [Fact]
    public async Task An_answer_that_names_no_session_is_an_answer_not_a_sign_up()
    {
        // Arrange
        await SignUpAsync(Reader);

        // Act: "参加" is a sign-up word, but nothing here names a session.
        var next = await bot.AskAsync(Reader, "参加过很多技术沙龙的公司");

        // Assert
        Assert.Contains("问题 2/4", next.Text);
        Assert.Equal("参加过很多技术沙龙的公司", (await StoredAnswersAsync(Reader))["公司"]);
    }

    [Fact]
    public async Task A_burst_of_sign_ups_to_a_session_with_questions_seats_everyone_then_asks()
    {
        // Arrange
        const int Members = 40;
        const long First = 70_000;

        // Act
        for (var i = 0; i < Members; i++)
        {
            bot.Press(First + i, CallbackData.SignUp(sessionId));
        }

        // Assert
        await bot.Telegram.WaitUntilAsync(
            () => Enumerable.Range(0, Members).All(i => bot.Telegram.MessagesTo(First + i).Count >= 2),
            TimeSpan.FromSeconds(60),
            () => $"{Enumerable.Range(0, Members).Count(i => bot.Telegram.MessagesTo(First + i).Count >= 2)} of {Members} have both messages");
        for (var i = 0; i < Members; i++)
        {
            var messages = bot.Telegram.MessagesTo(First + i);
            Assert.True(messages[0].Text.StartsWith("✅ 报名成功！", StringComparison.Ordinal) || messages[0].Text.StartsWith('⏳'), messages[0].Text);
            Assert.Contains("问题 1/4：公司", messages[1].Text);
        }

        Assert.Equal(25, await bot.ScalarAsync<int>("select confirmed_count from sessions where id = @sessionId", new { sessionId }));
        Assert.Equal(15, await bot.ScalarAsync<int>("select waitlisted_count from sessions where id = @sessionId", new { sessionId }));
        Assert.Equal(Members, await bot.ScalarAsync<long>("select count(*) from dialogs where kind = 'questions.answer'"));
    }

    [Fact]
    public async Task A_session_without_questions_asks_nothing_and_offers_no_change_button()
    {
        // Act
        var before = bot.Telegram.MessagesTo(Reader).Count;
        var confirmation = await bot.AskAsync(Reader, "报名 元宇宙");
        await bot.WaitUntilIdleAsync();
        var mine = await bot.AskAsync(Reader, "我的报名");

        // Assert
        Assert.StartsWith("✅ 报名成功！", confirmation.Text, StringComparison.Ordinal);
        Assert.Equal(before + 2, bot.Telegram.MessagesTo(Reader).Count);
        Assert.Empty(mine.Buttons());
    }

    [Fact]
    public async Task The_export_has_a_column_per_question_with_answers_neutralised()
    {
        // Arrange
        await AnswerAllAsync(Reader, company: "=HYPERLINK(\"http://x\")", industry: "汽车");
        await AnswerAllAsync(Reader + 1, company: "阿里", industry: "互联网", topic: "大模型");

        // Act
        using var output = new MemoryStream();
        await bot.Host.Services.GetRequiredService<Exporter>().WriteAsync(output, ExportFileFormat.Csv, [sessionId], null, CancellationToken.None);
        var records = ExportData.ParseCsv(output.ToArray());

        // Assert
        var header = records[0];
        var first = header.IndexOf("q1 公司");
        Assert.True(first >= ExportColumns.Standard.Count);
        Assert.Equal(["q1 公司", "q2 职位", "q3 行业", "q4 这场你最想聊什么？"], header.Skip(first).Take(4));
        var reader = records.Single(r => r[6] == Reader.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(["'=HYPERLINK(\"http://x\")", "", "汽车", "自动驾驶"], reader.Skip(first).Take(4));
        var other = records.Single(r => r[6] == (Reader + 1).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(["阿里", "", "互联网", "大模型"], other.Skip(first).Take(4));
    }

    [Fact]
    public async Task An_edit_keeps_answers_by_question_text_and_a_removed_question_stays_in_the_export()
    {
        // Arrange
        await AnswerAllAsync(Reader);

        // Act: 职位 and the open question go, 行业 gains a choice and moves first, 城市 is new.
        var edited = await bot.AskAsync(Organizer, "/editsession topics questions 行业: 汽车|互联网|金融|制造 ; 公司* ; 城市 ; 这场你最想聊什么？");
        var removed = await bot.AskAsync(Organizer, "/editsession topics questions 行业: 汽车|互联网|金融|制造 ; 公司* ; 城市");
        using var output = new MemoryStream();
        await bot.Host.Services.GetRequiredService<Exporter>().WriteAsync(output, ExportFileFormat.Csv, [sessionId], null, CancellationToken.None);
        var records = ExportData.ParseCsv(output.ToArray());

        // Assert
        Assert.Contains("已更新「选题会：AI 与汽车」的 questions", edited.Text);
        Assert.Contains("1. 行业：汽车 / 互联网 / 金融 / 制造", edited.Text);
        Assert.Contains("2. 公司（必答）", edited.Text);
        Assert.Contains("下次启动时会覆盖", edited.Text);
        var header = records[0];
        var first = header.IndexOf("q1 行业");
        // Chat commands arrive NFKC-normalised: the question keeps its id (and answer) under its new "?" form.
        Assert.Equal(["q1 行业", "q2 公司", "q3 城市", "removed 这场你最想聊什么?"], header.Skip(first).Take(4));
        Assert.Equal(["互联网", "腾讯", "", "自动驾驶"], records[1].Skip(first).Take(4));
        Assert.Contains("2. 公司（必答）", removed.Text);
        var audits = await bot.QueryAsync<string>("select details->>'after' from audit_log where action = 'session.edit' and details->>'field' = 'questions' order by id");
        Assert.Equal(["行业: 汽车|互联网|金融|制造 ; 公司* ; 城市 ; 这场你最想聊什么?", "行业: 汽车|互联网|金融|制造 ; 公司* ; 城市"], audits);
        Assert.Equal(5, await bot.ScalarAsync<long>("select count(*) from session_questions where session_id = @sessionId", new { sessionId }));
    }

    [Theory]
    [InlineData("行业: 汽车", "第 1 个问题「行业」至少要有 2 个选项")]
    [InlineData("公司 ; 行业: 汽车||金融", "第 2 个问题有一个空选项")]
    [InlineData("公司 ; 公司", "第 2 个问题「公司」重复了")]
    [InlineData("行业: 汽车|汽车", "第 1 个问题的选项「汽车」重复了")]
    public async Task A_bad_questions_line_is_refused_with_the_syntax_and_nothing_changes(string line, string problem)
    {
        // Act
        var reply = await bot.AskAsync(Organizer, "/editsession topics questions " + line);

        // Assert
        Assert.Contains(problem, reply.Text);
        Assert.Contains("用法：/editsession KEY questions", reply.Text);
        Assert.Equal(4, await bot.ScalarAsync<long>("select count(*) from session_questions where session_id = @sessionId and removed_at is null", new { sessionId }));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'session.edit'"));
    }

    [Fact]
    public async Task A_dash_clears_the_questions_and_a_new_sign_up_asks_nothing()
    {
        // Act
        var cleared = await bot.AskAsync(Organizer, "/editsession topics questions -");
        var signUp = await SignUpAsync(Reader, expected: 1);
        await bot.WaitUntilIdleAsync();

        // Assert
        Assert.Contains("已清除报名问题", cleared.Text);
        Assert.StartsWith("✅ 报名成功！", signUp[0].Text, StringComparison.Ordinal);
        Assert.Single(bot.Telegram.MessagesTo(Reader));
        Assert.Equal(4, await bot.ScalarAsync<long>("select count(*) from session_questions where session_id = @sessionId and removed_at is not null", new { sessionId }));
    }

    [Fact]
    public async Task A_reader_cannot_edit_questions_or_read_the_answers()
    {
        var edit = await bot.AskAsync(Reader, "/editsession topics questions 公司");
        var answers = await bot.AskAsync(Reader, "/answers topics");

        Assert.Contains("只有组织者或管理员", edit.Text);
        Assert.Contains("只有组织者或管理员", answers.Text);
    }

    [Fact]
    public async Task Answers_summarises_choices_in_the_message_and_sends_everyones_answers_as_csv()
    {
        // Arrange
        await AnswerAllAsync(Reader, industry: "汽车", topic: "-1+2");
        await AnswerAllAsync(Reader + 1, company: "阿里", industry: "互联网");
        await AnswerAllAsync(Reader + 2, company: "蔚来", industry: "汽车");

        // Act
        var summary = await bot.AskAsync(Organizer, "/answers topics");
        var document = await bot.Telegram.WaitForDocumentAsync(Organizer);

        // Assert
        Assert.Contains("报名和候补共 3 人", summary.Text);
        Assert.Contains("1. 公司（必答） — 3 人回答", summary.Text);
        Assert.Contains("2. 职位 — 0 人回答", summary.Text);
        Assert.Contains("汽车 2 · 互联网 1 · 金融 0", summary.Text);
        Assert.Equal("topics-answers.csv", document.FileName);
        Assert.Equal([0xEF, 0xBB, 0xBF], document.Content.Take(3));
        var records = ExportData.ParseCsv(document.Content);
        Assert.Equal(["telegram_user_id", "username", "display_name", "status", "q1 公司", "q2 职位", "q3 行业", "q4 这场你最想聊什么？"], records[0]);
        Assert.Equal(4, records.Count);
        Assert.Equal([Reader.ToString(CultureInfo.InvariantCulture), "", "读者", "confirmed", "腾讯", "", "汽车", "'-1+2"], records[1]);
        Assert.Equal(["3"], await bot.QueryAsync<string>("select details->>'rows' from audit_log where action = 'answers.csv'"));
    }

    [Fact]
    public async Task Answers_for_a_session_without_questions_or_an_unknown_key_say_so()
    {
        var none = await bot.AskAsync(Organizer, "/answers metaverse");
        var unknown = await bot.AskAsync(Organizer, "/answers nosuch");
        var usage = await bot.AskAsync(Organizer, "/answers");

        Assert.Contains("没有报名问题", none.Text);
        Assert.Contains("nosuch", unknown.Text);
        Assert.Contains("用法：/answers KEY", usage.Text);
    }

    [Fact]
    public async Task The_configuration_sync_converges_and_keeps_question_ids()
    {
        // Arrange
        var before = await bot.QueryAsync<long>("select id from session_questions order by id");

        // Act
        await bot.Host.Services.GetRequiredService<SessionSync>().SyncAsync(CancellationToken.None);

        // Assert
        Assert.Equal(before, await bot.QueryAsync<long>("select id from session_questions order by id"));
        Assert.Equal(4, before.Count);
    }

    [Fact]
    public async Task Sessions_shows_how_many_answered_under_a_session_with_questions()
    {
        // Arrange
        await AnswerAllAsync(Reader);
        await SignUpAsync(Reader + 1);

        // Act
        var overview = await bot.AskAsync(Organizer, "/sessions");

        // Assert
        Assert.Contains("报名问题 4 个 · 1 人已回答（/answers topics）", overview.Text);
    }

    [Fact]
    public async Task An_english_reader_is_asked_in_english()
    {
        // Act
        var before = bot.Telegram.MessagesTo(Reader).Count;
        bot.Press(Reader, CallbackData.SignUp(sessionId), language: "en");
        var question = (await bot.Telegram.WaitForMessagesAsync(Reader, before + 2))[before + 1];
        var refused = await bot.AskAsync(Reader, "skip", language: "en");

        // Assert
        Assert.Contains("Question 1/4: 公司 (required)", question.Text);
        Assert.Contains("This question is required and can't be skipped.", refused.Text);
    }

    [Fact]
    public async Task A_stale_or_forged_question_button_has_expired()
    {
        var forged = await bot.PressForNoticeAsync(Reader, "qa:a:999999:1");
        var notSignedUp = await bot.PressForNoticeAsync(Reader, CallbackData.Questions.Edit(sessionId));

        Assert.Contains("按钮已失效", forged);
        Assert.Contains("按钮已失效", notSignedUp);
    }
}
