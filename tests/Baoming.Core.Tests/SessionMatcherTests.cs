using Baoming.Core.Understanding;
using static Baoming.Core.Tests.CommunitySessions;

namespace Baoming.Core.Tests;

public sealed class SessionMatcherTests
{
    // Same evening as Metaverse, to make dates ambiguous.
    private static readonly Session AiChips = new()
    {
        Id = 3,
        Key = "ai-chips",
        Title = "What is next for AI chips?",
        Aliases = ["芯片"],
        StartsAt = new DateTimeOffset(2027, 2, 17, 21, 0, 0, TimeSpan.FromHours(8)),
    };

    private static readonly Session[] RealSessions = [Auto, Metaverse];

    [Theory]
    [InlineData("auto")]
    [InlineData("AUTO")]
    [InlineData("汽车")]
    [InlineData("车")]
    [InlineData("automotive")]
    [InlineData("ａｕｔｏ")]
    public void A_key_or_alias_matches_its_session_exactly(string query)
    {
        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.One(Auto), result);
    }

    [Theory]
    [InlineData("2月17日")]
    [InlineData("2月17号")]
    [InlineData("2月17")]
    [InlineData("2.17")]
    [InlineData("2/17")]
    [InlineData("2-17")]
    [InlineData("02-17")]
    [InlineData("17号")]
    [InlineData("17日")]
    [InlineData("２月１７日")]
    [InlineData("2月17日那场")]
    [InlineData("2027-02-17")]
    [InlineData("feb 17")]
    public void Signup_with_a_date_matches_the_session_on_that_day(string query)
    {
        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.One(Metaverse), result);
    }

    [Fact]
    public void Dates_are_read_in_the_community_time_zone()
    {
        // Arrange: 19:30 in Beijing on the 17th is still the 17th there, but 06:30 in New York.
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        // Act
        var inBeijing = SessionMatcher.Match("17号", RealSessions, Shanghai);
        var inNewYork = SessionMatcher.Match("17号", RealSessions, newYork);

        // Assert
        Assert.Equal(new MatchResult.One(Metaverse), inBeijing);
        Assert.Equal(new MatchResult.One(Metaverse), inNewYork);
        Assert.Equal(new MatchResult.None(), SessionMatcher.Match("18号", RealSessions, Shanghai));
    }

    [Fact]
    public void A_date_late_in_the_evening_belongs_to_the_local_day()
    {
        // Arrange: 00:30 on the 18th in Beijing is the 17th in UTC.
        var lateNight = Metaverse with { Id = 9, StartsAt = new DateTimeOffset(2027, 2, 18, 0, 30, 0, TimeSpan.FromHours(8)) };

        // Act
        var result = SessionMatcher.Match("2月18日", [lateNight], Shanghai);

        // Assert
        Assert.Equal(new MatchResult.One(lateNight), result);
    }

    [Theory]
    [InlineData("2月18日")]
    [InlineData("3月17日")]
    [InlineData("2月30日")]
    [InlineData("18号")]
    [InlineData("2026-02-17")]
    [InlineData("元宇宙 2月18日")]
    public void A_date_without_a_session_matches_nothing_rather_than_falling_back_to_text(string query)
    {
        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.None(), result);
    }

    [Fact]
    public void Two_sessions_on_the_same_day_are_ambiguous_and_ordered_by_start()
    {
        // Arrange
        Session[] sessions = [AiChips, Auto, Metaverse];

        // Act
        var result = SessionMatcher.Match("2月17日", sessions, Shanghai);

        // Assert
        var many = Assert.IsType<MatchResult.Many>(result);
        Assert.Equal([Metaverse, AiChips], many.Sessions);
    }

    [Theory]
    [InlineData("汽车那场")]
    [InlineData("汽车产业")]
    [InlineData("话题交流")]
    [InlineData("auto那场")]
    [InlineData("the automotive one")]
    public void A_query_containing_an_alias_or_part_of_a_title_matches_auto(string query)
    {
        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.One(Auto), result);
    }

    [Theory]
    [InlineData("元宇宙")]
    [InlineData("metaverse")]
    [InlineData("Metaverse")]
    [InlineData("什么是元宇宙")]
    [InlineData("到底什么是“元宇宙”")]
    [InlineData("\"元宇宙\"")]
    [InlineData("元\u200B宇宙")]
    [InlineData("the meta one")]
    public void Quotes_and_invisible_characters_do_not_matter(string query)
    {
        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.One(Metaverse), result);
    }

    [Fact]
    public void English_words_in_a_title_match_as_whole_words()
    {
        // Arrange
        Session[] sessions = [Auto, Metaverse, AiChips];

        // Act
        var whole = SessionMatcher.Match("ai chips", sessions, Shanghai);
        var partial = SessionMatcher.Match("chi", sessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.One(AiChips), whole);
        Assert.Equal(new MatchResult.None(), partial);
    }

    [Theory]
    [InlineData("metadata")]
    [InlineData("autonomy")]
    public void An_english_alias_inside_a_longer_word_does_not_match(string query)
    {
        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.None(), result);
    }

    [Fact]
    public void A_query_naming_two_sessions_is_ambiguous()
    {
        // Act
        var result = SessionMatcher.Match("元宇宙和汽车", [Metaverse, Auto], Shanghai);

        // Assert
        var many = Assert.IsType<MatchResult.Many>(result);
        Assert.Equal([Auto, Metaverse], many.Sessions);
    }

    [Fact]
    public void An_exact_alias_wins_over_a_looser_text_match()
    {
        // Arrange: "meta" is an alias of one session and a word in another's title.
        var metaTalk = AiChips with { Id = 4, Title = "Meta and the future of glasses", Aliases = [] };

        // Act
        var result = SessionMatcher.Match("meta", [metaTalk, Metaverse], Shanghai);

        // Assert
        Assert.Equal(new MatchResult.One(Metaverse), result);
    }

    [Theory]
    [InlineData("车")]
    [InlineData("车 那场")]
    [InlineData("汽车 2月10日")]
    public void A_one_character_alias_matches_as_a_word_of_its_own(string query)
    {
        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.One(Auto), result);
    }

    [Theory]
    [InlineData("我在车上")]
    [InlineData("火车")]
    public void A_one_character_alias_inside_other_words_matches_nothing(string query)
    {
        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.None(), result);
    }

    [Fact]
    public void A_date_and_a_name_pointing_at_different_sessions_match_nothing()
    {
        // Act
        var conflicting = SessionMatcher.Match("2月10日 元宇宙", RealSessions, Shanghai);
        var agreeing = SessionMatcher.Match("2月17日 元宇宙", [AiChips, Auto, Metaverse], Shanghai);

        // Assert
        Assert.Equal(new MatchResult.None(), conflicting);
        Assert.Equal(new MatchResult.One(Metaverse), agreeing);
    }

    [Theory]
    [InlineData("元宇宙", true)]
    [InlineData("2月17日 元宇宙", true)]
    [InlineData("2月17日19:30的元宇宙选题会", true)]
    [InlineData("什么是元宇宙", true)]
    [InlineData("好多人 元宇宙", false)]
    [InlineData("元宇宙的录像回放", false)]
    public void A_query_is_only_about_a_session_when_nothing_else_in_it_is_unexplained(string query, bool isOnlyAbout)
    {
        // Act
        var result = SessionMatcher.IsOnlyAbout(query, Metaverse, Shanghai);

        // Assert
        Assert.Equal(isOnlyAbout, result);
    }

    [Fact]
    public void The_same_session_listed_twice_counts_once()
    {
        // Act
        var result = SessionMatcher.Match("元宇宙", [Metaverse, Metaverse], Shanghai);

        // Assert
        Assert.Equal(new MatchResult.One(Metaverse), result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("！？")]
    [InlineData("🎉")]
    [InlineData("区块链")]
    [InlineData("话")]
    [InlineData("blockchain")]
    [InlineData("2.0")]
    public void Unrelated_or_empty_queries_match_nothing(string query)
    {
        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.Equal(new MatchResult.None(), result);
    }

    [Fact]
    public void No_candidates_match_nothing()
    {
        // Act
        var result = SessionMatcher.Match("元宇宙", [], Shanghai);

        // Assert
        Assert.Equal(new MatchResult.None(), result);
    }

    [Fact]
    public void A_4096_character_query_is_handled()
    {
        // Arrange
        var random = new Random(17);
        var chars = new char[4096];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(4) switch
            {
                0 => (char)('0' + random.Next(10)),
                1 => "月日号.-/"[random.Next(6)],
                _ => (char)random.Next(0, char.MaxValue + 1),
            };
        }

        // Act
        var result = SessionMatcher.Match(new string(chars), RealSessions, Shanghai);

        // Assert
        Assert.NotNull(result);
    }

    [Fact]
    public void A_long_repetitive_query_does_not_blow_up()
    {
        // Arrange: the kind of input that makes backtracking regexes slow.
        var query = string.Concat(Enumerable.Repeat("1.1.1-1/", 600)) + new string(' ', 100) + "元";

        // Act
        var result = SessionMatcher.Match(query, RealSessions, Shanghai);

        // Assert
        Assert.NotNull(result);
    }
}
