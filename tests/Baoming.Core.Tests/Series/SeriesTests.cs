using Baoming.Core.Series;
using Baoming.Core.Understanding;

namespace Baoming.Core.Tests.Series;

/// <summary>Following a series in the parser, the series matcher and the invitation's rules.</summary>
public sealed class SeriesTests
{
    private static readonly SeriesInfo Topics = new(1, "topics", "线上选题会", ["选题会", "选题"]);
    private static readonly SeriesInfo Books = new(2, "books", "读书会", []);
    private static readonly SeriesInfo BookClub = new(3, "bookclub", "读书俱乐部", []);

    [Theory]
    [InlineData("订阅 选题会", "选题会")]
    [InlineData("订阅选题会", "选题会")]
    [InlineData("訂閱選題會", "选题会")]
    [InlineData("关注 选题会", "选题会")]
    [InlineData("我想订阅选题会", "选题会")]
    [InlineData("请帮我订阅一下选题会系列吧", "选题会")]
    [InlineData("follow topics", "topics")]
    [InlineData("subscribe to topics", "topics")]
    public void A_follow_names_the_series(string message, string query) =>
        Assert.Equal(new Intent.Follow(query), MessageParser.Parse(message));

    [Theory]
    [InlineData("订阅")]
    [InlineData("关注")]
    [InlineData("订阅？")]
    [InlineData("订阅选题会吗")]
    public void Subscribe_alone_or_asked_is_the_list(string message) =>
        Assert.Equal(new Intent.Follow(null), MessageParser.Parse(message));

    [Theory]
    [InlineData("取消订阅 选题会", "选题会")]
    [InlineData("取消订阅选题会", "选题会")]
    [InlineData("取消關注選題會", "选题会")]
    [InlineData("退订选题会", "选题会")]
    [InlineData("退订 选题会系列", "选题会")]
    [InlineData("不再订阅读书会", "读书会")]
    [InlineData("unsubscribe topics", "topics")]
    public void An_unfollow_names_the_series(string message, string query) =>
        Assert.Equal(new Intent.Unfollow(query), MessageParser.Parse(message));

    [Theory]
    [InlineData("取消订阅")]
    [InlineData("退订通知")]
    [InlineData("unsubscribe")]
    public void Unfollow_alone_is_the_members_follows(string message) =>
        Assert.Equal(new Intent.Unfollow(null), MessageParser.Parse(message));

    [Theory]
    [InlineData("退订汽车那场")]
    [InlineData("退订")]
    [InlineData("取消报名")]
    [InlineData("取消报名 元宇宙")]
    public void Cancel_phrases_still_cancel_a_sign_up(string message) =>
        Assert.IsType<Intent.Cancel>(MessageParser.Parse(message));

    [Theory]
    [InlineData("谢谢关注")]
    [InlineData("关注一下报名情况")]
    [InlineData("我不想订阅")]
    public void Words_that_only_mention_following_are_not_a_follow(string message) =>
        Assert.IsNotType<Intent.Follow>(MessageParser.Parse(message));

    [Theory]
    [InlineData("选题会", 1L)]
    [InlineData("選題會", 1L)]
    [InlineData("TOPICS", 1L)]
    [InlineData("线上选题会", 1L)]
    [InlineData("读书会", 2L)]
    [InlineData("俱乐部", 3L)]
    public void The_matcher_finds_one_series_by_key_title_or_alias(string query, long id) =>
        Assert.Equal(id, Assert.IsType<SeriesMatch.One>(SeriesMatcher.Match(query, [Topics, Books, BookClub])).Series.Id);

    [Fact]
    public void The_matcher_never_guesses()
    {
        Assert.Equal(2, Assert.IsType<SeriesMatch.Many>(SeriesMatcher.Match("读书", [Topics, Books, BookClub])).Series.Count);
        Assert.IsType<SeriesMatch.None>(SeriesMatcher.Match("天文会", [Topics, Books, BookClub]));
        Assert.IsType<SeriesMatch.None>(SeriesMatcher.Match("会", [Topics, Books, BookClub]));
    }

    [Fact]
    public void The_invitation_source_is_series_and_the_key_and_always_fits_the_button()
    {
        Assert.Equal("series-topics", SeriesRules.InvitationSource("topics", 42));
        Assert.Equal("su:42:series-topics", CallbackData.SignUp(42, SeriesRules.InvitationSource("topics", 42)));

        var longKey = new string('k', 64);
        var data = CallbackData.SignUp(long.MaxValue, SeriesRules.InvitationSource(longKey, long.MaxValue));
        Assert.True(data.Length <= CallbackData.MaxBytes);
        Assert.True(CallbackData.TryParse(data, out var action));
        Assert.StartsWith("series-kkk", Assert.IsType<ButtonAction.SignUp>(action).Source);
    }

    [Fact]
    public void Follow_buttons_parse_only_in_the_form_written()
    {
        Assert.Equal("sf:7", CallbackData.Series.Follow(7));
        Assert.Equal("sx:7", CallbackData.Series.Unfollow(7));
        Assert.True(CallbackData.Series.TryParseSeries("7", out var id));
        Assert.Equal(7, id);
        Assert.False(CallbackData.Series.TryParseSeries("07", out _));
        Assert.False(CallbackData.Series.TryParseSeries("-7", out _));
        Assert.False(CallbackData.Series.TryParseSeries("7:x", out _));
    }

    [Fact]
    public void An_invitation_is_due_when_sign_up_opens_or_at_once()
    {
        var now = new DateTimeOffset(2027, 1, 20, 4, 0, 0, 500, TimeSpan.Zero);
        Assert.Equal(now.AddDays(1).AddMilliseconds(-500), SeriesRules.InvitationDue(now.AddDays(1).AddMilliseconds(-500), now));
        Assert.Equal(now.AddMilliseconds(-500), SeriesRules.InvitationDue(null, now));
        Assert.Equal(now.AddMilliseconds(-500), SeriesRules.InvitationDue(now.AddDays(-1), now));
    }
}
