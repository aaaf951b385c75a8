using Baoming.Core.Understanding;

namespace Baoming.Core.Tests;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("２月１７日", "2月17日")]
    [InlineData("ＳＩＧＮ　ＵＰ", "sign up")]
    [InlineData("报名　元宇宙", "报名 元宇宙")]
    public void Full_width_characters_become_ascii(string input, string expected)
    {
        // Act
        var normalized = TextNormalizer.Normalize(input);

        // Assert
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("报\u200B名")]
    [InlineData("\uFEFF报名")]
    [InlineData("报\u200D名\u200E")]
    [InlineData("\u202E报名\u202C")]
    [InlineData("\u2066报名\u2069")]
    [InlineData("报\u2060名")]
    public void Zero_width_and_bidi_controls_are_removed(string input)
    {
        // Act
        var normalized = TextNormalizer.Normalize(input);

        // Assert
        Assert.Equal("报名", normalized);
    }

    [Theory]
    [InlineData("報名", "报名")]
    [InlineData("我報了什麼", "我报了什么")]
    [InlineData("這場", "这场")]
    public void Traditional_characters_used_by_the_phrases_are_simplified(string input, string expected)
    {
        // Act
        var normalized = TextNormalizer.Normalize(input);

        // Assert
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("報個名", "报个名")]
    [InlineData("那場", "那场")]
    [InlineData("汽車產業的話題交流", "汽车产业的话题交流")]
    [InlineData("到底什麼是「元宇宙」", "到底什么是「元宇宙」")]
    [InlineData("預約參加，登記", "预约参加,登记")]
    [InlineData("麻煩幫我報名", "麻烦帮我报名")]
    [InlineData("什么是元宇宙", "什么是元宇宙")]
    public void Traditional_characters_anywhere_become_simplified_from_the_opencc_table(string input, string expected)
    {
        // Act
        var normalized = TextNormalizer.Normalize(input);

        // Assert
        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void Whitespace_is_trimmed_and_collapsed_to_single_spaces()
    {
        // Act
        var normalized = TextNormalizer.Normalize("  报名 \t\n  元宇宙\u00A0\u3000 ");

        // Assert
        Assert.Equal("报名 元宇宙", normalized);
    }

    [Fact]
    public void Ascii_letters_are_lower_cased_and_other_scripts_are_left_alone()
    {
        // Act
        var normalized = TextNormalizer.Normalize("Sign Up İSTANBUL Ωmega");

        // Assert
        Assert.Equal("sign up İstanbul Ωmega", normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u200B\u200B")]
    public void Nothing_gives_an_empty_string(string? input)
    {
        // Act
        var normalized = TextNormalizer.Normalize(input);

        // Assert
        Assert.Equal("", normalized);
    }

    [Fact]
    public void Lone_surrogates_and_noncharacters_are_dropped_instead_of_throwing()
    {
        // Arrange: built at run time because attribute strings cannot hold lone surrogates.
        string[] inputs =
        [
            "报" + (char)0xD800 + "名",
            "报" + (char)0xDC00 + "名",
            "报名" + (char)0xD83D,
            (char)0xDE00 + "报名",
            "报\uFFFE名",
        ];

        foreach (var input in inputs)
        {
            // Act
            var normalized = TextNormalizer.Normalize(input);

            // Assert
            Assert.Equal("报名", normalized);
        }
    }

    [Fact]
    public void Emoji_survive_normalization()
    {
        // Act
        var normalized = TextNormalizer.Normalize("报名 🎉👍🏽");

        // Assert
        Assert.Equal("报名 🎉👍🏽", normalized);
    }

    [Fact]
    public void Long_arbitrary_unicode_is_handled()
    {
        // Arrange
        var random = new Random(20270217);
        var chars = new char[8192];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(0, char.MaxValue + 1);
        }

        // Act
        var normalized = TextNormalizer.Normalize(new string(chars));

        // Assert
        Assert.NotNull(normalized);
        Assert.Equal(normalized.Trim(), normalized);
        Assert.DoesNotContain("  ", normalized, StringComparison.Ordinal);
    }
}
