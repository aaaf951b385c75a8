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

    [Theory]
    [InlineData("csv", ExportFileFormat.Csv)]
    [InlineData("XLSX", ExportFileFormat.Xlsx)]
    public void Format_names_are_case_insensitive_on_the_command_line(string name, ExportFileFormat expected)
    {
        Assert.True(ExportFiles.TryParseFormat(name, out var format));
        Assert.Equal(expected, format);
    }
}
