using Baoming.Core.Understanding;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Opening;

/// <summary>
/// A session whose sign-up opens at a set time (<c>Sessions:N:OpensAt</c>), as readers meet it before and after
/// that time, end to end: fake Bot API → real bot → real PostgreSQL, with the bot's clock moved past the opening.
/// </summary>
public sealed class OpeningReaderTests : IAsyncLifetime
{
    private const long Reader = 5001;

    /// <summary>Sunday 24 January 2027, 10:00 Beijing time: four days after the harness's now, before both sessions.</summary>
    public static readonly DateTimeOffset Opens = new(2027, 1, 24, 10, 0, 0, TimeSpan.FromHours(8));

    private const string OpensText = "1月24日 周日 10:00（北京时间）开放报名";

    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync(new Dictionary<string, string?> { ["Sessions:1:OpensAt"] = "2027-01-24T10:00:00+08:00" });

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private Task<long> MetaverseRegistrationsAsync() => bot.ScalarAsync<long>(
        "select count(*) from registrations r join sessions s on s.id = r.session_id where s.key = 'metaverse'");

    private Task<int> MetaverseConfirmedCountAsync() => bot.ScalarAsync<int>("select confirmed_count from sessions where key = 'metaverse'");

    [Fact]
    public async Task Before_opening_the_list_shows_when_it_opens_and_no_button_for_it()
    {
        var reply = await bot.AskAsync(Reader, "报名");

        Assert.Contains("到底什么是\"元宇宙\" — 2月17日 周三 19:30（北京时间） · " + OpensText, reply.Text);
        var button = Assert.Single(reply.Buttons());
        Assert.Contains("汽车产业的话题交流", button.Text);
    }

    [Fact]
    public async Task Before_opening_signing_up_by_name_is_refused_with_the_time_and_nothing_is_stored()
    {
        var reply = await bot.AskAsync(Reader, "报名 元宇宙");
        var english = await bot.AskAsync(Reader + 1, "sign up metaverse", language: "en");
        var question = await bot.AskAsync(Reader + 2, "元宇宙那场怎么报名？");

        Assert.Contains("还没有开放报名，将于 " + OpensText, reply.Text);
        Assert.Empty(reply.Buttons());
        Assert.Contains("isn't open yet: it opens Sun, Jan 24, 10:00 (Beijing time)", english.Text);
        Assert.Contains(OpensText, question.Text);
        Assert.Empty(question.Buttons());
        Assert.Equal(0, await MetaverseRegistrationsAsync());
        Assert.Equal(0, await MetaverseConfirmedCountAsync());
    }

    [Fact]
    public async Task Before_opening_the_deep_link_card_says_when_without_a_button()
    {
        var card = await bot.AskAsync(Reader, "/start metaverse-wx36kr");

        Assert.Contains("到底什么是\"元宇宙\"", card.Text);
        Assert.Contains("⏰ " + OpensText, card.Text);
        Assert.Empty(card.Buttons());
    }

    [Fact]
    public async Task A_forged_or_early_sign_up_button_before_opening_is_refused_and_nothing_is_stored()
    {
        var sessionId = await bot.SessionIdAsync("metaverse");

        var plain = await bot.PressAsync(Reader, CallbackData.SignUp(sessionId));
        var withSource = await bot.PressAsync(Reader + 1, CallbackData.SignUp(sessionId, "wx36kr"));

        Assert.Contains(OpensText, plain.Text);
        Assert.Contains(OpensText, withSource.Text);
        Assert.DoesNotContain("报名成功", plain.Text + withSource.Text);
        Assert.Equal(0, await MetaverseRegistrationsAsync());
        Assert.Equal(0, await MetaverseConfirmedCountAsync());
    }

    [Fact]
    public async Task From_the_opening_time_it_is_a_normal_session_without_a_restart()
    {
        var sessionId = await bot.SessionIdAsync("metaverse");
        Assert.Contains(OpensText, (await bot.AskAsync(Reader, "报名 元宇宙")).Text);

        bot.Time.SetUtcNow(Opens);

        var list = await bot.AskAsync(Reader, "报名");
        Assert.DoesNotContain("开放报名", list.Text);
        Assert.Equal(2, list.Buttons().Count);
        Assert.Contains("报名成功", (await bot.PressAsync(Reader, list.Buttons()[1].CallbackData!)).Text);
        Assert.Contains("报名成功", (await bot.AskAsync(Reader + 1, "报名 元宇宙")).Text);
        // A button made before the time (an early invitation, a forged one) works from the time on.
        Assert.Contains("报名成功", (await bot.PressAsync(Reader + 2, CallbackData.SignUp(sessionId, "wx36kr"))).Text);
        var card = await bot.AskAsync(Reader + 3, "/start metaverse");
        Assert.Single(card.Buttons());
        Assert.DoesNotContain("⏰", card.Text);
        Assert.Equal(3, await MetaverseRegistrationsAsync());
        Assert.Equal(3, await MetaverseConfirmedCountAsync());
    }
}
