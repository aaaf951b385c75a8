using Baoming.Tests.Export;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Organizers;

/// <summary>/sessions, /newsession, /editsession and /cancelsession in chat, end to end.</summary>
public sealed class SessionCommandTests : IAsyncLifetime
{
    private const long Organizer = 9001;
    private const long Reader = 5001;
    /// <summary>Notices go out from a Hangfire job: on a loaded machine running every test class at once it can take a while to be picked up.</summary>
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(30);

    private static readonly DateTimeOffset Day = new(2027, 1, 20, 4, 0, 0, TimeSpan.Zero);

    private static readonly string[] OrganizerCommands =
        ["/sessions", "/newsession x1 2027-03-03 19:30 90 10 标题", "/editsession metaverse title 新", "/cancelsession metaverse", "/broadcast", "/broadcasts"];

    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync(new Dictionary<string, string?> { ["Community:Organizers:0"] = "9001" });

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private Task<long> AuditCountAsync(string action) =>
        bot.ScalarAsync<long>("select count(*) from audit_log where actor_id = @Organizer and action = @action", new { Organizer, action });

    [Fact]
    public async Task Sessions_lists_upcoming_sessions_with_confirmed_waitlisted_and_capacity_counts()
    {
        await bot.AskAsync(Organizer, "/editsession metaverse capacity 2");
        await ExportData.SeedAsync(
            bot.ConnectionString,
            "metaverse",
            new SeedRegistration(101, "A", "confirmed", Day),
            new SeedRegistration(102, "B", "confirmed", Day),
            new SeedRegistration(103, "C", "waitlisted", Day, WaitlistSeq: 1));

        var reply = await bot.AskAsync(Organizer, "/sessions");

        Assert.Contains("metaverse", reply.Text);
        Assert.Contains("已报名 2 / 名额 2 · 候补 1", reply.Text);
        Assert.Contains("auto", reply.Text);
        Assert.Contains("已报名 0 / 名额", reply.Text);
    }

    [Fact]
    public async Task A_reader_gets_not_allowed_for_every_organizer_command_and_nothing_changes()
    {
        foreach (var command in OrganizerCommands)
        {
            var reply = await bot.AskAsync(Reader, command);
            Assert.Contains("只有组织者或管理员", reply.Text);
        }

        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from sessions where key = 'x1'"));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from audit_log"));
    }

    [Fact]
    public async Task I_can_create_a_session_in_chat_and_readers_can_sign_up_for_it()
    {
        var reply = await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 电动车的下一个十年");

        Assert.Contains("已创建场次「电动车的下一个十年」", reply.Text);
        Assert.Contains("3月3日 周三 19:30（北京时间）", reply.Text);
        var row = (await bot.QueryAsync<(string Source, int Capacity, int Minutes, DateTime StartsAt)>(
            "select source, capacity, duration_minutes, starts_at from sessions where key = 'ev'")).Single();
        Assert.Equal(("chat", 100, 90), (row.Source, row.Capacity, row.Minutes));
        Assert.Equal(new DateTime(2027, 3, 3, 11, 30, 0), row.StartsAt);
        Assert.Equal(2, await bot.ScalarAsync<long>("select count(*) from reminder_slots where session_id = (select id from sessions where key = 'ev') and state = 'scheduled'"));
        Assert.Equal(1, await AuditCountAsync("session.create"));

        var signup = await bot.AskAsync(Reader, "报名 ev");
        Assert.Contains("报名成功", signup.Text);
    }

    [Theory]
    [InlineData("/newsession", "用法")]
    [InlineData("/newsession ev 2027-02-30 19:30 90 100 标题", "日期「2027-02-30」看不懂")]
    [InlineData("/newsession ev 2027-03-03 25:00 90 100 标题", "时间「25:00」看不懂")]
    [InlineData("/newsession ev 2027-01-19 19:30 90 100 标题", "已经过去了")]
    [InlineData("/newsession ev 2027-03-03 19:30 0 100 标题", "时长「0」无效")]
    [InlineData("/newsession ev 2027-03-03 19:30 90 -5 标题", "名额「-5」无效")]
    [InlineData("/newsession ev 2027-03-03 19:30 90 100", "缺少标题")]
    [InlineData("/newsession 电动车 2027-03-03 19:30 90 100 标题", "KEY「电动车」无效")]
    [InlineData("/newsession metaverse 2027-03-03 19:30 90 100 标题", "已经被另一场使用了")]
    public async Task Bad_new_session_input_gets_a_clear_answer_and_stores_nothing(string command, string expected)
    {
        var before = await bot.ScalarAsync<long>("select count(*) from sessions");

        var reply = await bot.AskAsync(Organizer, command);

        Assert.Contains(expected, reply.Text);
        Assert.Equal(before, await bot.ScalarAsync<long>("select count(*) from sessions"));
        Assert.Equal(0, await AuditCountAsync("session.create"));
    }

    [Fact]
    public async Task Bad_input_is_explained_in_english_too()
    {
        var reply = await bot.AskAsync(Organizer, "/newsession ev 2027-01-19 19:30 90 100 Title", language: "en");

        Assert.Contains("is in the past", reply.Text);
    }

    [Fact]
    public async Task A_session_made_in_chat_survives_a_restart_untouched_by_the_configuration()
    {
        await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 电动车");
        await bot.AskAsync(Organizer, "/editsession ev title 电动车改");

        await bot.DisposeAsync();
        bot = await BotHarness.StartAsync(new Dictionary<string, string?> { ["Community:Organizers:0"] = "9001" }, connectionString: bot.ConnectionString);

        Assert.Equal("电动车改", await bot.ScalarAsync<string>("select title from sessions where key = 'ev'"));
    }

    [Fact]
    public async Task Moving_a_session_tells_each_registrant_once_and_moves_its_reminder_slots()
    {
        await bot.AskAsync(Reader, "报名 元宇宙");
        await bot.AskAsync(5002, "报名 元宇宙");
        var sessionId = await bot.SessionIdAsync("metaverse");

        var reply = await bot.AskAsync(Organizer, "/editsession metaverse time 2027-02-24 20:00");

        Assert.Contains("已更新", reply.Text);
        foreach (var member in new long[] { Reader, 5002 })
        {
            var notice = await bot.Telegram.WaitForMessageAsync(member, m => m.Text.Contains("时间变更"), JobTimeout);
            Assert.Contains("2月24日 周三 20:00", notice.Text);
        }

        var due = await bot.QueryAsync<DateTime>("select due_at from reminder_slots where session_id = @sessionId and state = 'scheduled' order by due_at", new { sessionId });
        Assert.Equal([new DateTime(2027, 2, 23, 12, 0, 0), new DateTime(2027, 2, 24, 11, 0, 0)], due);
        await Task.Delay(500);
        Assert.Single(bot.Telegram.MessagesTo(Reader), m => m.Text.Contains("时间变更"));
        Assert.Equal(1, await AuditCountAsync("session.edit"));
    }

    [Fact]
    public async Task Raising_the_capacity_promotes_from_the_waitlist_and_tells_the_promoted()
    {
        await bot.AskAsync(Organizer, "/editsession metaverse capacity 1");
        await bot.AskAsync(Reader, "报名 元宇宙");
        var waiting = await bot.AskAsync(5002, "报名 元宇宙");
        await bot.AskAsync(5003, "报名 元宇宙");
        Assert.Contains("候补", waiting.Text);

        var reply = await bot.AskAsync(Organizer, "/editsession metaverse capacity 2");

        Assert.Contains("已从候补名单递补 1 人", reply.Text);
        var promoted = await bot.Telegram.WaitForMessageAsync(5002, m => m.Text.Contains("增加了名额"));
        Assert.NotNull(promoted);
        var statuses = await bot.QueryAsync<(long, string)>("select member_id, status from registrations order by member_id");
        Assert.Equal([(Reader, "confirmed"), (5002, "confirmed"), (5003, "waitlisted")], statuses);
        Assert.Equal((2, 1), (await bot.QueryAsync<(int, int)>("select confirmed_count, waitlisted_count from sessions where key = 'metaverse'")).Single());
    }

    [Theory]
    [InlineData("/editsession nosuch title x", "没有 KEY 为「nosuch」的场次")]
    [InlineData("/editsession metaverse colour red", "不认识的字段「colour」")]
    [InlineData("/editsession metaverse time 2026-01-01 10:00", "已经过去了")]
    [InlineData("/editsession metaverse link ftp://x", "链接「ftp://x」无效")]
    [InlineData("/editsession metaverse", "用法")]
    public async Task Bad_edits_get_a_clear_answer_and_change_nothing(string command, string expected)
    {
        var reply = await bot.AskAsync(Organizer, command);

        Assert.Contains(expected, reply.Text);
        Assert.Equal(0, await AuditCountAsync("session.edit"));
    }

    [Fact]
    public async Task An_over_long_title_or_alias_in_an_edit_is_refused_as_it_would_be_in_the_configuration()
    {
        var title = await bot.AskAsync(Organizer, "/editsession metaverse title " + new string('长', 201));
        var alias = await bot.AskAsync(Organizer, "/editsession metaverse aliases " + new string('a', 33));

        Assert.Contains("201", title.Text);
        Assert.Contains("别名", alias.Text);
        Assert.Contains("太长", alias.Text);
        Assert.Equal("到底什么是\"元宇宙\"", await bot.ScalarAsync<string>("select title from sessions where key = 'metaverse'"));
        Assert.Equal(0, await AuditCountAsync("session.edit"));
    }

    [Fact]
    public async Task Links_and_aliases_can_be_set_and_the_aliases_match_sign_ups()
    {
        await bot.AskAsync(Organizer, "/editsession metaverse link https://meet.example.com/new");
        await bot.AskAsync(Organizer, "/editsession metaverse aliases 虚拟世界，vr");

        Assert.Equal("https://meet.example.com/new", await bot.ScalarAsync<string>("select join_url from sessions where key = 'metaverse'"));
        var signup = await bot.AskAsync(Reader, "报名 虚拟世界");
        Assert.Contains("报名成功", signup.Text);
    }

    [Fact]
    public async Task Cancelling_a_session_asks_first_then_tells_registrants_and_withdraws_reminders()
    {
        await bot.AskAsync(Reader, "报名 元宇宙");
        var sessionId = await bot.SessionIdAsync("metaverse");

        var ask = await bot.AskAsync(Organizer, "/cancelsession metaverse");
        Assert.Contains("确定要取消", ask.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from sessions where cancelled_at is not null"));

        // A reader replaying the organizer's button does nothing.
        var replayed = await bot.PressForNoticeAsync(Reader, ask.Buttons()[0].CallbackData!);
        Assert.Contains("只有组织者或管理员", replayed);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from sessions where cancelled_at is not null"));

        var done = await bot.PressAsync(Organizer, ask.Buttons()[0].CallbackData!);

        Assert.Contains("已取消", done.Text);
        var notice = await bot.Telegram.WaitForMessageAsync(Reader, m => m.Text.Contains("已取消"), JobTimeout);
        Assert.Contains("到底什么是", notice.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from reminder_slots where session_id = @sessionId and state = 'scheduled'", new { sessionId }));
        Assert.Equal(1, await AuditCountAsync("session.cancel"));

        var again = await bot.PressAsync(Organizer, ask.Buttons()[0].CallbackData!);
        Assert.Contains("之前已经取消了", again.Text);
    }
}
