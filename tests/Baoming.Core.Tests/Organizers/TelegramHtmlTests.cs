using Baoming.Core.Organizers;

namespace Baoming.Core.Tests.Organizers;

/// <summary>
/// A broadcast's HTML is checked as Telegram parses it (https://core.telegram.org/bots/api#html-style):
/// each tag with only the attributes Telegram gives it a meaning, and entities that name real characters.
/// </summary>
public sealed class TelegramHtmlTests
{
    [Theory]
    [InlineData("<a href=\"https://example.com/a?b=1&amp;c=2\">链接</a>")]
    [InlineData("<a href='http://example.com'>单引号</a>")]
    [InlineData("<a href=\"tg://user?id=123456789\">提到某人</a>")]
    [InlineData("<a href=\"mailto:team@example.com\">写信</a>")]
    [InlineData("<A HREF=\"https://example.com\">大写</A>")]
    [InlineData("<span class=\"tg-spoiler\">剧透</span> <tg-spoiler>剧透</tg-spoiler>")]
    [InlineData("<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>")]
    [InlineData("<blockquote>引用</blockquote><blockquote expandable>可展开的引用</blockquote>")]
    [InlineData("<pre><code class=\"language-python\">print(1)</code></pre>")]
    [InlineData("<pre>x</pre> <code>y</code>")]
    [InlineData("<b>粗</b><strong>粗</strong><i>斜</i><em>斜</em><u>下</u><ins>下</ins><s>删</s><strike>删</strike><del>删</del>")]
    [InlineData("&lt;&gt;&amp;&quot; &#20320;&#x597D;&#X597d; &#128512; &#x10FFFF;")]
    public void What_Telegram_accepts_passes(string text)
    {
        var check = TelegramHtml.Check(text);

        Assert.True(check.IsValid, check.Problem);
    }

    [Theory]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "javascript:alert(1)")]
    [InlineData("<a href=\"ftp://example.com\">x</a>", "ftp://example.com")]
    [InlineData("<a href=\"https://\">x</a>", "https://")]
    [InlineData("<a href=\"\">x</a>", "href")]
    [InlineData("<a href>x</a>", "href")]
    [InlineData("<a href=\"网址\">x</a>", "网址")]
    [InlineData("<a title=\"x\" href=\"https://example.com\">x</a>", "title")]
    public void A_link_needs_an_http_https_tg_or_mailto_url_and_nothing_else(string text, string named)
    {
        var check = TelegramHtml.Check(text);

        Assert.False(check.IsValid);
        Assert.Contains(named, check.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<span>x</span>", "tg-spoiler")]
    [InlineData("<span class=\"spoiler\">x</span>", "tg-spoiler")]
    [InlineData("<span class=\"tg-spoiler\" style=\"color:red\">x</span>", "style")]
    [InlineData("<code class=\"language-cs\">x</code>", "<pre>")]
    [InlineData("<pre><code class=\"cs\">x</code></pre>", "language-")]
    [InlineData("<pre class=\"language-cs\">x</pre>", "class")]
    [InlineData("<tg-emoji>👍</tg-emoji>", "emoji-id")]
    [InlineData("<tg-emoji emoji-id=\"abc\">👍</tg-emoji>", "emoji-id")]
    [InlineData("<blockquote collapsed>x</blockquote>", "collapsed")]
    [InlineData("<b class=\"x\">x</b>", "class")]
    [InlineData("<a href=\"https://example.com>x</a>", "引号")]
    public void Each_tag_takes_only_the_attributes_Telegram_gives_it(string text, string named)
    {
        var check = TelegramHtml.Check(text);

        Assert.False(check.IsValid);
        Assert.Contains(named, check.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("&#0;")]
    [InlineData("&#xD800;")]
    [InlineData("&#57343;")]
    [InlineData("&#x110000;")]
    [InlineData("&#1114112;")]
    [InlineData("&#;")]
    [InlineData("&#x;")]
    [InlineData("&#xG1;")]
    public void A_numeric_entity_must_name_a_unicode_character(string entity)
    {
        var check = TelegramHtml.Check($"a {entity} b");

        Assert.False(check.IsValid);
        Assert.Contains(entity, check.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("&nbsp;")]
    [InlineData("&LT;")]
    [InlineData("&copy;")]
    public void Only_the_four_named_entities_Telegram_knows_are_entities(string entity)
    {
        var check = TelegramHtml.Check($"a {entity} b");

        Assert.False(check.IsValid);
        Assert.Contains("&amp;", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_problem_is_told_in_the_organizers_language()
    {
        var check = TelegramHtml.Check("<span>x</span>", Language.English);

        Assert.Equal("<span> needs class=\"tg-spoiler\" (a spoiler); Telegram supports no other span", check.Problem);
    }

    [Fact]
    public void A_character_beyond_the_basic_plane_counts_twice_as_Telegram_counts_utf16()
    {
        Assert.Equal(2, TelegramHtml.Check("&#128512;").VisibleLength);
        Assert.Equal(2, TelegramHtml.Check("😀").VisibleLength);
        Assert.Equal(3, TelegramHtml.Check("<a href=\"https://example.com/?a=1&amp;b=2\">abc</a>").VisibleLength);
    }

    [Fact]
    public void Plain_text_decodes_numeric_entities_too()
    {
        Assert.Equal("你好 😀 <&>\"", TelegramHtml.ToPlain("&#20320;&#x597D; &#128512; &lt;&amp;&gt;&quot;"));
        Assert.Equal("&#0; &nbsp;", TelegramHtml.ToPlain("&#0; &nbsp;"));
    }
}
