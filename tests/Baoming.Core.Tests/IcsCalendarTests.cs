using Baoming.Core;
using Baoming.Core.Calendar;

namespace Baoming.Core.Tests;

public sealed class IcsCalendarTests
{
    private static readonly Session Metaverse = new()
    {
        Id = 2,
        Key = "metaverse",
        Title = "到底什么是\"元宇宙\"，一次聊透; 真的",
        StartsAt = new DateTimeOffset(2027, 2, 17, 19, 30, 0, TimeSpan.FromHours(8)),
        DurationMinutes = 90,
        Description = "线上选题会：元宇宙到底是什么，又不是什么。这一行故意写得很长很长，长到一定要折行才能放进日历文件里。",
    };

    private static string Build(string? joinUrl = null) =>
        IcsCalendar.Build(Metaverse, joinUrl, new DateTimeOffset(2027, 1, 20, 4, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(30));

    [Fact]
    public void The_event_starts_at_the_Beijing_time_given_in_UTC_and_has_an_alarm()
    {
        var ics = Build();

        Assert.Contains("DTSTART:20270217T113000Z\r\n", ics);
        Assert.Contains("DTEND:20270217T130000Z\r\n", ics);
        Assert.Contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\n", ics);
        Assert.Contains("TRIGGER:-PT30M\r\n", ics);
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", ics);
        Assert.EndsWith("END:VCALENDAR\r\n", ics);
    }

    [Fact]
    public void Text_is_escaped_and_long_lines_are_folded_within_75_octets()
    {
        var ics = Build("https://meeting.example.com/m");

        Assert.Contains("SUMMARY:到底什么是\"元宇宙\"，一次聊透\\; 真的", ics);
        Assert.All(ics.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, line));
        var unfolded = ics.Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains("DESCRIPTION:" + Metaverse.Description!.Replace("，", "，", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal) + "\\nhttps://meeting.example.com/m", unfolded);
        Assert.Contains("URL:https://meeting.example.com/m", unfolded);
    }

    [Fact]
    public void Without_a_join_link_none_is_written()
    {
        Assert.DoesNotContain("URL:", Build());
    }

    [Fact]
    public void Control_characters_in_any_field_cannot_start_a_line_of_their_own()
    {
        var session = Metaverse with
        {
            Title = "标题\rBEGIN:VEVENT\u0000\u0007\u001b",
            Description = "说明\rATTENDEE:mailto:x@example.com\n第二行\u000b",
        };

        var ics = IcsCalendar.Build(session, "https://meeting.example.com/m\rX-INJECTED:1", new DateTimeOffset(2027, 1, 20, 4, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(30));

        // Every CR is part of a CRLF line end, every LF follows a CR, and no other C0 control remains.
        Assert.DoesNotMatch("\r(?!\n)|(?<!\r)\n", ics);
        Assert.DoesNotMatch("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]", ics);
        var lines = ics.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n");
        Assert.Single(lines, l => l == "BEGIN:VEVENT");
        Assert.DoesNotContain(lines, l => l.StartsWith("ATTENDEE", StringComparison.Ordinal) || l.StartsWith("X-INJECTED", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("SUMMARY:标题", StringComparison.Ordinal) && l.Contains("BEGIN:VEVENT", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("DESCRIPTION:说明", StringComparison.Ordinal) && l.Contains("\\n第二行", StringComparison.Ordinal));
    }
}
