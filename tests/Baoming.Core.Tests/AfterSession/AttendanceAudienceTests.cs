using Baoming.Core.Organizers;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Core.Tests.AfterSession;

/// <summary>The broadcast audiences "attended" and "no-shows" of a session: their buttons, names and stored names.</summary>
public sealed class AttendanceAudienceTests
{
    private static string Payload(string data) => data[(data.IndexOf(':', StringComparison.Ordinal) + 1)..];

    [Fact]
    public void The_attendance_audiences_have_their_own_codes_and_the_old_codes_are_unchanged()
    {
        // Act & Assert: buttons already in chats carry the old codes.
        Assert.Equal("ba:a", CallbackData.Broadcasts.ChooseAudience(Audience.Attended));
        Assert.Equal("ba:a:42", CallbackData.Broadcasts.ChooseAudience(Audience.Attended, 42));
        Assert.Equal("ba:n", CallbackData.Broadcasts.ChooseAudience(Audience.NoShows));
        Assert.Equal("ba:n:42", CallbackData.Broadcasts.ChooseAudience(Audience.NoShows, 42));
        Assert.Equal("ba:c:42", CallbackData.Broadcasts.ChooseAudience(Audience.Confirmed, 42));
        Assert.Equal("ba:w:42", CallbackData.Broadcasts.ChooseAudience(Audience.Waitlisted, 42));
        Assert.Equal("ba:u", CallbackData.Broadcasts.ChooseAudience(Audience.Upcoming));
        Assert.Equal("ba:e", CallbackData.Broadcasts.ChooseAudience(Audience.Everyone));
    }

    [Theory]
    [InlineData(Audience.Attended)]
    [InlineData(Audience.NoShows)]
    public void An_attendance_audience_parses_back_with_and_without_its_session(Audience audience)
    {
        // Act & Assert
        Assert.True(CallbackData.Broadcasts.TryParseAudience(Payload(CallbackData.Broadcasts.ChooseAudience(audience, long.MaxValue)), out var parsed, out var sessionId));
        Assert.Equal((audience, (long?)long.MaxValue), (parsed, sessionId));
        Assert.True(CallbackData.Broadcasts.TryParseAudience(Payload(CallbackData.Broadcasts.ChooseAudience(audience)), out parsed, out sessionId));
        Assert.Equal((audience, (long?)null), (parsed, sessionId));
    }

    [Theory]
    [InlineData("a:")]
    [InlineData("a:0")]
    [InlineData("n:042")]
    [InlineData("n:-1")]
    [InlineData("A:42")]
    [InlineData("a:42:1")]
    [InlineData("x:42")]
    public void A_forged_attendance_audience_is_refused(string payload) =>
        Assert.False(CallbackData.Broadcasts.TryParseAudience(payload, out _, out _));

    [Fact]
    public void Every_audience_has_one_stored_name_that_reads_back()
    {
        // Act
        var names = Enum.GetValues<Audience>().Select(AudienceNames.Of).ToList();

        // Assert
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Enum.GetValues<Audience>(), a => Assert.Equal(a, AudienceNames.Parse(AudienceNames.Of(a))));
        Assert.Equal("no_shows", AudienceNames.Of(Audience.NoShows));
        Assert.Equal("confirmed", AudienceNames.Of(Audience.Confirmed));
    }

    [Fact]
    public void The_audience_menu_offers_those_who_came_and_those_who_did_not()
    {
        // Arrange
        var texts = new Texts(Language.Chinese, TimeZoneInfo.Utc);

        // Act
        var menu = texts.BroadcastChooseAudience(upcoming: 3, everyone: 9);

        // Assert
        Assert.Contains(menu.Buttons, b => b.Data == "ba:a" && b.Text.Contains("来了", StringComparison.Ordinal));
        Assert.Contains(menu.Buttons, b => b.Data == "ba:n" && b.Text.Contains("没来", StringComparison.Ordinal));
        Assert.Equal(6, menu.Buttons.Count());
    }

    [Fact]
    public void Choosing_a_session_for_an_attendance_audience_shows_its_size_there_and_says_when_none_started()
    {
        // Arrange
        var texts = new Texts(Language.English, TimeZoneInfo.Utc);
        var session = new Session { Id = 7, Key = "past", Title = "Last week", StartsAt = new DateTimeOffset(2027, 1, 13, 12, 0, 0, TimeSpan.Zero) };

        // Act
        var choose = texts.BroadcastChooseSession(Audience.NoShows, [(session, 4)]);
        var none = texts.BroadcastChooseSession(Audience.Attended, []);

        // Assert
        Assert.Contains("no-shows", choose.Text, StringComparison.Ordinal);
        var button = Assert.Single(choose.Buttons);
        Assert.Equal("ba:n:7", button.Data);
        Assert.EndsWith("· 4", button.Text, StringComparison.Ordinal);
        Assert.Contains("No session has started", none.Text, StringComparison.Ordinal);
        Assert.Equal("the confirmed no-shows of \"Last week\"", texts.AudienceName(Audience.NoShows, "Last week"));
    }
}
