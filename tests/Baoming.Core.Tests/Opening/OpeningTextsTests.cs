using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Core.Tests.Opening;

/// <summary>What readers and organizers read about a session whose sign-up opens later.</summary>
public sealed class OpeningTextsTests
{
    private static readonly DateTimeOffset Opens = new(2027, 1, 24, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset Before = Opens.AddHours(-1);

    private static readonly Session Waiting = CommunitySessions.Metaverse with { OpensAt = Opens };

    private static Texts Chinese => new(Language.Chinese, CommunitySessions.Shanghai);

    private static Texts English => new(Language.English, CommunitySessions.Shanghai);

    [Fact]
    public void The_list_shows_when_a_session_opens_and_no_button_for_it()
    {
        var reply = Chinese.SessionList([CommunitySessions.Auto, Waiting], now: Before);

        Assert.Contains("到底什么是\"元宇宙\" — 2月17日 周三 19:30（北京时间） · 1月24日 周日 10:00（北京时间）开放报名", reply.Text);
        var button = Assert.Single(reply.Buttons);
        Assert.Equal(CallbackData.SignUp(CommunitySessions.Auto.Id), button.Data);
    }

    [Fact]
    public void From_the_opening_time_the_list_shows_it_as_any_other_session()
    {
        var reply = Chinese.SessionList([CommunitySessions.Auto, Waiting], now: Opens);

        Assert.DoesNotContain("开放报名", reply.Text.Split('\n')[2]);
        Assert.Equal(2, reply.Buttons.Count());
    }

    [Fact]
    public void A_list_of_only_sessions_not_open_yet_says_to_come_back_and_has_no_button()
    {
        var reply = English.SessionList([Waiting], now: Before);

        Assert.Contains("sign-up opens Sun, Jan 24, 10:00 (Beijing time)", reply.Text);
        Assert.Contains("Once sign-up opens", reply.Text);
        Assert.Empty(reply.Buttons);
    }

    [Fact]
    public void Several_matches_offer_buttons_only_for_those_open()
    {
        var reply = Chinese.Ambiguous("选题会", [CommunitySessions.Auto, Waiting], Before);

        Assert.Contains("1月24日 周日 10:00（北京时间）开放报名", reply.Text);
        Assert.Equal([CallbackData.SignUp(CommunitySessions.Auto.Id)], reply.Buttons.Select(b => b.Data));
    }

    [Fact]
    public void Not_yet_open_says_when_in_both_languages_and_differs_from_closed()
    {
        Assert.Equal(
            "「到底什么是\"元宇宙\"」（2月17日 周三 19:30（北京时间））还没有开放报名，将于 1月24日 周日 10:00（北京时间）开放报名，到时再来报名吧。",
            Chinese.NotYetOpen(Waiting, Opens).Text);
        Assert.Equal(
            "Sign-up for \"到底什么是\"元宇宙\"\" (Wed, Feb 17, 19:30 (Beijing time)) isn't open yet: it opens Sun, Jan 24, 10:00 (Beijing time). Come back then!",
            English.NotYetOpen(Waiting, Opens).Text);
        Assert.DoesNotContain("开放报名", Chinese.Closed(Waiting).Text);
    }

    [Fact]
    public void The_deep_link_card_before_opening_says_when_and_has_no_button()
    {
        var card = Chinese.SessionCard(Waiting, confirmed: 0, source: "wx", now: Before);

        Assert.Contains("⏰ 1月24日 周日 10:00（北京时间）开放报名", card.Text);
        Assert.Empty(card.Buttons);
        var open = Chinese.SessionCard(Waiting, confirmed: 0, source: "wx", now: Opens);
        Assert.Equal(CallbackData.SignUp(Waiting.Id, "wx"), Assert.Single(open.Buttons).Data);
        Assert.DoesNotContain("⏰", open.Text);
    }

    [Fact]
    public void Organizers_see_the_opening_time_under_a_session_not_open_yet()
    {
        var counts = new SessionCounts(Waiting, 0, 0);

        Assert.Contains("  开放报名：1月24日 周日 10:00（北京时间）\n", Chinese.SessionsOverview([counts], [], now: Before).Text);
        Assert.Contains("  Sign-up opens: Sun, Jan 24, 10:00 (Beijing time)\n", English.SessionsOverview([counts], [], now: Before).Text);
        Assert.DoesNotContain("开放报名：", Chinese.SessionsOverview([counts], [], now: Opens).Text);
    }
}
