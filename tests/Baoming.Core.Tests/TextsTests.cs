using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Core.Tests;

public sealed class TextsTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static readonly Session Metaverse = new()
    {
        Id = 2,
        Key = "metaverse",
        Title = "到底什么是\"元宇宙\"",
        StartsAt = new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8)),
        Capacity = 500,
        JoinUrl = "https://meeting.example.com/m",
    };

    [Fact]
    public void The_confirmation_names_the_session_and_its_Beijing_time()
    {
        var reply = new Texts(Language.Chinese, Beijing).Confirmed(Metaverse, includeJoinUrl: false);

        Assert.Contains("到底什么是\"元宇宙\"", reply.Text);
        Assert.Contains("2月17日 周三 19:30（北京时间）", reply.Text);
        Assert.DoesNotContain("meeting.example.com", reply.Text);
    }

    [Fact]
    public void The_confirmation_close_to_the_start_carries_the_join_link() =>
        Assert.Contains("https://meeting.example.com/m", new Texts(Language.Chinese, Beijing).Confirmed(Metaverse, includeJoinUrl: true).Text);

    [Fact]
    public void The_session_list_has_one_signup_button_per_session_with_its_title()
    {
        var reply = new Texts(Language.Chinese, Beijing).SessionList([Metaverse]);

        var button = Assert.Single(reply.Buttons);
        Assert.Contains(Metaverse.Title, button.Text);
        Assert.True(CallbackData.TryParse(button.Data, out var action));
        Assert.Equal(new ButtonAction.SignUp(2), action);
    }

    [Fact]
    public void A_question_naming_a_session_is_answered_with_what_was_understood_and_its_button()
    {
        // Act
        var chinese = new Texts(Language.Chinese, Beijing).OfferSignUp(Metaverse);
        var english = new Texts(Language.English, Beijing).OfferSignUp(Metaverse);

        // Assert
        Assert.StartsWith("要报名「到底什么是\"元宇宙\"」", chinese.Text);
        Assert.EndsWith("吗？点下面的按钮即可报名。", chinese.Text);
        Assert.Equal(CallbackData.SignUp(Metaverse.Id), Assert.Single(chinese.Buttons).Data);
        Assert.StartsWith("Sign up for \"到底什么是\"元宇宙\"\"", english.Text);
    }

    [Fact]
    public void English_members_get_English_with_the_same_facts()
    {
        var reply = new Texts(Language.English, Beijing).Waitlisted(Metaverse, 3);

        Assert.Contains("waitlist", reply.Text);
        Assert.Contains("3", reply.Text);
        Assert.DoesNotContain("候补", reply.Text);
    }

    [Fact]
    public void A_long_query_is_clipped_without_splitting_an_emoji()
    {
        var query = new string('a', 19) + "😀" + new string('b', 100);

        var text = new Texts(Language.Chinese, Beijing).NoMatch(query, []).Text;

        Assert.Contains(new string('a', 19) + "…", text);
        Assert.DoesNotContain(new string('b', 21), text);
    }

    [Fact]
    public void The_group_reply_is_only_a_link_to_the_private_chat()
    {
        var reply = new Texts(Language.Chinese, Beijing).GoToPrivateChat("https://t.me/Bot?start=metaverse");

        var button = Assert.Single(reply.Buttons);
        Assert.Equal("https://t.me/Bot?start=metaverse", button.Url);
        Assert.Null(button.Data);
    }
}

public sealed class TextsSpanTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Theory]
    [InlineData("1.00:00:00", "1 天", "1 day")]
    [InlineData("01:00:00", "1 小时", "1 hour")]
    [InlineData("00:30:00", "30 分钟", "30 minutes")]
    [InlineData("00:01:30", "90 秒", "90 seconds")]
    public void Reminder_offsets_read_naturally(string offset, string chinese, string english)
    {
        var span = TimeSpan.Parse(offset, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(chinese, new Texts(Language.Chinese, Beijing).Span(span));
        Assert.Equal(english, new Texts(Language.English, Beijing).Span(span));
    }
}
