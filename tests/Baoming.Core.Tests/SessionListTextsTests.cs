using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Core.Tests;

/// <summary>The reply to 报名 stays within Telegram's limits however many sessions there are and however long their titles.</summary>
public sealed class SessionListTextsTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static readonly Session Metaverse = new()
    {
        Id = 2,
        Key = "metaverse",
        Title = "到底什么是\"元宇宙\"",
        StartsAt = new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8)),
    };

    private static Session[] ManySessions(int count) =>
        [.. Enumerable.Range(1, count).Select(i => Metaverse with { Id = i, Key = $"s{i}", Title = $"第{i}场", StartsAt = Metaverse.StartsAt.AddDays(count - i) })];

    [Fact]
    public void The_session_list_shows_one_page_soonest_first_and_a_button_for_more()
    {
        var reply = new Texts(Language.Chinese, Beijing).SessionList(ManySessions(20));

        var buttons = reply.Buttons.ToList();
        Assert.Equal(Texts.SessionPageSize + 1, buttons.Count);
        Assert.Contains("第20场", buttons[0].Text);
        Assert.Contains("第13场", buttons[7].Text);
        Assert.Contains("更多场次", buttons[^1].Text);
        Assert.Equal(CallbackData.SessionPage(1), buttons[^1].Data);
        Assert.DoesNotContain("第12场", reply.Text);
    }

    [Fact]
    public void The_last_page_has_no_more_button_and_a_forged_page_shows_the_last_one()
    {
        var texts = new Texts(Language.English, Beijing);

        var last = texts.SessionList(ManySessions(20), page: 2).Buttons.ToList();
        var forged = texts.SessionList(ManySessions(20), page: 999).Buttons.ToList();

        Assert.Equal(4, last.Count);
        Assert.Contains("第4场", last[0].Text);
        Assert.Equal(last, forged);
        Assert.Contains("More sessions", texts.SessionList(ManySessions(20), page: 1).Buttons.Last().Text);
    }

    [Fact]
    public void A_long_title_gets_a_clipped_button_that_keeps_its_date()
    {
        var session = Metaverse with { Title = new string('长', 200) };

        var button = new Texts(Language.Chinese, Beijing).SignUpButton(session);

        Assert.True(button.Text.Length <= Texts.ButtonTextMax, button.Text);
        Assert.Contains("…", button.Text);
        Assert.EndsWith("（2月17日 周三）", button.Text);
    }

    [Fact]
    public void Clipping_never_cuts_an_emoji_in_half()
    {
        var session = Metaverse with { Title = string.Concat(Enumerable.Repeat("😀", 60)) };

        var text = new Texts(Language.Chinese, Beijing).SignUpButton(session).Text;

        Assert.True(text.Length <= Texts.ButtonTextMax);
        _ = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(text); // throws on a lone surrogate
    }
}
