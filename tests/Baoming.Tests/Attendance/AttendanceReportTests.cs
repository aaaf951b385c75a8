using System.Globalization;
using Baoming.Attendance;
using Baoming.Core.Export;
using Baoming.Export;
using Baoming.Tests.Export;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Attendance;

/// <summary>How each registration ended, once the session is over: the show rate in <c>/sessions</c> and the export's attendance columns.</summary>
public sealed class AttendanceReportTests
{
    private const long Organizer = 9401;
    private const long Came = 740101;
    private const long NoShow = 740102;
    private const long Cancelled = 740103;
    private const long Waitlisted = 740104;

    [Fact]
    public async Task After_the_session_sessions_shows_the_show_rate_and_the_export_says_how_each_registration_ended()
    {
        // Arrange: two confirmed members (one clicks their personal link at the start), one cancelled, one waitlisted.
        var settings = BotHarness.ExtraSession(2, "live", "直播选题会", BotHarness.Now.AddMinutes(10));
        settings["Community:Admins:0"] = Organizer.ToString(CultureInfo.InvariantCulture);
        settings["Http:PublicUrl"] = "https://bot.example.test";
        await using var bot = await BotHarness.StartAsync(settings);
        await ReminderData.SignUpAsync(bot.ConnectionString, "live", [Came, NoShow]);
        await ReminderData.SignUpAsync(bot.ConnectionString, "live", [Cancelled], "cancelled");
        await ReminderData.SignUpAsync(bot.ConnectionString, "live", [Waitlisted], "waitlisted");
        var sessionId = await bot.SessionIdAsync("live");
        var token = await bot.Host.Services.GetRequiredService<JoinLinks>().TokenAsync(sessionId, Came, CancellationToken.None);
        using (var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        using (var click = await client.GetAsync(new Uri(bot.BaseAddress, "/j/" + token)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Found, click.StatusCode);
        }

        var before = (await bot.AskAsync(Organizer, "/sessions")).Text;
        var exportBefore = await ExportAsync(bot, sessionId);

        // Act: two hours later the session (90 minutes) is over.
        bot.Time.Advance(TimeSpan.FromHours(2));
        var after = (await bot.AskAsync(Organizer, "/sessions")).Text;
        var records = await ExportAsync(bot, sessionId);

        // Assert
        Assert.DoesNotMatch(@"出席 \d", before); // the show rate; the commands line names /attendance 导入出席

        Assert.DoesNotContain("attendance", exportBefore[0]);
        Assert.Contains("出席 1/2（50%）", after);
        var header = records[0];
        var first = header.IndexOf("attendance");
        // After the standard columns, which keep their places.
        Assert.True(first >= Core.Export.ExportColumns.Standard.Count);
        Assert.Equal(["attendance", "attended_at", "attended_via", "link_clicked_at"], header.Skip(first));
        var byMember = records.Skip(1).ToDictionary(r => long.Parse(r[6], CultureInfo.InvariantCulture), r => r.Skip(first).ToList());
        Assert.Equal(["attended", "2027-01-20 12:00:00", "link", "2027-01-20 12:00:00"], byMember[Came]);
        Assert.Equal(["no_show", "", "", ""], byMember[NoShow]);
        Assert.Equal(["cancelled", "", "", ""], byMember[Cancelled]);
        Assert.Equal(["waitlisted", "", "", ""], byMember[Waitlisted]);

        // The admin's export in chat carries the show rate in its caption, as /sessions has it.
        bot.Press(Organizer, Core.Understanding.CallbackData.Export.Format(sessionId, ExportFileFormat.Csv));
        var document = await bot.Telegram.WaitForDocumentAsync(Organizer);
        Assert.Contains("已报名 2 人，候补 1 人，已取消 1 人", document.Caption);
        Assert.Contains("出席 1/2（50%）", document.Caption);
    }

    private static async Task<List<List<string>>> ExportAsync(BotHarness bot, long sessionId)
    {
        using var output = new MemoryStream();
        await bot.Host.Services.GetRequiredService<Exporter>().WriteAsync(output, ExportFileFormat.Csv, [sessionId], progress: null, CancellationToken.None);
        return ExportData.ParseCsv(output.ToArray());
    }
}
