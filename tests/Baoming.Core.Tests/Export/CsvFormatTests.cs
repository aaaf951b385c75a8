using Baoming.Core.Export;

namespace Baoming.Core.Tests.Export;

public sealed class CsvFormatTests
{
    private static string Field(string text)
    {
        using var writer = new StringWriter();
        CsvFormat.WriteField(writer, text);
        return writer.ToString();
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("张三 😀", "张三 😀")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("line1\nline2", "\"line1\nline2\"")]
    [InlineData("line1\r\nline2", "\"line1\r\nline2\"")]
    [InlineData("cr\ronly", "\"cr\ronly\"")]
    public void Fields_are_quoted_only_when_they_hold_a_comma_quote_CR_or_LF_and_quotes_are_doubled(string text, string expected) =>
        Assert.Equal(expected, Field(text));

    [Fact]
    public void A_record_ends_with_CRLF_and_numbers_are_written_as_they_are()
    {
        using var writer = new StringWriter();

        CsvFormat.WriteRecord(writer, [ExportCell.FromText("a,b"), ExportCell.FromNumber(-42), ExportCell.Empty, ExportCell.FromNumber(7_000_000_001)]);

        Assert.Equal("\"a,b\",-42,,7000000001\r\n", writer.ToString());
    }

    [Fact]
    public void The_byte_order_mark_is_UTF_8s()
    {
        Assert.Equal(new System.Text.UTF8Encoding(true).GetPreamble(), CsvFormat.ByteOrderMark.ToArray());
    }

    [Fact]
    public void The_header_is_the_column_names_in_their_documented_order()
    {
        using var writer = new StringWriter();

        CsvFormat.WriteHeader(writer, ExportColumns.Header(["reminder_1d"]));

        Assert.Equal(
            "session_key,session_title,status,waitlist_position,registered_at,cancelled_at,telegram_user_id,username,display_name,language,reachable,reminder_1d\r\n",
            writer.ToString());
    }
}
