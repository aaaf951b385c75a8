using Baoming.Core.Understanding;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Series;

/// <summary>Following a series by text and by button, 我的报名's follows, 退订, and forged buttons.</summary>
public sealed class FollowTests : IAsyncLifetime
{
    private const long Reader = 8301;
    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync(SeriesBot.Settings());

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private Task<long> SeriesIdAsync(string key) => bot.ScalarAsync<long>("select id from series where key = @key", new { key });

    private async Task<IReadOnlyList<(string Key, string? Source)>> FollowsAsync(long member) =>
        await bot.QueryAsync<(string, string?)>(
            "select x.key, f.source from series_follows f join series x on x.id = f.series_id where f.member_id = @member order by x.key", new { member });

    [Fact]
    public async Task A_reader_follows_by_text_sees_it_under_my_sign_ups_and_unfollows_by_text_with_the_row_deleted()
    {
        var followed = await bot.AskAsync(Reader, "订阅 选题会");
        Assert.Contains("「选题会」有新的场次开放报名时会通知你", followed.Text);
        Assert.Equal([("topics", "chat")], await FollowsAsync(Reader));

        var mine = await bot.AskAsync(Reader, "我的报名");
        var topics = await SeriesIdAsync("topics");
        Assert.Contains("你订阅的系列：选题会", mine.Text);
        Assert.Contains(mine.Buttons(), b => b.CallbackData == CallbackData.Series.Unfollow(topics));

        var unfollowed = await bot.AskAsync(Reader, "退订选题会");
        Assert.Contains("已退订「选题会」", unfollowed.Text);
        Assert.Empty(await FollowsAsync(Reader));
        Assert.DoesNotContain("订阅的系列", (await bot.AskAsync(Reader, "我的报名")).Text);
    }

    [Theory]
    [InlineData("訂閱選題會", "topics")]
    [InlineData("我想关注读书会", "books")]
    [InlineData("订阅 选题", "topics")]
    [InlineData("follow topics", "topics")]
    public async Task Other_phrasings_follow_the_series_they_name(string message, string key)
    {
        await bot.AskAsync(Reader, message);

        Assert.Equal([(key, "chat")], await FollowsAsync(Reader));
    }

    [Fact]
    public async Task Subscribe_alone_lists_the_series_as_buttons_and_an_unknown_name_says_nothing_matched_and_stores_nothing()
    {
        var list = await bot.AskAsync(Reader, "订阅");
        Assert.Equal(
            [CallbackData.Series.Follow(await SeriesIdAsync("topics")), CallbackData.Series.Follow(await SeriesIdAsync("books"))],
            list.Buttons().Select(b => b.CallbackData));

        var unknown = await bot.AskAsync(Reader, "订阅 天文会");
        Assert.Contains("没有找到和「天文会」对应的系列", unknown.Text);
        Assert.Equal(2, unknown.Buttons().Count);
        Assert.Empty(await FollowsAsync(Reader));

        // A cancel of a sign-up is still a cancel, and 取消订阅 never cancels one.
        Assert.Contains("报名成功", (await bot.AskAsync(Reader, "报名 汽车")).Text);
        Assert.Contains("你没有订阅任何系列", (await bot.AskAsync(Reader, "取消订阅")).Text);
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from registrations where member_id = @Reader and status = 'confirmed'", new { Reader }));
        Assert.Contains("已取消", (await bot.AskAsync(Reader, "取消报名")).Text);
    }

    [Fact]
    public async Task After_signing_up_for_a_session_of_the_series_one_button_follows_it_once_with_the_source_signup()
    {
        bot.Say(Reader, "报名 元宇宙");
        var replies = await bot.Telegram.WaitForMessagesAsync(Reader, 2);
        Assert.Contains("报名成功", replies[0].Text);
        var offer = replies[1];
        var button = Assert.Single(offer.Buttons());
        Assert.Equal("以后的场次也通知我", button.Text);

        Assert.Contains("会通知你", (await bot.PressAsync(Reader, button.CallbackData!)).Text);
        Assert.Contains("退订 选题会", (await bot.PressAsync(Reader, button.CallbackData!)).Text);
        Assert.Equal([("topics", "signup")], await FollowsAsync(Reader));

        // Already following: the next sign-up of the series offers nothing more; a session in no series neither.
        var before = bot.Telegram.MessagesTo(Reader).Count;
        Assert.Contains("已取消", (await bot.AskAsync(Reader, "取消报名 元宇宙")).Text);
        Assert.Contains("报名成功", (await bot.AskAsync(Reader, "报名 元宇宙")).Text);
        Assert.Contains("报名成功", (await bot.AskAsync(Reader, "报名 汽车")).Text);
        await bot.WaitUntilIdleAsync();
        Assert.Equal(before + 3, bot.Telegram.MessagesTo(Reader).Count);

        // 退订 under 我的报名 deletes the row.
        var mine = await bot.AskAsync(Reader, "我的报名");
        var unfollow = Assert.Single(mine.Buttons(), b => b.CallbackData!.StartsWith("sx:", StringComparison.Ordinal));
        Assert.Contains("已退订", (await bot.PressAsync(Reader, unfollow.CallbackData!)).Text);
        Assert.Empty(await FollowsAsync(Reader));
    }

    [Theory]
    [InlineData("sf:999999")]
    [InlineData("sf:0")]
    [InlineData("sf:01")]
    [InlineData("sf:abc")]
    [InlineData("sx:999999")]
    [InlineData("sx:-1")]
    public async Task A_forged_follow_or_unfollow_button_has_expired_and_stores_nothing(string data)
    {
        var notice = await bot.PressForNoticeAsync(Reader, data);

        Assert.Contains("按钮已失效", notice);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from series_follows"));
    }

    [Fact]
    public async Task Organizers_put_a_session_in_a_series_and_take_it_out_audited_and_see_the_series()
    {
        var set = await bot.AskAsync(SeriesBot.Organizer, "/editsession auto series books");
        Assert.Contains("已归入系列「读书会」", set.Text);
        Assert.Equal(await SeriesIdAsync("books"), await bot.ScalarAsync<long?>("select series_id from sessions where key = 'auto'"));

        var unknown = await bot.AskAsync(SeriesBot.Organizer, "/editsession auto series nope");
        Assert.Contains("没有 KEY 为「nope」的系列", unknown.Text);

        await bot.AskAsync(Reader, "订阅读书会");
        var overview = await bot.AskAsync(SeriesBot.Organizer, "/series");
        Assert.Contains("读书会（books）— 1 人订阅", overview.Text);
        Assert.Contains("metaverse", overview.Text);
        Assert.Contains("系列：读书会", (await bot.AskAsync(SeriesBot.Organizer, "/sessions")).Text);

        Assert.Contains("已不属于任何系列", (await bot.AskAsync(SeriesBot.Organizer, "/editsession auto series -")).Text);
        Assert.Null(await bot.ScalarAsync<long?>("select series_id from sessions where key = 'auto'"));
        Assert.Equal(2, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'session.edit' and details ->> 'field' = 'series'"));

        Assert.Contains("已新建系列「天文会」", (await bot.AskAsync(SeriesBot.Organizer, "/newseries stars 天文会")).Text);
        Assert.Contains("这个操作只有组织者", (await bot.AskAsync(Reader, "/newseries moon 月亮会")).Text);
        Assert.Equal(3, await bot.ScalarAsync<long>("select count(*) from series"));
    }
}
