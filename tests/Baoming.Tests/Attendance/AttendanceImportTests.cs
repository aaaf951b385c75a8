using System.Globalization;
using System.Text;
using Baoming.Attendance;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Baoming.Tests.Reminders;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Baoming.Tests.Attendance;

/// <summary>
/// Organizers mark attendance from the meeting platform's list: <c>/attendance KEY</c> and a document through
/// the fake Bot API (getFile and the file download), and the <c>attendance import</c> verb. Good rows are
/// marked once, duplicates and earlier attendances counted as already marked, other rows reported as they are.
/// </summary>
public sealed class AttendanceImportTests
{
    private const long Organizer = 9301;

    // Telegram ids of five digits or more: a shorter number in a list is taken for a row number, not an id.
    private const long Alice = 730101;
    private const long Bob = 730102;
    private const long Carol = 730103;
    private const long Waitlisted = 730104;

    [Fact]
    public async Task An_organizer_sends_a_csv_and_gets_marked_already_not_signed_up_and_unknown_rows_back()
    {
        // Arrange: Alice (@alice_w) and Bob signed up; Carol too, already in by her personal link; a waitlisted member.
        var settings = BotHarness.ExtraSession(2, "live", "直播选题会", BotHarness.Now.AddMinutes(10), capacity: 3, "直播会");
        settings["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture);
        settings["Http:PublicUrl"] = "https://bot.example.test";
        await using var bot = await BotHarness.StartAsync(settings);
        await bot.AskAsync(Organizer, "/whoami");
        bot.Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(Alice, "报名 直播会", username: "alice_w"));
        await bot.Telegram.WaitForMessagesAsync(Alice, 1);
        foreach (var member in new[] { Bob, Carol, Waitlisted })
        {
            await bot.AskAsync(member, "报名 直播会");
        }

        var sessionId = await bot.SessionIdAsync("live");
        var links = bot.Host.Services.GetRequiredService<JoinLinks>();
        var carolsToken = await links.TokenAsync(sessionId, Carol, CancellationToken.None);
        using (var click = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }).GetAsync(new Uri(bot.BaseAddress, "/j/" + carolsToken)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Found, click.StatusCode);
        }

        var otherSessionToken = await links.TokenAsync(await bot.SessionIdAsync("auto"), Bob, CancellationToken.None);
        var csv = $"""
            参会者,Telegram
            Alice,@Alice_W
            Bob,{Bob}
            Bob again,{Bob}
            Carol,https://bot.example.test/j/{carolsToken}
            Waitlisted,{Waitlisted}
            Dave,99999999
            张三,没有填

            ,@nobody_here
            {otherSessionToken}
            """;
        var fileId = bot.Telegram.AddFile("参会名单.csv", Encoding.UTF8.GetBytes(csv));

        // Act
        var ask = await bot.AskAsync(Organizer, "/attendance live");
        var before = bot.Telegram.MessagesTo(Organizer).Count;
        bot.Telegram.EnqueueUpdate(FakeBotApi.DocumentUpdate(Organizer, fileId, "参会名单.csv", Encoding.UTF8.GetByteCount(csv), "text/csv"));
        var report = (await bot.Telegram.WaitForMessagesAsync(Organizer, before + 1))[before];

        // Assert
        Assert.Contains("CSV 或 XLSX", ask.Text);
        Assert.Contains("新记录出席 2 · 已记录过 2 · 未报名 2 · 无法识别 4", report.Text);
        Assert.Contains("第 1 行：参会者, Telegram", report.Text);
        Assert.Contains("第 8 行：张三, 没有填", report.Text);
        Assert.Contains("第 10 行：@nobody_here", report.Text);
        Assert.Contains("第 11 行：" + otherSessionToken, report.Text);
        var attended = await bot.QueryAsync<(long, string)>(
            "select member_id, attended_via from registrations where session_id = @sessionId and attended_at is not null order by member_id", new { sessionId });
        Assert.Equal([(Alice, "import"), (Bob, "import"), (Carol, "link")], attended);
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'attendance.import' and actor_id = @Organizer", new { Organizer }));

        // The dialogue is over.
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from dialogs where member_id = @Organizer", new { Organizer }));
    }

    [Fact]
    public async Task A_reader_cannot_import_and_a_sticker_is_asked_again_as_a_file()
    {
        // Arrange
        var settings = new Dictionary<string, string?> { ["Community:Organizers:0"] = Organizer.ToString(CultureInfo.InvariantCulture) };
        await using var bot = await BotHarness.StartAsync(settings);

        // Act
        var reader = await bot.AskAsync(Alice, "/attendance auto");
        await bot.AskAsync(Organizer, "/attendance auto");
        var before = bot.Telegram.MessagesTo(Organizer).Count;
        bot.Telegram.EnqueueUpdate(FakeBotApi.StickerUpdate(Organizer));
        var again = (await bot.Telegram.WaitForMessagesAsync(Organizer, before + 1))[before];
        var dropped = await bot.AskAsync(Organizer, "取消");

        // Assert
        Assert.Contains("组织者", reader.Text);
        Assert.Contains("请发送 CSV 或 XLSX 文件", again.Text);
        Assert.Contains("已放弃", dropped.Text);
    }

    [Fact]
    public async Task I_can_import_an_xlsx_from_the_command_line()
    {
        // Arrange: a migrated database with two confirmed members of "auto", one of them already marked.
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using (await BotHarness.StartAsync(connectionString: connectionString))
        {
        }

        await ReminderData.SignUpAsync(connectionString, "auto", [Alice, Bob]);
        var file = Path.Combine(Path.GetTempPath(), $"baoming-attendance-{Guid.NewGuid():N}.xlsx");
        try
        {
            var rows = new[]
            {
                new Dictionary<string, object> { ["A"] = "Telegram ID" },
                new Dictionary<string, object> { ["A"] = Alice },
                new Dictionary<string, object> { ["A"] = Alice },
                new Dictionary<string, object> { ["A"] = "不认识的人" },
            };
            await MiniExcel.SaveAsAsync(file, rows, printHeader: false);
            var environment = BaomingProcess.UpcomingSessions();
            environment["ConnectionStrings__Postgres"] = connectionString;

            // Act
            var result = await BaomingProcess.RunAsync($"attendance import --session auto --file {file}", "", environment);
            var missing = await BaomingProcess.RunAsync("attendance import --session nope --file " + file, "", environment);

            // Assert
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("新记录出席 1 · 已记录过 1 · 未报名 0 · 无法识别 2", result.Output);
            Assert.Contains("第 4 行：不认识的人", result.Output);
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains("no session has the key 'nope'", missing.Error);
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("select string_agg(member_id || ':' || coalesce(attended_via, '-'), ',' order by member_id) from registrations", connection);
            Assert.Equal($"{Alice}:import,{Bob}:-", await command.ExecuteScalarAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
