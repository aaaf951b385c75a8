using Baoming.Core.Export;

namespace Baoming.Core.Tests.Export;

public sealed class ExportRowFormatTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static ExportRow Row(RegistrationStatus status) => new()
    {
        SessionKey = "metaverse",
        SessionTitle = "到底什么是\"元宇宙\"",
        Status = status,
        WaitlistPosition = status == RegistrationStatus.Waitlisted ? 3 : null,
        RegisteredAt = new DateTimeOffset(2027, 1, 20, 4, 5, 6, TimeSpan.Zero),
        CancelledAt = status == RegistrationStatus.Cancelled ? new DateTimeOffset(2027, 1, 21, 16, 30, 0, TimeSpan.Zero) : null,
        TelegramUserId = 5001,
        Username = "alice",
        DisplayName = "Alice 张",
        LanguageCode = "en",
        IsReachable = status != RegistrationStatus.Cancelled,
    };

    private static string?[] Texts(ExportRow row) =>
        [.. ExportRowFormat.Format(row, Beijing).Select(c => c.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? c.Text)];

    [Fact]
    public void A_confirmed_registration_has_no_waitlist_position_nor_cancellation_and_times_are_in_Beijing_time()
    {
        Assert.Equal(
            new[] { "metaverse", "到底什么是\"元宇宙\"", "confirmed", null, "2027-01-20 12:05:06", null, "5001", "alice", "Alice 张", "en", "true" }.AsEnumerable(),
            Texts(Row(RegistrationStatus.Confirmed)));
    }

    [Fact]
    public void A_waitlisted_registration_carries_its_position_as_a_number()
    {
        var cells = ExportRowFormat.Format(Row(RegistrationStatus.Waitlisted), Beijing);

        Assert.Equal("waitlisted", cells[2].Text);
        Assert.Equal(3L, cells[3].Number);
        Assert.True(cells[5].IsEmpty);
    }

    [Fact]
    public void A_cancelled_registration_carries_its_cancellation_time_past_midnight_in_Beijing()
    {
        var texts = Texts(Row(RegistrationStatus.Cancelled));

        Assert.Equal("cancelled", texts[2]);
        Assert.Equal("2027-01-22 00:30:00", texts[5]);
        Assert.Equal("false", texts[10]);
    }

    [Fact]
    public void Missing_username_and_language_are_empty_cells()
    {
        var cells = ExportRowFormat.Format(Row(RegistrationStatus.Confirmed) with { Username = null, LanguageCode = null }, Beijing);

        Assert.True(cells[7].IsEmpty);
        Assert.True(cells[9].IsEmpty);
    }

    [Fact]
    public void Names_and_titles_are_neutralised_but_ids_are_not()
    {
        var cells = ExportRowFormat.Format(Row(RegistrationStatus.Confirmed) with { DisplayName = "=cmd|' /C calc'!A0", SessionTitle = "-元宇宙" }, Beijing);

        Assert.Equal("'=cmd|' /C calc'!A0", cells[8].Text);
        Assert.Equal("'-元宇宙", cells[1].Text);
        Assert.Equal(5001L, cells[6].Number);
    }

    [Fact]
    public void Extra_columns_follow_the_standard_ones()
    {
        var cells = ExportRowFormat.Format(Row(RegistrationStatus.Confirmed) with { Extra = ["sent", null, "+x"] }, Beijing);

        Assert.Equal(ExportColumns.Standard.Count + 3, cells.Length);
        Assert.Equal("sent", cells[11].Text);
        Assert.True(cells[12].IsEmpty);
        Assert.Equal("'+x", cells[13].Text);
    }
}
