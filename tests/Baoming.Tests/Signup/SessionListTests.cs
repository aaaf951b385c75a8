using Baoming.Core.Organizers;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Signup;

/// <summary>
/// The reply to 报名 stays within what Telegram accepts however many sessions are open and however
/// long their titles, end to end: fake Bot API → real bot → real PostgreSQL.
/// </summary>
public sealed class SessionListTests
{
    private const long Organizer = 9001;
    private const long Reader = 5001;

    /// <summary>The community's two sessions (10 and 17 February) and 18 more, one a day from 18 February.</summary>
    private static Dictionary<string, string?> TwentySessions()
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 2; i < 20; i++)
        {
            foreach (var (key, value) in BotHarness.ExtraSession(i, $"s{i}", $"第{i}场", new DateTimeOffset(2027, 2, 16, 19, 30, 0, TimeSpan.FromHours(8)).AddDays(i)))
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    [Fact]
    public async Task With_twenty_open_sessions_signup_shows_eight_and_more_shows_the_next()
    {
        await using var bot = await BotHarness.StartAsync(TwentySessions());

        var first = await bot.AskAsync(Reader, "报名");

        var buttons = first.Buttons();
        Assert.Equal(9, buttons.Count);
        Assert.Contains("汽车产业的话题交流", buttons[0].Text);
        Assert.Contains("第7场", buttons[7].Text);
        Assert.Contains("更多场次", buttons[8].Text);

        var second = await bot.PressAsync(Reader, buttons[8].CallbackData!);

        var next = second.Buttons();
        Assert.Equal(9, next.Count);
        Assert.Contains("第8场", next[0].Text);
        Assert.Contains("第15场", next[7].Text);
        Assert.Contains("更多场次", next[8].Text);
        var third = await bot.PressAsync(Reader, next[8].CallbackData!);
        Assert.Equal(["第16场", "第17场", "第18场", "第19场"], third.Buttons().Select(b => b.Text.Split('：', '（')[1]));

        // A button further down the list still signs up.
        var signedUp = await bot.PressAsync(Reader, third.Buttons()[3].CallbackData!);
        Assert.Contains("报名成功", signedUp.Text);
    }

    [Fact]
    public async Task A_forged_page_shows_the_last_page_and_stores_nothing()
    {
        await using var bot = await BotHarness.StartAsync(TwentySessions());

        var reply = await bot.PressAsync(Reader, "sp:2147483647");

        Assert.Contains("第19场", reply.Buttons()[^1].Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from registrations"));
    }

    [Fact]
    public async Task A_session_with_a_long_configured_title_still_gets_a_clipped_button()
    {
        var title = new string('长', SessionLimits.MaxTitleLength);
        await using var bot = await BotHarness.StartAsync(BotHarness.ExtraSession(2, "long", title, new DateTimeOffset(2027, 2, 20, 19, 30, 0, TimeSpan.FromHours(8))));

        var reply = await bot.AskAsync(Reader, "报名");

        var button = Assert.Single(reply.Buttons(), b => b.Text.Contains('长', StringComparison.Ordinal));
        Assert.True(button.Text.Length <= 40, button.Text);
        Assert.Contains("…", button.Text);
        Assert.Contains(title, reply.Text);
        var signedUp = await bot.PressAsync(Reader, button.CallbackData!);
        Assert.Contains("报名成功", signedUp.Text);
    }

    [Fact]
    public async Task A_title_over_the_cap_made_in_chat_is_refused_with_the_reason()
    {
        await using var bot = await BotHarness.StartAsync(new Dictionary<string, string?> { ["Community:Organizers:0"] = "9001" });

        var reply = await bot.AskAsync(Organizer, "/newsession ev 2027-03-03 19:30 90 100 " + new string('长', SessionLimits.MaxTitleLength + 1));

        Assert.Contains("标题太长了（201 个字），最多 200 个字。", reply.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from sessions where key = 'ev'"));
    }
}
