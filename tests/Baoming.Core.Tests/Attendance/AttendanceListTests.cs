using Baoming.Core.Attendance;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Core.Tests.Attendance;

public sealed class AttendanceListTests
{
    private const string Token = "AbCdEfGhIjKlMnOpQrSt-_";

    [Theory]
    [InlineData("123456789", "id:123456789")]
    [InlineData(" 5012345678 ", "id:5012345678")]
    [InlineData("@xiao_ming", "user:xiao_ming")]
    [InlineData(Token, "token:" + Token)]
    [InlineData("https://bot.example.org/j/" + Token, "token:" + Token)]
    [InlineData("https://bot.example.org/j/" + Token + "/", "token:" + Token)]
    [InlineData("https://bot.example.org/j/" + Token + "?utm=x", "token:" + Token)]
    [InlineData("12", null)]
    [InlineData("0123456", null)]
    [InlineData("@abc", null)]
    [InlineData("@1abcdef", null)]
    [InlineData("小明", null)]
    [InlineData("xiaoming@example.com", null)]
    [InlineData("https://bot.example.org/j/short", null)]
    [InlineData("https://bot.example.org/j/" + Token + "/more", null)]
    [InlineData("138 0013 8000", null)]
    public void A_cell_names_an_attendee_only_in_the_forms_it_knows(string cell, string? expected)
    {
        var key = AttendanceList.RecogniseCell(cell);

        Assert.Equal(expected, key switch
        {
            AttendeeKey.TelegramId id => $"id:{id.Id}",
            AttendeeKey.Username name => $"user:{name.Name}",
            AttendeeKey.Token token => $"token:{token.Value}",
            _ => null,
        });
    }

    [Fact]
    public void Rows_take_their_first_recognisable_cell_skip_blank_rows_and_keep_the_rest_as_unknown()
    {
        var rows = AttendanceList.ParseCsv("姓名,Telegram\r\n小明,123456789\r\n\r\n\"Smith, John\",@john_smith\n王五,没有\n")!;

        var entries = AttendanceList.Recognise(rows);

        Assert.Equal([1, 2, 4, 5], entries.Select(e => e.Line));
        Assert.Null(entries[0].Key);
        Assert.Equal(new AttendeeKey.TelegramId(123456789), entries[1].Key);
        Assert.Equal(new AttendeeKey.Username("john_smith"), entries[2].Key);
        Assert.Equal("Smith, John, @john_smith", entries[2].Text);
        Assert.Null(entries[3].Key);
    }

    [Fact]
    public void Csv_with_a_bom_tabs_and_quoted_newlines_parses()
    {
        var rows = AttendanceList.ParseCsv("\uFEFFname\tid\n\"two\nlines\"\t123456\n")!;

        Assert.Equal(2, rows.Count);
        Assert.Equal(["two\nlines", "123456"], rows[1]);
    }

    [Fact]
    public void A_csv_over_the_row_limit_is_refused()
    {
        var text = string.Concat(Enumerable.Repeat("123456\n", AttendanceList.MaxRows + 1));

        Assert.Null(AttendanceList.ParseCsv(text));
        Assert.NotNull(AttendanceList.ParseCsv(string.Concat(Enumerable.Repeat("123456\n", AttendanceList.MaxRows))));
    }

    [Fact]
    public void The_tally_counts_marked_already_duplicates_not_signed_up_and_lists_twenty_unknown_rows()
    {
        var resolved = new List<(AttendanceEntry, long?)>
        {
            (new(1, "111111", new AttendeeKey.TelegramId(111111)), 111111),
            (new(2, "222222", new AttendeeKey.TelegramId(222222)), 222222),
            (new(3, "@dup", new AttendeeKey.Username("dup")), 111111),
            (new(4, "333333", new AttendeeKey.TelegramId(333333)), 333333),
        };
        resolved.AddRange(Enumerable.Range(5, 25).Select(i => (new AttendanceEntry(i, $"row {i}", null), (long?)null)));

        var result = AttendanceList.Tally(resolved, markedNow: new HashSet<long> { 111111 }, attendedBefore: new HashSet<long> { 222222 });

        Assert.Equal((1, 2, 1), (result.Marked, result.AlreadyMarked, result.NotSignedUp));
        Assert.Equal(20, result.Unknown.Count);
        Assert.Equal(5, result.MoreUnknown);
        Assert.Equal(new UnknownRow(5, "row 5"), result.Unknown[0]);
    }

    [Fact]
    public void The_window_opens_half_an_hour_before_the_start_and_closes_at_the_end()
    {
        var start = new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8));

        Assert.False(AttendanceWindow.Contains(start, 90, start.AddMinutes(-31)));
        Assert.True(AttendanceWindow.Contains(start, 90, start.AddMinutes(-30)));
        Assert.True(AttendanceWindow.Contains(start, 90, start.AddMinutes(89)));
        Assert.False(AttendanceWindow.Contains(start, 90, start.AddMinutes(90)));
    }

    [Fact]
    public void The_joined_button_round_trips_and_refuses_anything_else()
    {
        var data = CallbackData.Attendance.Joined(42);

        Assert.Equal("in:42", data);
        Assert.True(CallbackData.Attendance.TryParseJoined("42", out var id));
        Assert.Equal(42, id);
        Assert.False(CallbackData.Attendance.TryParseJoined("042", out _));
        Assert.False(CallbackData.Attendance.TryParseJoined("-1", out _));
        Assert.False(CallbackData.Attendance.TryParseJoined("", out _));
    }

    [Fact]
    public void The_show_rate_and_the_import_report_read_as_organizers_expect()
    {
        var texts = new Texts(Language.Chinese, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var session = new Session { Id = 1, Key = "auto", Title = "汽车产业", StartsAt = DateTimeOffset.UnixEpoch };

        Assert.Equal("出席 37/50（74%）", texts.ShowRate(37, 50));
        var report = texts.AttendanceImported(session, new AttendanceImportResult(3, 1, 2, [new UnknownRow(7, "张三")], 4)).Text;
        Assert.Contains("新记录出席 3 · 已记录过 1 · 未报名 2 · 无法识别 5", report);
        Assert.Contains("第 7 行：张三", report);
        Assert.Contains("另有 4 行", report);
    }
}
