using Baoming.Storage;

namespace Baoming.Tests.Storage;

public sealed class PostgresTextTests
{
    [Theory]
    [InlineData("""{"text":"报名\u0000 元宇宙"}""", """{"text":"报名 元宇宙"}""")]
    [InlineData("""{"text":"a\\u0000b"}""", """{"text":"a\\u0000b"}""")]
    [InlineData("""{"text":"\ud83d\ude00 \ud800x"}""", """{"text":"\ud83d\ude00 \ufffdx"}""")]
    [InlineData("""{"text":"\udc00"}""", """{"text":"\ufffd"}""")]
    public void JSON_loses_only_what_jsonb_refuses(string json, string expected) =>
        Assert.Equal(expected, PostgresText.CleanJson(json));

    [Fact]
    public void JSON_that_needs_no_cleaning_comes_back_as_the_same_string()
    {
        var json = """{"text":"\u62a5\u540d","emoji":"😀","quote":"\"x\""}""";

        Assert.Same(json, PostgresText.CleanJson(json));
    }

    [Fact]
    public void Text_loses_NUL_and_unpaired_surrogates_and_keeps_pairs()
    {
        Assert.Equal("读者😀\uFFFD", PostgresText.Clean("读\0者😀\uD800"));
    }
}
