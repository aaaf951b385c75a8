using Baoming.Core.Organizers;

namespace Baoming.Core.Tests.AfterSession;

/// <summary>A session's follow-up text: Telegram HTML, checked the same way from the configuration and from chat.</summary>
public sealed class FollowUpTextTests
{
    [Fact]
    public void A_follow_up_keeps_its_markup_and_line_breaks_trimmed_at_the_ends()
    {
        // Act
        var parsed = FollowUpText.Parse("  <b>谢谢参加</b>\n回放：<a href=\"https://example.com/r\">链接</a> &amp; 研报\n ");

        // Assert
        Assert.True(parsed.IsOk);
        Assert.Equal("<b>谢谢参加</b>\n回放：<a href=\"https://example.com/r\">链接</a> &amp; 研报", parsed.Value);
    }

    [Fact]
    public void A_dash_removes_the_follow_up() =>
        Assert.Equal(new Parsed<string?>(null), FollowUpText.Parse(" - "));

    [Theory]
    [InlineData("", InputError.Empty)]
    [InlineData("   ", InputError.Empty)]
    [InlineData("<b></b>", InputError.Empty)]
    [InlineData("<b>回放", InputError.BadHtml)]
    [InlineData("<div>回放</div>", InputError.BadHtml)]
    [InlineData("1 < 2", InputError.BadHtml)]
    public void A_text_telegram_would_refuse_is_refused_with_its_reason(string text, InputError expected) =>
        Assert.Equal(expected, FollowUpText.Parse(text).Error);

    [Fact]
    public void A_text_over_4096_visible_characters_is_refused_with_its_length()
    {
        // Arrange: tags do not count, the visible text does.
        var text = "<b>" + new string('字', TelegramHtml.MaxLength + 1) + "</b>";

        // Act
        var parsed = FollowUpText.Parse(text);

        // Assert
        Assert.Equal(InputError.TooLong, parsed.Error);
        Assert.Equal("4097", parsed.Detail);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<i>回放</i>")]
    public void A_configured_follow_up_that_is_absent_or_valid_has_no_problem(string? text) =>
        Assert.Null(FollowUpText.ConfigurationProblem(text, "Sessions:0:FollowUpAttended"));

    [Theory]
    [InlineData("<b>回放", "Sessions:3:FollowUpNoShow is not valid Telegram HTML")]
    [InlineData(" ", "Sessions:3:FollowUpNoShow has nothing to show")]
    [InlineData("-", "Sessions:3:FollowUpNoShow is \"-\"")]
    public void A_configured_follow_up_telegram_would_refuse_is_named_by_its_key(string text, string expected) =>
        Assert.StartsWith(expected, FollowUpText.ConfigurationProblem(text, "Sessions:3:FollowUpNoShow"), StringComparison.Ordinal);
}
