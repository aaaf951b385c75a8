using Baoming.Core.Organizers;

namespace Baoming.Core.Tests.Opening;

/// <summary><c>/newsession … opens=… series=… 标题</c> and <c>/editsession KEY opens …</c>, parsed without I/O.</summary>
public sealed class OpeningInputTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Now = new(2027, 1, 20, 12, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset Starts = new(2027, 3, 3, 19, 30, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset Opens = new(2027, 2, 24, 10, 0, 0, TimeSpan.FromHours(8));

    private static Parsed<NewSession> New(string arguments) => OrganizerInput.ParseNewSession(arguments, Beijing, Now);

    [Fact]
    public void Options_between_the_capacity_and_the_title_set_the_opening_time_and_the_series()
    {
        var parsed = New("ev 2027-03-03 19:30 90 100 opens=2027-02-24T10:00 series=xuantihui 电动车的 下一个十年");

        Assert.True(parsed.IsOk, parsed.Error?.ToString());
        Assert.Equal(
            new NewSession("ev", Starts, 90, 100, "电动车的 下一个十年") { OpensAt = Opens, Series = "xuantihui" },
            parsed.Value);
    }

    [Theory]
    [InlineData("ev 2027-03-03 19:30 90 100 series=xuantihui opens=2027-02-24T10:00 标题")]
    [InlineData("ev 2027-03-03 19:30 90 100 OPENS=2027-02-24t10:00 Series=xuantihui 标题")]
    [InlineData("ev 2027-03-03 19:30 90 100 opens＝２０２７-02-24T10：00 series=xuantihui 标题")]
    public void Options_are_read_in_any_order_case_and_keyboard_width(string arguments)
    {
        var parsed = New(arguments);

        Assert.Equal((Opens, "xuantihui", "标题"), (parsed.Value!.OpensAt, parsed.Value.Series, parsed.Value.Title));
    }

    [Fact]
    public void Without_options_a_new_session_is_as_before() =>
        Assert.Equal(new NewSession("ev", Starts, 90, 100, "电动车"), New("ev 2027-03-03 19:30 90 100 电动车").Value);

    [Theory]
    [InlineData("E=mc² 的故事")]
    [InlineData("opens 之后 的故事")]
    [InlineData("电动车 opens=2027-02-24T10:00")]
    public void A_title_that_only_looks_like_an_option_stays_the_title(string title)
    {
        var parsed = New("ev 2027-03-03 19:30 90 100 " + title);

        Assert.Equal((title, (DateTimeOffset?)null, (string?)null), (parsed.Value!.Title, parsed.Value.OpensAt, parsed.Value.Series));
    }

    [Theory]
    [InlineData("opens=2027-02-24 10:00 标题", InputError.BadOpens, "2027-02-24")]
    [InlineData("opens=2027-02-30T10:00 标题", InputError.BadOpens, "2027-02-30T10:00")]
    [InlineData("opens=2027-02-24T25:00 标题", InputError.BadOpens, "2027-02-24T25:00")]
    [InlineData("opens=2027-01-19T10:00 标题", InputError.InThePast, "2027-01-19 10:00")]
    [InlineData("opens=2027-03-03T19:30 标题", InputError.OpensNotBeforeStart, "2027-03-03 19:30")]
    [InlineData("opens=2027-03-04T10:00 标题", InputError.OpensNotBeforeStart, "2027-03-03 19:30")]
    [InlineData("series=选题会 标题", InputError.BadSeriesKey, "选题会")]
    [InlineData("series= 标题", InputError.BadSeriesKey, "")]
    [InlineData("series=a series=b 标题", InputError.RepeatedOption, "series")]
    [InlineData("opens=2027-02-24T10:00 opens=2027-02-25T10:00 标题", InputError.RepeatedOption, "opens")]
    [InlineData("opens=2027-02-24T10:00", InputError.MissingTitle, null)]
    public void A_bad_option_is_refused_naming_it(string rest, InputError error, string? detail)
    {
        var parsed = New("ev 2027-03-03 19:30 90 100 " + rest);

        Assert.Equal((error, detail), (parsed.Error!.Value, parsed.Detail));
    }

    [Theory]
    [InlineData("2027-02-24 10:00")]
    [InlineData("2027-02-24T10:00")]
    [InlineData(" 2027/2/24 10：00 ")]
    public void The_opening_time_of_an_edit_takes_the_forms_of_newsession(string text) =>
        Assert.Equal(Opens, OrganizerInput.ParseOpens(text, Starts, Beijing, Now).Value);

    [Fact]
    public void An_opening_time_at_the_start_names_the_start_in_Beijing_time() =>
        Assert.Equal(
            (InputError.OpensNotBeforeStart, "2027-03-03 19:30"),
            (OrganizerInput.ParseOpens("2027-03-03 19:30", Starts, Beijing, Now) is var p ? (p.Error!.Value, p.Detail) : default));
}
