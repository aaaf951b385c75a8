using System.Text;
using Baoming.Core.Export;

namespace Baoming.Core.Tests.Export;

public sealed class ExportFilesTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void The_file_is_named_after_the_session_and_its_date_in_Beijing()
    {
        var session = new Session { Id = 2, Key = "metaverse", Title = "元宇宙", StartsAt = new DateTimeOffset(2027, 2, 16, 23, 30, 0, TimeSpan.Zero) };

        Assert.Equal("metaverse-2027-02-17.csv", ExportFiles.FileName(session, Beijing, ExportFileFormat.Csv));
        Assert.Equal("metaverse-2027-02-17.xlsx", ExportFiles.FileName(session, Beijing, ExportFileFormat.Xlsx));
    }

    [Fact]
    public void Button_data_round_trips_and_stays_within_64_bytes()
    {
        var session = ExportFiles.SessionButton(long.MaxValue);
        var format = ExportFiles.FormatButton(long.MaxValue, ExportFileFormat.Xlsx);

        Assert.True(Encoding.UTF8.GetByteCount(format) <= 64);
        Assert.True(ExportFiles.TryParseSessionPayload(session["ex:".Length..], out var id));
        Assert.Equal(long.MaxValue, id);
        Assert.True(ExportFiles.TryParseFormatPayload(format["ef:".Length..], out id, out var parsed));
        Assert.Equal((long.MaxValue, ExportFileFormat.Xlsx), (id, parsed));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("042")]
    [InlineData("4 2")]
    [InlineData("99999999999999999999")]
    public void Forged_session_payloads_are_refused(string payload) => Assert.False(ExportFiles.TryParseSessionPayload(payload, out _));

    [Theory]
    [InlineData("42")]
    [InlineData("42:")]
    [InlineData("42:pdf")]
    [InlineData("42:CSV")]
    [InlineData(":csv")]
    [InlineData("x:csv")]
    [InlineData("42:csv:1")]
    public void Forged_format_payloads_are_refused(string payload) => Assert.False(ExportFiles.TryParseFormatPayload(payload, out _, out _));

    [Theory]
    [InlineData("csv", ExportFileFormat.Csv)]
    [InlineData("XLSX", ExportFileFormat.Xlsx)]
    public void Format_names_are_case_insensitive_on_the_command_line(string name, ExportFileFormat expected)
    {
        Assert.True(ExportFiles.TryParseFormat(name, out var format));
        Assert.Equal(expected, format);
    }
}
