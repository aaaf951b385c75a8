using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Notes;

/// <summary>
/// A reader's 留言 / 建议 to the organizers end to end through the fake Bot API: forwarded to every
/// organizer and admin once, answered once, listed by /inbox until it is.
/// </summary>
public sealed class NoteTests : IAsyncLifetime
{
    private const long Organizer = 9001;
    private const long Admin = 9002;
    private const long Reader = 5001;
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(30);

    private BotHarness bot = null!;

    public async Task InitializeAsync()
    {
        bot = await BotHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Community:Organizers:0"] = "9001",
            ["Community:Admins:0"] = "9002",
        });

        // Only members can be written to: the staff have talked to the bot before a note arrives.
        await bot.AskAsync(Organizer, "/whoami");
        await bot.AskAsync(Admin, "/whoami");
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    /// <summary>The reader (小明, @xiaoming) writes <paramref name="text"/>; returns the bot's reply to them.</summary>
    private async Task<SentMessage> ReaderSaysAsync(string text, string language = "zh-hans")
    {
        var before = bot.Telegram.MessagesTo(Reader).Count;
        bot.Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(Reader, text, languageCode: language, firstName: "小明", username: "xiaoming"));
        var replies = await bot.Telegram.WaitForMessagesAsync(Reader, before + 1);
        return replies[before];
    }

    private Task<SentMessage> NoteReachesAsync(long staff, string text) =>
        bot.Telegram.WaitForMessageAsync(staff, m => m.Text.Contains(text, StringComparison.Ordinal) && m.Buttons().Count > 0, JobTimeout);

    private static string AnswerData(SentMessage message) => message.Buttons().Single().CallbackData!;

    [Fact]
    public async Task A_readers_note_reaches_every_organizer_and_admin_once_with_an_answer_button()
    {
        // Act
        var thanks = await ReaderSaysAsync("留言：希望下次聊聊<自动驾驶> & 芯片");

        // Assert
        Assert.Equal("已转达给组织者，回复会在这里告诉你。", thanks.Text);
        foreach (var staff in new[] { Organizer, Admin })
        {
            var note = await NoteReachesAsync(staff, "希望下次聊聊<自动驾驶> & 芯片");
            Assert.Contains("小明 @xiaoming", note.Text);
            Assert.Contains("北京时间", note.Text);
            Assert.Null(note.ParseMode);
            Assert.Equal("回复", note.Buttons().Single().Text);
        }

        await bot.WaitUntilIdleAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var staff in new[] { Organizer, Admin })
        {
            Assert.Single(bot.Telegram.MessagesTo(staff), m => m.Text.Contains("希望下次聊聊", StringComparison.Ordinal));
        }

        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from notes where member_id = @Reader and text = '希望下次聊聊<自动驾驶> & 芯片'", new { Reader }));
    }

    [Fact]
    public async Task An_organizers_answer_reaches_the_reader_once_and_the_note_leaves_the_inbox()
    {
        // Arrange
        await ReaderSaysAsync("建议 多办几场线下的");
        await NoteReachesAsync(Organizer, "多办几场线下的");
        var inbox = await bot.AskAsync(Organizer, "/inbox");
        Assert.Contains("多办几场线下的", inbox.Text);
        Assert.Contains("小明 @xiaoming", inbox.Text);

        // Act
        var ask = await bot.PressAsync(Organizer, AnswerData(inbox));
        var sent = await bot.AskAsync(Organizer, "好的，三月会有两场！");

        // Assert
        Assert.Contains("请发送给 小明 @xiaoming 的回复", ask.Text);
        Assert.Contains("已把回复发给", sent.Text);
        var answer = await bot.Telegram.WaitForMessageAsync(Reader, m => m.Text.StartsWith("组织者回复了你的留言：", StringComparison.Ordinal), JobTimeout);
        Assert.Contains("好的，三月会有两场！", answer.Text);
        await bot.WaitUntilIdleAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(bot.Telegram.MessagesTo(Reader), m => m.Text.StartsWith("组织者回复了你的留言", StringComparison.Ordinal));
        Assert.Equal("没有未回复的留言。", (await bot.AskAsync(Organizer, "/inbox")).Text);
        Assert.Equal(Organizer, await bot.ScalarAsync<long>("select answered_by from notes"));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'note.answer' and actor_id = @Organizer", new { Organizer }));
    }

    [Fact]
    public async Task The_word_alone_asks_for_the_note_and_the_next_text_is_it()
    {
        // Act
        var ask = await ReaderSaysAsync("留言");
        var thanks = await ReaderSaysAsync("报名 元宇宙 的时候能不能多给一点提醒");

        // Assert
        Assert.Contains("想对组织者说什么", ask.Text);
        Assert.Equal("已转达给组织者，回复会在这里告诉你。", thanks.Text);
        await NoteReachesAsync(Organizer, "报名 元宇宙 的时候能不能多给一点提醒");
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = @Reader", new { Reader }));
    }

    [Fact]
    public async Task A_second_organizer_answering_an_answered_note_is_told_who_answered()
    {
        // Arrange
        await ReaderSaysAsync("留言 场地在哪里？");
        var forOrganizer = await NoteReachesAsync(Organizer, "场地在哪里？");
        var forAdmin = await NoteReachesAsync(Admin, "场地在哪里？");
        await bot.PressAsync(Organizer, AnswerData(forOrganizer));
        await bot.AskAsync(Organizer, "在国贸，详见报名确认消息。");

        // Act
        var told = await bot.PressAsync(Admin, AnswerData(forAdmin));

        // Assert
        Assert.Contains("这条留言已由", told.Text);
        Assert.Contains("回复过了", told.Text);
        await bot.Telegram.WaitForMessageAsync(Reader, m => m.Text.Contains("在国贸", StringComparison.Ordinal), JobTimeout);
    }

    [Fact]
    public async Task An_answer_typed_while_another_organizer_answered_first_is_not_sent()
    {
        // Arrange: both open the answer dialogue before either sends.
        await ReaderSaysAsync("留言 有回放吗");
        var forOrganizer = await NoteReachesAsync(Organizer, "有回放吗");
        var forAdmin = await NoteReachesAsync(Admin, "有回放吗");
        await bot.PressAsync(Organizer, AnswerData(forOrganizer));
        await bot.PressAsync(Admin, AnswerData(forAdmin));
        await bot.AskAsync(Organizer, "有，会后一周内发。");

        // Act
        var told = await bot.AskAsync(Admin, "没有回放。");

        // Assert
        Assert.Contains("这条留言已由", told.Text);
        await bot.Telegram.WaitForMessageAsync(Reader, m => m.Text.Contains("会后一周内发", StringComparison.Ordinal), JobTimeout);
        await bot.WaitUntilIdleAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(bot.Telegram.MessagesTo(Reader), m => m.Text.Contains("没有回放", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reader_can_neither_list_the_inbox_nor_answer_a_note()
    {
        // Arrange
        await ReaderSaysAsync("留言 测试");
        var forOrganizer = await NoteReachesAsync(Organizer, "测试");

        // Act
        var inbox = await ReaderSaysAsync("/inbox");
        var notice = await bot.PressForNoticeAsync(Reader, AnswerData(forOrganizer));

        // Assert
        Assert.Contains("只有组织者或管理员", inbox.Text);
        Assert.Contains("只有组织者或管理员", notice);
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from notes where answered_at is null"));
    }

    [Fact]
    public async Task A_forged_answer_button_gets_the_expired_button_notice()
    {
        var notice = await bot.PressForNoticeAsync(Organizer, "na:999999");

        Assert.Contains("按钮已失效", notice);
    }

    [Fact]
    public async Task An_over_long_note_is_refused_and_nothing_is_forwarded()
    {
        // Act
        var reply = await ReaderSaysAsync("留言 " + new string('长', 2001));

        // Assert
        Assert.Contains("留言太长了（2001 字），最多 2000 字", reply.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from notes"));
    }

    [Fact]
    public async Task An_english_reader_and_organizer_get_english_texts()
    {
        // Act
        var thanks = await ReaderSaysAsync("建议: more sessions on chips", language: "en");
        // The forwarded note first (it goes out through the ledger, on its own time), so the next answer
        // the organizer gets is the one to /inbox.
        await NoteReachesAsync(Organizer, "more sessions on chips");
        var inbox = await bot.AskAsync(Organizer, "/inbox", language: "en");

        // Assert
        Assert.Equal("Passed on to the organizers; their answer will come here.", thanks.Text);
        Assert.Contains("Unanswered notes (1, newest first)", inbox.Text);
        Assert.StartsWith("Answer #", inbox.Buttons().Single().Text, StringComparison.Ordinal);
        await bot.PressAsync(Organizer, AnswerData(inbox), language: "en");
        await bot.AskAsync(Organizer, "Noted, thanks!", language: "en");
        var answer = await bot.Telegram.WaitForMessageAsync(Reader, m => m.Text.Contains("Noted, thanks!", StringComparison.Ordinal), JobTimeout);
        Assert.StartsWith("The organizers answered your note: Noted, thanks!", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_other_unknown_text_still_gets_the_short_hint()
    {
        var reply = await ReaderSaysAsync("今天天气不错");

        Assert.StartsWith("没看懂这条消息", reply.Text, StringComparison.Ordinal);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from notes"));
    }
}
