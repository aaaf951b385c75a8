using Baoming.Core.Replies;

namespace Baoming.Core.Tests;

public sealed class TimeFormatTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DateTimeOffset MetaverseStart = new(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Chinese_shows_date_weekday_time_and_beijing_time()
    {
        // Act
        var text = TimeFormat.Format(MetaverseStart, Shanghai, Language.Chinese);

        // Assert
        Assert.Equal("2月17日 周三 19:30（北京时间）", text);
    }

    [Fact]
    public void English_shows_date_weekday_time_and_beijing_time()
    {
        // Act
        var text = TimeFormat.Format(MetaverseStart, Shanghai, Language.English);

        // Assert
        Assert.Equal("Wed, Feb 17, 19:30 (Beijing time)", text);
    }

    [Fact]
    public void The_instant_is_shown_in_the_zone_not_in_its_own_offset()
    {
        // Arrange: the same moment written in UTC.
        var utc = MetaverseStart.ToUniversalTime();

        // Act
        var text = TimeFormat.Format(utc, Shanghai, Language.Chinese);

        // Assert
        Assert.Equal("2月17日 周三 19:30（北京时间）", text);
    }

    [Theory]
    [InlineData(Language.Chinese, "2月17日 周三 20:30（UTC+09:00）")]
    [InlineData(Language.English, "Wed, Feb 17, 20:30 (UTC+09:00)")]
    public void Other_zones_are_labelled_with_their_utc_offset(Language language, string expected)
    {
        // Act
        var text = TimeFormat.Format(MetaverseStart, Tokyo, language);

        // Assert
        Assert.Equal(expected, text);
    }

    [Fact]
    public void Negative_offsets_and_a_date_change_are_shown()
    {
        // Act
        var text = TimeFormat.Format(MetaverseStart, NewYork, Language.English);

        // Assert
        Assert.Equal("Wed, Feb 17, 06:30 (UTC-05:00)", text);
    }

    [Fact]
    public void Any_zone_at_utc_plus_8_is_called_beijing_time()
    {
        // Arrange
        var singapore = TimeZoneInfo.FindSystemTimeZoneById("Asia/Singapore");

        // Act
        var text = TimeFormat.Format(MetaverseStart, singapore, Language.Chinese);

        // Assert
        Assert.Equal("2月17日 周三 19:30（北京时间）", text);
    }

    [Theory]
    [InlineData(15, "2月15日 周一", "Mon, Feb 15")]
    [InlineData(16, "2月16日 周二", "Tue, Feb 16")]
    [InlineData(17, "2月17日 周三", "Wed, Feb 17")]
    [InlineData(18, "2月18日 周四", "Thu, Feb 18")]
    [InlineData(19, "2月19日 周五", "Fri, Feb 19")]
    [InlineData(20, "2月20日 周六", "Sat, Feb 20")]
    [InlineData(21, "2月21日 周日", "Sun, Feb 21")]
    public void Dates_name_every_weekday(int day, string chinese, string english)
    {
        // Arrange
        var instant = new DateTimeOffset(2027, 2, day, 19, 30, 0, TimeSpan.FromHours(8));

        // Act
        var zh = TimeFormat.FormatDate(instant, Shanghai, Language.Chinese);
        var en = TimeFormat.FormatDate(instant, Shanghai, Language.English);

        // Assert
        Assert.Equal(chinese, zh);
        Assert.Equal(english, en);
    }

    [Fact]
    public void Output_does_not_depend_on_the_current_culture()
    {
        // Arrange
        var original = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
        try
        {
            // Act
            var text = TimeFormat.Format(MetaverseStart, Shanghai, Language.English);

            // Assert
            Assert.Equal("Wed, Feb 17, 19:30 (Beijing time)", text);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = original;
        }
    }
}
