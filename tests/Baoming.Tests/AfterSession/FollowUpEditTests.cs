using Baoming.Hosting;
using Baoming.Sessions;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static Baoming.Tests.AfterSession.AfterSessionData;

namespace Baoming.Tests.AfterSession;

/// <summary>Setting a session's follow-ups: <c>/editsession KEY followup_attended|followup_noshow</c> and the configuration.</summary>
public sealed class FollowUpEditTests : IAsyncLifetime
{
    private const long Reader = 5001;

    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync(new Dictionary<string, string?> { ["Community:Organizers:0"] = "9001" });

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private Task<string?> StoredAsync(string column) =>
        bot.ScalarAsync<string?>($"select a.{column} from after_session a join sessions s on s.id = a.session_id where s.key = 'metaverse'");

    [Fact]
    public async Task An_organizer_sets_a_follow_up_over_several_lines_sees_its_preview_and_the_edit_is_audited()
    {
        const string Html = "<b>感谢参加</b>\n回放：<a href=\"https://example.com/r\">链接</a>\n\n研报见附件";
        var before = bot.Telegram.MessagesTo(Organizer).Count;

        bot.Say(Organizer, $"/editsession metaverse followup_attended {Html}");
        var replies = await bot.Telegram.WaitForMessagesAsync(Organizer, before + 2);

        Assert.Equal(Html, replies[before].Text);
        Assert.Equal("html", replies[before].ParseMode, ignoreCase: true);
        Assert.Contains("已保存", replies[before + 1].Text);
        Assert.Contains("来了的人", replies[before + 1].Text);
        Assert.Contains("结束后", replies[before + 1].Text);
        Assert.Contains("配置文件", replies[before + 1].Text); // metaverse comes from the configuration
        Assert.Equal(Html, await StoredAsync("attended_html"));
        Assert.Null(await StoredAsync("no_show_html"));
        var audit = await bot.QueryAsync<string>("select details::text from audit_log where actor_id = @Organizer and action = 'session.edit'", new { Organizer });
        Assert.Contains("followup_attended", Assert.Single(audit));
        // /sessions shows who gets one, and when (the metaverse session ends at 21:00; half an hour later).
        Assert.Contains("会后消息：来了的人 ✓ · 没来的人 — · 2月17日 周三 21:30（北京时间）发出", (await bot.AskAsync(Organizer, "/sessions")).Text);
    }

    [Fact]
    public async Task A_dash_removes_a_follow_up_and_broken_html_is_refused_with_nothing_stored()
    {
        await bot.AskAsync(Organizer, "/editsession metaverse followup_noshow <i>下次见</i>");
        Assert.Equal("<i>下次见</i>", await StoredAsync("no_show_html"));

        var broken = await bot.AskAsync(Organizer, "/editsession metaverse followup_noshow <b>回放");
        Assert.Contains("格式有问题", broken.Text);
        Assert.Contains("用法", broken.Text);
        Assert.Equal("<i>下次见</i>", await StoredAsync("no_show_html"));

        var removed = await bot.AskAsync(Organizer, "/editsession metaverse followup_noshow -");
        Assert.Contains("已删除", removed.Text);
        Assert.Contains("没来的人", removed.Text);
        Assert.Null(await StoredAsync("no_show_html"));
        Assert.Equal(2, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'session.edit'"));
    }

    [Fact]
    public async Task A_follow_up_whose_preview_Telegram_refuses_is_not_kept()
    {
        // Telegram's own parser is the judge: here it refuses HTML the bot's check let through.
        bot.Telegram.Fault = call => call is { Method: "sendMessage", ChatId: Organizer } && call.Body.ContainsKey("parse_mode") ? Fakes.FakeFailure.CantParseEntities() : null;

        var refused = await bot.AskAsync(Organizer, "/editsession metaverse followup_attended <b>Telegram 不认的</b>");
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.Contains("Telegram 拒绝显示这条会后消息", refused.Text);
        Assert.DoesNotContain(bot.Telegram.MessagesTo(Organizer), m => m.Text.Contains("已保存", StringComparison.Ordinal));
        Assert.Null(await StoredAsync("attended_html"));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'session.edit'"));
    }

    [Fact]
    public async Task A_reader_cannot_set_a_follow_up()
    {
        var reply = await bot.AskAsync(Reader, "/editsession metaverse followup_attended 你好");

        Assert.Contains("只有组织者或管理员", reply.Text);
        Assert.Null(await StoredAsync("attended_html"));
    }

    [Fact]
    public async Task Configured_follow_ups_are_stored_with_the_session_and_the_configuration_wins_at_the_next_start()
    {
        await using var telegram = await Fakes.FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        var settings = Settings("configured", BotHarness.Now.AddDays(3));
        await using (var first = await BotHarness.StartAsync(settings, telegram, database))
        {
            // The preview comes first and the text is kept only once Telegram rendered it: wait for 已保存.
            var before = telegram.MessagesTo(Organizer).Count;
            first.Say(Organizer, "/editsession configured followup_attended 改过的");
            Assert.Contains("已保存", (await telegram.WaitForMessagesAsync(Organizer, before + 2))[before + 1].Text);
            Assert.Equal("改过的", await first.ScalarAsync<string>("select attended_html from after_session a join sessions s on s.id = a.session_id where s.key = 'configured'"));
        }

        await using var second = await BotHarness.StartAsync(settings, telegram, database);
        var row = await second.QueryAsync<(string, string)>("select attended_html, no_show_html from after_session a join sessions s on s.id = a.session_id where s.key = 'configured'");
        Assert.Equal((AttendedHtml, NoShowHtml), Assert.Single(row));
    }

    [Theory]
    [InlineData("FollowUpAttended", "<b>回放", "Sessions:0:FollowUpAttended is not valid Telegram HTML")]
    [InlineData("FollowUpNoShow", "<x>hi</x>", "Sessions:0:FollowUpNoShow is not valid Telegram HTML")]
    [InlineData("FollowUpNoShow", " ", "Sessions:0:FollowUpNoShow has nothing to show")]
    public void A_configured_follow_up_telegram_would_refuse_stops_start_up_naming_its_key(string field, string value, string expected)
    {
        var refused = SessionCatalogRefusal.Of(field, value);

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-00:01:00")]
    [InlineData("8.00:00:00")]
    public void A_delay_out_of_range_stops_start_up_naming_its_key(string delay)
    {
        var builder = BaomingHost.CreateBuilder(new Dictionary<string, string?> { ["AfterSession:Delay"] = delay });
        builder.Services.AddBaoming(builder.Configuration, "Host=127.0.0.1;Port=1");
        using var services = builder.Services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<Baoming.AfterSession.AfterSessionOptions>>().Value);

        Assert.Contains("AfterSession:Delay must be between 0 and 7 days", refused.Message, StringComparison.Ordinal);
    }
}
