using Baoming.Core.Organizers;

namespace Baoming.Core.Tests.Organizers;

public sealed class OrganizerInputTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Now = new(2027, 1, 20, 12, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void A_one_line_new_session_reads_key_beijing_time_minutes_capacity_and_title()
    {
        var parsed = OrganizerInput.ParseNewSession("ev 2027-03-03 19:30 90 100 电动车的 下一个十年", Beijing, Now);

        Assert.True(parsed.IsOk);
        Assert.Equal(new NewSession("ev", new DateTimeOffset(2027, 3, 3, 19, 30, 0, TimeSpan.FromHours(8)), 90, 100, "电动车的 下一个十年"), parsed.Value);
    }

    [Fact]
    public void Full_width_digits_and_colons_are_read_as_ascii()
    {
        var parsed = OrganizerInput.ParseTime("２０２７-０３-０３", "１９：３０", Beijing, Now);

        Assert.Equal(new DateTimeOffset(2027, 3, 3, 19, 30, 0, TimeSpan.FromHours(8)), parsed.Value);
    }

    [Theory]
    [InlineData("ev 2027-13-01 19:30 90 1 t", InputError.BadDate)]
    [InlineData("ev 2027-03-01 7pm 90 1 t", InputError.BadTime)]
    [InlineData("ev 2027-01-20 12:00 90 1 t", InputError.InThePast)]
    [InlineData("ev 2027-03-01 19:30 1441 1 t", InputError.BadMinutes)]
    [InlineData("ev 2027-03-01 19:30 90 x t", InputError.BadCapacity)]
    [InlineData("ev 2027-03-01 19:30 90 1", InputError.MissingTitle)]
    [InlineData("e/v 2027-03-01 19:30 90 1 t", InputError.BadKey)]
    [InlineData("ev 2027-03-01", InputError.Usage)]
    public void Bad_input_says_what_is_wrong(string arguments, InputError expected)
    {
        Assert.Equal(expected, OrganizerInput.ParseNewSession(arguments, Beijing, Now).Error);
    }

    [Fact]
    public void Aliases_split_on_ascii_and_chinese_commas_and_a_dash_clears_them()
    {
        Assert.Equal(["虚拟世界", "vr", "元"], OrganizerInput.ParseAliases("虚拟世界，vr, 元、 "));
        Assert.Empty(OrganizerInput.ParseAliases(" - "));
    }

    [Theory]
    [InlineData("<b>粗体</b> <i>斜</i> <a href=\"https://x.y\">链接</a> &lt;3 &amp; <tg-spoiler>s</tg-spoiler>", true)]
    [InlineData("<pre><code class=\"language-cs\">x</code></pre>", true)]
    [InlineData("<b>没关", false)]
    [InlineData("<b><i>x</b></i>", false)]
    [InlineData("1 < 2", false)]
    [InlineData("a > b", false)]
    [InlineData("A & B", false)]
    [InlineData("<script>x</script>", false)]
    [InlineData("<a>no href</a>", false)]
    [InlineData("</b>", false)]
    public void Telegram_html_is_checked_before_sending(string text, bool isValid)
    {
        Assert.Equal(isValid, TelegramHtml.Check(text).IsValid);
    }

    [Fact]
    public void The_length_limit_counts_visible_characters_not_markup()
    {
        Assert.Equal(4, TelegramHtml.Check("<b>ab</b>&amp;c").VisibleLength);
        Assert.Equal("ab&c", TelegramHtml.ToPlain("<b>ab</b>&amp;c"));
    }

    [Fact]
    public void A_title_longer_than_the_configured_cap_is_refused()
    {
        var title = new string('长', SessionLimits.MaxTitleLength + 1);

        var parsed = OrganizerInput.ParseNewSession("ev 2027-03-03 19:30 90 100 " + title, Beijing, Now);

        Assert.Equal(InputError.TitleTooLong, parsed.Error);
    }

    [Fact]
    public void A_title_at_the_cap_is_accepted()
    {
        var title = new string('长', SessionLimits.MaxTitleLength);

        Assert.Equal(title, OrganizerInput.ParseNewSession("ev 2027-03-03 19:30 90 100 " + title, Beijing, Now).Value?.Title);
        Assert.Equal(title, OrganizerInput.ParseTitle(title).Value);
        Assert.Equal(InputError.TitleTooLong, OrganizerInput.ParseTitle(title + "长").Error);
        Assert.Equal(InputError.MissingTitle, OrganizerInput.ParseTitle("  ").Error);
    }

    [Fact]
    public void Aliases_are_capped_in_length_and_number()
    {
        Assert.Equal(["元宇宙", "meta"], OrganizerInput.ParseAliasList("元宇宙, meta").Value);
        Assert.Equal(InputError.AliasTooLong, OrganizerInput.ParseAliasList("ok," + new string('a', SessionLimits.MaxAliasLength + 1)).Error);
        var many = string.Join(",", Enumerable.Range(1, SessionLimits.MaxAliases + 1).Select(i => $"a{i}"));
        Assert.Equal(InputError.TooManyAliases, OrganizerInput.ParseAliasList(many).Error);
        Assert.Empty(OrganizerInput.ParseAliasList("-").Value!);
    }
}
